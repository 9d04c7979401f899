using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Export;

/// <summary>
/// Ops that move values between axes: Transpose of the sample axes (ONNX's perm keeps the batch, axis 0, first) and
/// Split along a sample axis (our axis k is ONNX's k + 1; the sizes as the split input, opset 13's form).
/// </summary>
internal static class LayoutExport
{
    public static void Transpose(ExportContext context, Node node)
    {
        var op = (TransposeOp)node.Op;
        long[] perm = [0, .. op.Perm.Select(p => (long)p + 1)];
        context.Add(node, "Transpose", [context.Name(node.Inputs[0])], [context.Name(node.Outputs[0])], OnnxWriter.IntsAttribute("perm", perm));
    }

    public static void Split(ExportContext context, Node node)
    {
        var op = (SplitOp)node.Op;
        int rank = node.Inputs[0].SampleShape.Rank;
        long axis = (op.Axis < 0 ? op.Axis + rank : op.Axis) + 1;
        string sizes = context.Int64s(node, "split", [.. op.Sizes.Select(s => (long)s)]);
        context.Add(node, "Split", [context.Name(node.Inputs[0]), sizes], [.. node.Outputs.Select(context.Name)], OnnxWriter.IntAttribute("axis", axis));
    }
}
