using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Export;

/// <summary>MaxPool2D, AvgPool2D and the global pools, with the window attributes Conv shares.</summary>
internal static class PoolExport
{
    public static void MaxPool(ExportContext context, Node node)
    {
        var op = (MaxPool2DOp)node.Op;
        context.Add(node, "MaxPool", [context.Name(node.Inputs[0])], [context.Name(node.Outputs[0])],
            [.. Window(op.Window, dilations: true), OnnxWriter.IntAttribute("ceil_mode", op.CeilMode ? 1 : 0)]);
    }

    public static void AvgPool(ExportContext context, Node node)
    {
        var op = (AvgPool2DOp)node.Op;
        // AveragePool took dilations in opset 19; without them any opset from 17 on reads the window.
        bool dilated = op.Window.DilationHeight != 1 || op.Window.DilationWidth != 1;
        if (dilated) context.RequireOpset(19);
        context.Add(node, "AveragePool", [context.Name(node.Inputs[0])], [context.Name(node.Outputs[0])],
            [.. Window(op.Window, dilated), OnnxWriter.IntAttribute("count_include_pad", op.CountIncludePad ? 1 : 0),
             OnnxWriter.IntAttribute("ceil_mode", op.CeilMode ? 1 : 0)]);
    }

    public static void GlobalAverage(ExportContext context, Node node) =>
        context.Add(node, "GlobalAveragePool", [context.Name(node.Inputs[0])], [context.Name(node.Outputs[0])]);

    public static void GlobalMax(ExportContext context, Node node) =>
        context.Add(node, "GlobalMaxPool", [context.Name(node.Inputs[0])], [context.Name(node.Outputs[0])]);

    /// <summary>kernel_shape, strides, dilations (when asked) and either auto_pad or the explicit pads [top, left, bottom, right].</summary>
    public static Action<ProtoWriter>[] Window(Window2D window, bool dilations)
    {
        var attributes = new List<Action<ProtoWriter>>
        {
            OnnxWriter.IntsAttribute("kernel_shape", window.KernelHeight, window.KernelWidth),
            OnnxWriter.IntsAttribute("strides", window.StrideHeight, window.StrideWidth),
        };
        if (dilations) attributes.Add(OnnxWriter.IntsAttribute("dilations", window.DilationHeight, window.DilationWidth));
        attributes.Add(window.AutoPad switch
        {
            AutoPad.SameUpper => OnnxWriter.StringAttribute("auto_pad", "SAME_UPPER"),
            AutoPad.SameLower => OnnxWriter.StringAttribute("auto_pad", "SAME_LOWER"),
            AutoPad.Valid => OnnxWriter.StringAttribute("auto_pad", "VALID"),
            _ => OnnxWriter.IntsAttribute("pads", window.PadTop, window.PadLeft, window.PadBottom, window.PadRight),
        });
        return [.. attributes];
    }
}
