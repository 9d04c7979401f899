using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx.Mapping;

using static ElementwiseOperands;

/// <summary>
/// Where(condition, a, b) as a <see cref="WhereOp"/>: each operand a computed value or a constant (a bool mask reads
/// as 1 and 0, a branch such as −∞ as floats), with numpy's broadcasting; computed operands share their rank, and a
/// constant aligns with [N, sample…] from the last axis (1 on the batch's, if it has one). Three constants fold at
/// import.
/// </summary>
internal static class WhereMapping
{
    private static readonly string[] Roles = ["condition", "a", "b"];

    public static OnnxOpMapping[] Mappings => [new("Where", 9, 3, Map)];

    private static void Map(ImportContext context, OnnxNode node)
    {
        context.Require(node, node.Inputs.Count == 3 && Enumerable.Range(0, 3).All(node.HasInput), $"Where with {node.Inputs.Count} inputs; expected 3 (condition, X, Y).");
        Operand[] operands = [.. Enumerable.Range(0, 3).Select(i => Read(context, node, i, integerConstant: true))];
        Value[] values = [.. operands.Where(o => o.Value is not null).Select(o => o.Value!)];
        if (values.Length == 0)
        {
            context.BindConstant(node, Fold(context, node, [.. operands.Select(o => o.Constant!)]));
            return;
        }
        Value x = values[0];
        foreach (Value v in values)
            context.Require(node, v.SampleShape.Rank == x.SampleShape.Rank,
                $"the computed inputs have shapes {string.Join(" and ", values.Select(ImportContext.FullShape))}; computed values broadcast only with the same rank (with fewer axes one's batch would meet an axis of the other).");
        var shapes = new TensorShape?[3];
        for (int o = 0; o < 3; o++)
            if (operands[o].Constant is OnnxTensor c) shapes[o] = Sample(context, node, c, x);
        var op = new WhereOp(shapes[0], shapes[1], shapes[2]);
        Value y = context.Add(node, op, values);
        for (int o = 0; o < 3; o++)
            if (operands[o].Constant is OnnxTensor c) context.SetTensor(op, Roles[o], c.Floats.ToArray());
        context.Bind(node, y);
    }

    /// <summary>Where of three constants under numpy's broadcasting, through the kernel the op would run.</summary>
    private static OnnxTensor Fold(ImportContext context, OnnxNode node, OnnxTensor[] t)
    {
        int rank = t.Max(c => c.Dims.Count);
        var dims = new long[rank];
        for (int k = 0; k < rank; k++)
        {
            long size = 1;
            foreach (OnnxTensor c in t)
            {
                long d = k < rank - c.Dims.Count ? 1 : c.Dims[k - (rank - c.Dims.Count)];
                context.Require(node, d == 1 || size == 1 || d == size,
                    $"constants {string.Join(", ", t.Select(c => $"'{c.Name}' {ImportContext.Dims(c)}"))} do not broadcast (axis {k - rank}: {size} against {d}).");
                size = Math.Max(size, d);
            }
            dims[k] = size;
        }
        long total = dims.Aggregate(1L, (p, d) => p * d);
        context.Require(node, total <= 1 << 26, $"folding constants into {total} values; the importer folds at most {1 << 26}.");
        var z = new float[total];
        WhereMath.Forward(Expand(t[0], dims), Expand(t[1], dims), Expand(t[2], dims), z);
        return OnnxTensor.FromFloats(node.Outputs[0], dims, z);
    }
}
