using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

using static ElementwiseOperands;

/// <summary>
/// Equal, Less, LessOrEqual, Greater, GreaterOrEqual, And, Or, Xor and Not as <see cref="BinaryOp"/> nodes with
/// numpy's broadcasting (constants alone fold at import). ONNX's bool tensors are held inside the graph as float32 1
/// and 0, so a comparison feeds Where, And or a Mul as ONNX's would; a graph output of bool type is refused where the
/// outputs are read (the runtime computes in float32). Not is Equal to 0. None has a gradient (zero).
/// </summary>
internal static class ComparisonMapping
{
    public static OnnxOpMapping[] Mappings =>
    [
        Two("Equal", BinaryFunction.Equal),
        Two("Less", BinaryFunction.Less),
        Two("LessOrEqual", BinaryFunction.LessOrEqual),
        Two("Greater", BinaryFunction.Greater),
        Two("GreaterOrEqual", BinaryFunction.GreaterOrEqual),
        Two("And", BinaryFunction.And),
        Two("Or", BinaryFunction.Or),
        Two("Xor", BinaryFunction.Xor),
        new("Not", OnnxOpTable.MinOpset, 1, Not),
    ];

    private static OnnxOpMapping Two(string opType, BinaryFunction f) => new(opType, OnnxOpTable.MinOpset, 2, (c, n) => Map(c, n, f));

    private static void Map(ImportContext context, OnnxNode node, BinaryFunction f)
    {
        context.Require(node, node.Inputs.Count == 2 && node.HasInput(0) && node.HasInput(1), $"{node.OpType} with {node.Inputs.Count} inputs; expected 2.");
        Bind(context, node, Join(context, node, f, Read(context, node, 0, integerConstant: true), Read(context, node, 1, integerConstant: true)));
    }

    private static void Not(ImportContext context, OnnxNode node)
    {
        context.Require(node, node.Inputs.Count == 1 && node.HasInput(0), $"Not with {node.Inputs.Count} inputs; expected 1.");
        Operand zero = new(null, OnnxTensor.FromFloats("false", [], [0]));
        Bind(context, node, Join(context, node, BinaryFunction.Equal, Read(context, node, 0, integerConstant: true), zero));
    }
}
