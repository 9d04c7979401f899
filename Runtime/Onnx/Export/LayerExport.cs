using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Export;

/// <summary>
/// The ops with weights other than the recurrent ones: Dense as Gemm (W stored inputs × outputs, transB 0), Conv2D as
/// Conv (W as stored), BatchNorm as BatchNormalization in its inference form with the running statistics (ONNX's
/// momentum is 1 − ours), LayerNorm as LayerNormalization. A fused activation becomes a node after the op.
/// </summary>
internal static class LayerExport
{
    public static void Dense(ExportContext context, Node node)
    {
        var op = (DenseOp)node.Op;
        if (op.RowsPerSample > 1 || node.Inputs[0].SampleShape.Rank > 1)
        {
            MatMulExport.TokenWiseDense(context, node);
            return;
        }
        string y = ActivationExport.Before(context, node, op.Activation);
        string w = context.Tensor(node, "weights", [op.Inputs, op.Outputs]), b = context.Tensor(node, "bias", [op.Outputs]);
        context.Add(node, "Gemm", [context.Name(node.Inputs[0]), w, b], [y]);
        if (op.Activation != ActivationKind.Identity) ActivationExport.Write(context, node, op.Activation, op.ActivationAlpha, y, context.Name(node.Outputs[0]));
    }

    public static void Conv2D(ExportContext context, Node node)
    {
        var op = (Conv2DOp)node.Op;
        string y = ActivationExport.Before(context, node, op.Activation);
        var g = op.Geometry;
        string w = context.Tensor(node, "weights", [op.OutputChannels, g.InputChannelsPerGroup, g.KernelHeight, g.KernelWidth]);
        string[] inputs = op.HasBias ? [context.Name(node.Inputs[0]), w, context.Tensor(node, "bias", [op.OutputChannels])] : [context.Name(node.Inputs[0]), w];
        context.Add(node, "Conv", inputs, [y], [.. PoolExport.Window(op.Window, dilations: true), OnnxWriter.IntAttribute("group", op.Groups)]);
        if (op.Activation != ActivationKind.Identity) ActivationExport.Write(context, node, op.Activation, op.ActivationAlpha, y, context.Name(node.Outputs[0]));
    }

    /// <summary>ConvTranspose with explicit pads and output_padding; the weights are ONNX's layout already.</summary>
    public static void ConvTranspose2D(ExportContext context, Node node)
    {
        var op = (ConvTranspose2DOp)node.Op;
        var w = op.Window;
        string weights = context.Tensor(node, "weights", [node.Inputs[0].SampleShape[0], op.OutputChannels / op.Groups, w.KernelHeight, w.KernelWidth]);
        string[] inputs = op.HasBias ? [context.Name(node.Inputs[0]), weights, context.Tensor(node, "bias", [op.OutputChannels])] : [context.Name(node.Inputs[0]), weights];
        context.Add(node, "ConvTranspose", inputs, [context.Name(node.Outputs[0])],
            [.. PoolExport.Window(w, dilations: true), OnnxWriter.IntAttribute("group", op.Groups),
             OnnxWriter.IntsAttribute("output_padding", op.OutputPaddingHeight, op.OutputPaddingWidth)]);
    }

    public static void BatchNorm(ExportContext context, Node node)
    {
        var op = (BatchNormOp)node.Op;
        long[] dims = [op.Features];
        context.Add(node, "BatchNormalization",
            [context.Name(node.Inputs[0]), context.Tensor(node, "gamma", dims), context.Tensor(node, "beta", dims),
             context.Tensor(node, "running_mean", dims), context.Tensor(node, "running_variance", dims)],
            [context.Name(node.Outputs[0])],
            OnnxWriter.FloatAttribute("epsilon", op.Epsilon), OnnxWriter.FloatAttribute("momentum", 1 - op.Momentum));
    }

    public static void LayerNorm(ExportContext context, Node node)
    {
        var op = (LayerNormOp)node.Op;
        long[] dims = ExportContext.Dims(op.NormalizedShape);
        // ONNX's Scale is not optional: a LayerNorm without one scales by ones, which changes no value.
        string scale = op.HasScale ? context.Tensor(node, "scale", dims) : context.Floats(node, "scale", dims, Ones(op.NormalizedShape.Length));
        string[] inputs = op.HasBias ? [context.Name(node.Inputs[0]), scale, context.Tensor(node, "bias", dims)] : [context.Name(node.Inputs[0]), scale];
        context.Add(node, "LayerNormalization", inputs, [context.Name(node.Outputs[0])],
            OnnxWriter.IntAttribute("axis", op.Axis), OnnxWriter.FloatAttribute("epsilon", op.Epsilon));
    }

    private static float[] Ones(int length)
    {
        var ones = new float[length];
        Array.Fill(ones, 1f);
        return ones;
    }
}
