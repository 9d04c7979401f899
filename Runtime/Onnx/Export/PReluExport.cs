using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Export;

/// <summary>PReLU as ONNX's PRelu with its slope as an initializer of the slope's shape (which broadcasts the same way), and CELU as Celu.</summary>
internal static class PReluExport
{
    public static void PRelu(ExportContext context, Node node) =>
        context.Add(node, "PRelu", [context.Name(node.Inputs[0]), context.Tensor(node, "slope", ExportContext.Dims(((PReluOp)node.Op).SlopeShape))],
            [context.Name(node.Outputs[0])]);

    public static void Celu(ExportContext context, Node node) =>
        context.Add(node, "Celu", [context.Name(node.Inputs[0])], [context.Name(node.Outputs[0])], OnnxWriter.FloatAttribute("alpha", ((CeluOp)node.Op).Alpha));
}
