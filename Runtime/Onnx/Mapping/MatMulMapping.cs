using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// MatMul of two computed values (attention's Q·Kᵀ and weights·V) as a <see cref="MatMulOp"/>: both batch-first and
/// of one rank, so ONNX's broadcasting of the leading axes pairs the batch with the batch, and the sample axes
/// before the last two broadcast as numpy's do. Imported as one sample, where the tensors are whole, numpy's rules
/// for operands of other ranks apply too: a vector is a matrix of one row (first operand) or one column (second),
/// that axis dropped from the product, and the operand of lower rank gains leading axes of 1. A MatMul with a
/// constant second operand is a Dense (<see cref="DenseMapping"/>).
/// </summary>
internal static class MatMulMapping
{
    public static void Batched(ImportContext context, OnnxNode node)
    {
        Value a = context.Data(node, 0), b = context.Data(node, 1);
        string shapes = $"{ImportContext.FullShape(a)} and {ImportContext.FullShape(b)}";
        if (context.OneSample && (a.SampleShape.Rank != b.SampleShape.Rank || a.SampleShape.Rank < 2))
        {
            Numpy(context, node, a, b);
            return;
        }
        context.Require(node, a.SampleShape.Rank >= 2 && b.SampleShape.Rank == a.SampleShape.Rank,
            $"MatMul of the computed values {shapes}: both must have one rank, at least 3 with the batch (a batch of matrices each); an operand of lower rank would broadcast against the batch N.");
        context.Bind(node, context.Add(node, new MatMulOp(), a, b));
    }

    /// <summary>numpy's matmul over whole tensors of different ranks, through reshapes (views) around one MatMulOp.</summary>
    private static void Numpy(ImportContext context, OnnxNode node, Value a, Value b)
    {
        int[] da = a.SampleShape.ToArray(), db = b.SampleShape.ToArray();
        string shapes = $"{context.Bound(a).Shape} and {context.Bound(b).Shape}";
        bool rowVector = da.Length == 1, columnVector = db.Length == 1;
        context.Require(node, !(rowVector && columnVector),
            $"MatMul of the vectors {shapes} is a scalar (rank 0), which a graph imported as one sample does not output; ReduceSum of their Mul gives it as [1].");
        if (rowVector) da = [1, da[0]];
        if (columnVector) db = [db[0], 1];
        int rank = Math.Max(da.Length, db.Length);
        da = [.. Enumerable.Repeat(1, rank - da.Length), .. da];
        db = [.. Enumerable.Repeat(1, rank - db.Length), .. db];
        context.Require(node, da[^1] == db[^2],
            $"MatMul of {shapes}: the first operand's {da[^1]} columns do not meet the second's {db[^2]} rows.");
        Value y = context.Add(node, new MatMulOp(), Reshaped(context, node, a, da), Reshaped(context, node, b, db));
        // The product's shape without the axes the vectors gained.
        List<int> dims = [.. y.SampleShape.ToArray()];
        if (columnVector) dims.RemoveAt(dims.Count - 1);
        if (rowVector) dims.RemoveAt(dims.Count - (columnVector ? 1 : 2));
        context.Bind(node, Reshaped(context, node, y, [.. dims]));
    }

    private static Value Reshaped(ImportContext context, OnnxNode node, Value x, int[] dims) =>
        x.SampleShape.ToArray().SequenceEqual(dims) ? x : context.Add(node, new ReshapeOp(dims), x);
}
