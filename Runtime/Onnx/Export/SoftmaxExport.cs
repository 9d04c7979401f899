using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Export;

/// <summary>Softmax and log-softmax over the last axis: ONNX's Softmax and LogSoftmax with axis −1 (opset 13's meaning).</summary>
internal static class SoftmaxExport
{
    public static void Export(ExportContext context, Node node) =>
        context.Add(node, ((SoftmaxOp)node.Op).Log ? "LogSoftmax" : "Softmax", [context.Name(node.Inputs[0])], [context.Name(node.Outputs[0])],
            OnnxWriter.IntAttribute("axis", -1));
}
