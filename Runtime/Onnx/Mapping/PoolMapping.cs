using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// MaxPool and AveragePool over 1 or 2 spatial axes as <see cref="MaxPool2DOp"/> and <see cref="AvgPool2DOp"/>
/// (<see cref="SpatialWindow"/>), over 3 as <see cref="MaxPool3DOp"/> and <see cref="AvgPool3DOp"/>, and GlobalAveragePool and GlobalMaxPool as <see cref="GlobalAveragePoolOp"/> and
/// <see cref="GlobalMaxPoolOp"/> over any number of spatial axes: a global pool reads each channel's values in any
/// order, so [C, D, H, W] pools as the image [C, 1, D·H·W] and the result is shaped back to [C, 1, 1, 1].
/// </summary>
internal static class PoolMapping
{
    public static OnnxOpMapping[] Mappings =>
    [
        new("MaxPool", OnnxOpTable.MinOpset, 1, MaxPool),
        new("AveragePool", OnnxOpTable.MinOpset, 1, AveragePool),
        new("GlobalAveragePool", OnnxOpTable.MinOpset, 1, (c, n) => GlobalPool(c, n, new GlobalAveragePoolOp())),
        new("GlobalMaxPool", OnnxOpTable.MinOpset, 1, (c, n) => GlobalPool(c, n, new GlobalMaxPoolOp())),
    ];

    private static void MaxPool(ImportContext context, OnnxNode node)
    {
        Value x = context.Data(node, 0);
        int spatial = SpatialWindow.Axes(context, node, x, volumes: true);
        long storageOrder = node.Int("storage_order", 0);
        // storage_order orders only the Indices output (output 1), which Bind refuses when anything reads it: only the
        // pooled values are imported, and they are the same in either order.
        context.Require(node, storageOrder is 0 or 1,
            $"attribute 'storage_order' is {storageOrder}; expected 0 (row-major Indices) or 1 (column-major).");
        bool ceil = SpatialWindow.Flag(context, node, "ceil_mode");
        if (spatial == 3)
        {
            Window3D volume = VolumeWindow(context, node, ceil);
            context.Bind(node, context.Add(node, new MaxPool3DOp(volume, ceil && volume.AutoPad == AutoPad.NotSet), x));
            return;
        }
        Window2D window = Window(context, node, spatial, ceil);
        Pool(context, node, x, spatial, new MaxPool2DOp(window, ceil && window.AutoPad == AutoPad.NotSet));
    }

    private static void AveragePool(ImportContext context, OnnxNode node)
    {
        Value x = context.Data(node, 0);
        int spatial = SpatialWindow.Axes(context, node, x, volumes: true);
        bool countIncludePad = SpatialWindow.Flag(context, node, "count_include_pad"), ceil = SpatialWindow.Flag(context, node, "ceil_mode");
        if (spatial == 3)
        {
            Window3D volume = VolumeWindow(context, node, ceil);
            context.Bind(node, context.Add(node, new AvgPool3DOp(volume, countIncludePad, ceil && volume.AutoPad == AutoPad.NotSet), x));
            return;
        }
        Window2D window = Window(context, node, spatial, ceil);
        Pool(context, node, x, spatial, new AvgPool2DOp(window, countIncludePad, ceil && window.AutoPad == AutoPad.NotSet));
    }

    /// <summary>
    /// The pool's window; kernel_shape is required. With auto_pad SAME_* the output is ceil(in / stride) in either
    /// ceil mode, which our floor mode gives over the padding SAME adds, so the callers pass ceil mode only with
    /// explicit pads. With VALID, ONNX's operator text and reference ignore ceil_mode while ONNX Runtime rounds up:
    /// that pairing is refused rather than given one runtime's shape.
    /// </summary>
    private static Window2D Window(ImportContext context, OnnxNode node, int spatial, bool ceil)
    {
        Window2D window = SpatialWindow.Read(context, node, spatial, Kernel(context, node));
        RefuseValidCeil(context, node, ceil, window.AutoPad);
        return window;
    }

    /// <summary><see cref="Window"/> over three spatial axes.</summary>
    private static Window3D VolumeWindow(ImportContext context, OnnxNode node, bool ceil)
    {
        Window3D window = SpatialWindow.Read3D(context, node, Kernel(context, node));
        RefuseValidCeil(context, node, ceil, window.AutoPad);
        return window;
    }

    private static IReadOnlyList<long> Kernel(ImportContext context, OnnxNode node)
    {
        IReadOnlyList<long> kernel = node.Ints("kernel_shape");
        context.Require(node, kernel.Count > 0, "attribute 'kernel_shape' is missing; the pool's window needs it.");
        return kernel;
    }

    private static void RefuseValidCeil(ImportContext context, OnnxNode node, bool ceil, AutoPad mode) =>
        context.Require(node, !(ceil && mode == AutoPad.Valid),
            "attribute 'ceil_mode' is 1 with auto_pad 'VALID', whose output size ONNX runtimes disagree on; give pads of zero (auto_pad NOTSET) instead.");

    private static void Pool(ImportContext context, OnnxNode node, Value x, int spatial, Op op) =>
        context.Bind(node, SpatialWindow.Out(context, node, context.Add(node, op, SpatialWindow.In(context, node, x, spatial)), spatial));

    private static void GlobalPool(ImportContext context, OnnxNode node, Op op)
    {
        Value x = context.Data(node, 0);
        int rank = x.SampleShape.Rank;
        context.Require(node, rank >= 2,
            $"the input '{node.Inputs[0]}' has shape {ImportContext.FullShape(x)}; {node.OpType} takes [N, C, spatial…] (rank 3 or more).");
        if (rank == 3)
        {
            context.Bind(node, context.Add(node, op, x));
            return;
        }
        int channels = x.SampleShape[0];
        Value image = context.Add(node, new ReshapeOp(channels, 1, -1), x);
        int[] ones = [channels, .. Enumerable.Repeat(1, rank - 1)];
        context.Bind(node, context.Add(node, new ReshapeOp(ones), context.Add(node, op, image)));
    }
}
