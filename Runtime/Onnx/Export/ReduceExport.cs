using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Onnx.Mapping;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Export;

/// <summary>
/// A reduction as ONNX's Reduce* op over the sample axes (ours k is ONNX's k + 1), keepdims as set. ReduceSum takes
/// its axes as an input from opset 13, the others from opset 18; the opset is final only once every node is
/// written (Mish raises it to 18), so the node picks its form when the model is written, and the axes initializer
/// is there for either (an attribute-form node leaves it unread).
/// </summary>
internal static class ReduceExport
{
    public static void Export(ExportContext context, Node node)
    {
        var op = (ReduceOp)node.Op;
        int rank = node.Inputs[0].SampleShape.Rank;
        long[] axes = [.. op.Axes.Select(a => (long)(a < 0 ? a + rank : a) + 1).Order()];
        string opType = OpType(op.Function);
        string name = context.Fresh(node, "/" + opType);
        string input = context.Name(node.Inputs[0]), output = context.Name(node.Outputs[0]);
        string axesName = context.Int64s(node, "axes", axes);
        long since = ReduceMapping.AxesInputSince(op.Function);
        Action<ProtoWriter> keepDims = OnnxWriter.IntAttribute("keepdims", op.KeepDims ? 1 : 0);
        context.Nodes.Add(w =>
        {
            Action<ProtoWriter> write = context.Opset >= since
                ? OnnxWriter.NamedNode(name, opType, [input, axesName], [output], keepDims)
                : OnnxWriter.NamedNode(name, opType, [input], [output], keepDims, OnnxWriter.IntsAttribute("axes", axes));
            write(w);
        });
    }

    private static string OpType(ReduceFunction function) => function switch
    {
        ReduceFunction.Sum => "ReduceSum",
        ReduceFunction.Mean => "ReduceMean",
        ReduceFunction.Max => "ReduceMax",
        ReduceFunction.Min => "ReduceMin",
        ReduceFunction.Prod => "ReduceProd",
        ReduceFunction.L1 => "ReduceL1",
        ReduceFunction.L2 => "ReduceL2",
        ReduceFunction.LogSumExp => "ReduceLogSumExp",
        ReduceFunction.SumSquare => "ReduceSumSquare",
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, "Not a reduce function."),
    };
}
