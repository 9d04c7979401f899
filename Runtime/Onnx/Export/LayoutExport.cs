using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Export;

/// <summary>Ops that move values between axes: Transpose of the sample axes (ONNX's perm keeps the batch, axis 0, first).</summary>
internal static class LayoutExport
{
    public static void Transpose(ExportContext context, Node node)
    {
        var op = (TransposeOp)node.Op;
        long[] perm = [0, .. op.Perm.Select(p => (long)p + 1)];
        context.Add(node, "Transpose", [context.Name(node.Inputs[0])], [context.Name(node.Outputs[0])], OnnxWriter.IntsAttribute("perm", perm));
    }
}
