using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// ConvTranspose with constant weights [C, M/group, kH, kW] (and bias [M]) as <see cref="ConvTranspose2DOp"/>,
/// whose layout is ONNX's; a 1-D node runs as 2-D with height 1 (<see cref="SpatialWindow"/>); weights
/// [C, M/group, kD, kH, kW] over volumes as <see cref="ConvTranspose3DOp"/>. The padding is
/// resolved here as ONNX defines it for ConvTranspose: explicit <c>pads</c>, or from <c>output_shape</c> (or
/// auto_pad SAME_*, whose output is the input times the stride) the total padding
/// stride·(in − 1) + output_padding + dilation·(k − 1) + 1 − out, split with the extra one at the end for SAME_UPPER
/// and at the beginning otherwise. A negative end (an output larger than the window reaches) becomes output padding.
/// </summary>
internal static class ConvTransposeMapping
{
    public static OnnxOpMapping[] Mappings => [new("ConvTranspose", OnnxOpTable.MinOpset, 3, ConvTranspose)];

    private static void ConvTranspose(ImportContext context, OnnxNode node)
    {
        Value x = context.Data(node, 0);
        int spatial = SpatialWindow.Axes(context, node, x, volumes: true);
        OnnxTensor w = context.Weight(node, 1, rank: spatial + 2);
        int channels = x.SampleShape[0];
        long group = node.Int("group", 1);
        context.Require(node, group >= 1 && channels % group == 0,
            $"attribute 'group' is {group}; it must be at least 1 and divide the input's {channels} channels.");
        string shape = ImportContext.Dims(w);
        context.Require(node, w.Dims[0] == channels,
            $"weights '{w.Name}' have shape {shape}: {w.Dims[0]} input channels, but the input has {channels} channels.");
        long outputs = w.Dims[1] * group;
        context.Require(node, outputs >= 1 && outputs <= 1 << 24, $"weights '{w.Name}' have shape {shape}: {outputs} output channels.");
        long[] kernel = [.. w.Dims.Skip(2)];
        IReadOnlyList<long> declared = node.Ints("kernel_shape");
        context.Require(node, declared.Count == 0 || declared.SequenceEqual(kernel),
            $"attribute 'kernel_shape' is {SpatialWindow.Text(declared)}, but the weights '{w.Name}' have shape {shape} (kernel {SpatialWindow.Text(kernel)}).");
        long[] strides = SpatialWindow.List(context, node, "strides", spatial, 1), dilations = SpatialWindow.List(context, node, "dilations", spatial, 1);
        long[] outputPadding = SpatialWindow.List(context, node, "output_padding", spatial, 0), pads = SpatialWindow.List(context, node, "pads", 2 * spatial, 0);
        IReadOnlyList<long> outputShape = node.Ints("output_shape");
        context.Require(node, outputShape.Count == 0 || outputShape.Count == spatial || outputShape.Count == spatial + 2,
            $"attribute 'output_shape' is {SpatialWindow.Text(outputShape)}; expected the {spatial} spatial sizes of the output.");
        if (outputShape.Count == spatial + 2) outputShape = [.. outputShape.Skip(2)];
        string autoPad = node.String("auto_pad", "NOTSET");
        context.Require(node, autoPad is "NOTSET" or "SAME_UPPER" or "SAME_LOWER" or "VALID",
            $"attribute 'auto_pad' is '{autoPad}'; expected one of NOTSET, SAME_UPPER, SAME_LOWER, VALID.");
        context.Require(node, autoPad == "NOTSET" || pads.All(p => p == 0),
            $"attribute 'pads' is {SpatialWindow.Text(pads)} with auto_pad '{autoPad}'; give explicit pads (auto_pad NOTSET) or auto_pad, not both.");

        var begin = new long[spatial];
        var end = new long[spatial];
        for (int i = 0; i < spatial; i++)
        {
            long size = x.SampleShape[1 + i], reach = dilations[i] * (kernel[i] - 1) + 1;
            bool fromShape = outputShape.Count > 0 || autoPad is "SAME_UPPER" or "SAME_LOWER";
            if (fromShape)
            {
                long target = outputShape.Count > 0 ? outputShape[i] : size * strides[i];
                long total = strides[i] * (size - 1) + outputPadding[i] + reach - target;
                long half = (long)Math.Floor(total / 2.0);
                (begin[i], end[i]) = autoPad == "SAME_UPPER" ? (half, total - half) : (total - half, half);
            }
            else if (autoPad == "VALID") (begin[i], end[i]) = (0, 0);
            else (begin[i], end[i]) = (pads[i], pads[spatial + i]);
            context.Require(node, begin[i] >= 0,
                $"the output of {SpatialWindow.Text(outputShape)} needs the window to start {-begin[i]} before the first input position along spatial axis {i}; only padding at the end can extend it.");
            if (end[i] < 0)
            {
                outputPadding[i] -= end[i];
                end[i] = 0;
            }
            context.Require(node, outputPadding[i] < Math.Max(strides[i], dilations[i]),
                $"output padding {outputPadding[i]} along spatial axis {i} must be below the stride ({strides[i]}) or the dilation ({dilations[i]}).");
        }
        OnnxTensor? bias = null;
        if (node.HasInput(2))
        {
            bias = context.Weight(node, 2, rank: 1);
            context.Require(node, bias.ElementCount == outputs, $"bias '{bias.Name}' has {bias.ElementCount} values for {outputs} output channels.");
        }

        Op op;
        Value y;
        if (spatial == 3)
        {
            WindowAxis Axis(int i) => new((int)kernel[i], (int)strides[i], (int)begin[i], (int)end[i], (int)dilations[i]);
            op = new ConvTranspose3DOp((int)outputs, new Window3D(Axis(0), Axis(1), Axis(2)), (int)group, bias is not null,
                (int)outputPadding[0], (int)outputPadding[1], (int)outputPadding[2]);
            y = context.Add(node, op, x);
        }
        else
        {
            Window2D window = spatial == 1
                ? new Window2D(1, (int)kernel[0], 1, (int)strides[0], 0, (int)begin[0], 0, (int)end[0], 1, (int)dilations[0])
                : new Window2D((int)kernel[0], (int)kernel[1], (int)strides[0], (int)strides[1], (int)begin[0], (int)begin[1], (int)end[0], (int)end[1],
                    (int)dilations[0], (int)dilations[1]);
            op = new ConvTranspose2DOp((int)outputs, window, (int)group, bias is not null,
                spatial == 1 ? 0 : (int)outputPadding[0], (int)outputPadding[spatial - 1]);
            y = SpatialWindow.Out(context, node, context.Add(node, op, SpatialWindow.In(context, node, x, spatial)), spatial);
        }
        context.SetTensor(op, "weights", w);
        if (bias is not null) context.SetTensor(op, "bias", bias);
        context.Bind(node, y);
    }
}
