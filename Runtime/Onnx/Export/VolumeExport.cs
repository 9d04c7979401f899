using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Export;

/// <summary>The 3-D ops: MaxPool and AveragePool over three spatial axes, and ConvTranspose with weights [C, M/group, kD, kH, kW].</summary>
internal static class VolumeExport
{
    public static void MaxPool(ExportContext context, Node node)
    {
        var op = (MaxPool3DOp)node.Op;
        context.Add(node, "MaxPool", [context.Name(node.Inputs[0])], [context.Name(node.Outputs[0])],
            [.. Window(op.Window, dilations: true), OnnxWriter.IntAttribute("ceil_mode", op.CeilMode ? 1 : 0)]);
    }

    public static void AvgPool(ExportContext context, Node node)
    {
        var op = (AvgPool3DOp)node.Op;
        // AveragePool took dilations in opset 19, as for the 2-D pool.
        var w = op.Window;
        bool dilated = w.Depth.Dilation != 1 || w.Height.Dilation != 1 || w.Width.Dilation != 1;
        if (dilated) context.RequireOpset(19);
        context.Add(node, "AveragePool", [context.Name(node.Inputs[0])], [context.Name(node.Outputs[0])],
            [.. Window(w, dilated), OnnxWriter.IntAttribute("count_include_pad", op.CountIncludePad ? 1 : 0),
             OnnxWriter.IntAttribute("ceil_mode", op.CeilMode ? 1 : 0)]);
    }

    /// <summary>ConvTranspose with explicit pads and output_padding; the weights are ONNX's layout already.</summary>
    public static void ConvTranspose(ExportContext context, Node node)
    {
        var op = (ConvTranspose3DOp)node.Op;
        var w = op.Window;
        string weights = context.Tensor(node, "weights", [node.Inputs[0].SampleShape[0], op.OutputChannels / op.Groups, w.Depth.Kernel, w.Height.Kernel, w.Width.Kernel]);
        string[] inputs = op.HasBias ? [context.Name(node.Inputs[0]), weights, context.Tensor(node, "bias", [op.OutputChannels])] : [context.Name(node.Inputs[0]), weights];
        context.Add(node, "ConvTranspose", inputs, [context.Name(node.Outputs[0])],
            [.. Window(w, dilations: true), OnnxWriter.IntAttribute("group", op.Groups),
             OnnxWriter.IntsAttribute("output_padding", op.OutputPaddingDepth, op.OutputPaddingHeight, op.OutputPaddingWidth)]);
    }

    /// <summary>kernel_shape, strides, dilations (when asked) and either auto_pad or the explicit pads (the three begins, then the ends).</summary>
    private static Action<ProtoWriter>[] Window(Window3D w, bool dilations)
    {
        var (d, h, x) = (w.Depth, w.Height, w.Width);
        var attributes = new List<Action<ProtoWriter>>
        {
            OnnxWriter.IntsAttribute("kernel_shape", d.Kernel, h.Kernel, x.Kernel),
            OnnxWriter.IntsAttribute("strides", d.Stride, h.Stride, x.Stride),
        };
        if (dilations) attributes.Add(OnnxWriter.IntsAttribute("dilations", d.Dilation, h.Dilation, x.Dilation));
        attributes.Add(w.AutoPad switch
        {
            AutoPad.SameUpper => OnnxWriter.StringAttribute("auto_pad", "SAME_UPPER"),
            AutoPad.SameLower => OnnxWriter.StringAttribute("auto_pad", "SAME_LOWER"),
            AutoPad.Valid => OnnxWriter.StringAttribute("auto_pad", "VALID"),
            _ => OnnxWriter.IntsAttribute("pads", d.PadBegin, h.PadBegin, x.PadBegin, d.PadEnd, h.PadEnd, x.PadEnd),
        });
        return [.. attributes];
    }
}
