using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// MatMul of two computed values (attention's Q·Kᵀ and weights·V) as a <see cref="MatMulOp"/>: both batch-first and
/// of one rank, so ONNX's broadcasting of the leading axes pairs the batch with the batch, and the sample axes
/// before the last two broadcast as numpy's do. A MatMul with a constant second operand is a Dense
/// (<see cref="DenseMapping"/>).
/// </summary>
internal static class MatMulMapping
{
    public static void Batched(ImportContext context, OnnxNode node)
    {
        Value a = context.Data(node, 0), b = context.Data(node, 1);
        string shapes = $"{ImportContext.FullShape(a)} and {ImportContext.FullShape(b)}";
        context.Require(node, a.SampleShape.Rank >= 2 && b.SampleShape.Rank == a.SampleShape.Rank,
            $"MatMul of the computed values {shapes}: both must have one rank, at least 3 with the batch (a batch of matrices each); an operand of lower rank would broadcast against the batch N.");
        context.Bind(node, context.Add(node, new MatMulOp(), a, b));
    }
}
