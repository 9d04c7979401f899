using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx.Mapping;

using static ElementwiseOperands;

/// <summary>
/// Where(condition, a, b) as a <see cref="WhereOp"/>: each operand a computed value or a constant (a bool mask reads
/// as 1 and 0, a branch such as −∞ as floats), with numpy's broadcasting; computed operands share their rank, and a
/// constant aligns with [N, sample…] from the last axis (1 on the batch's, if it has one). Three constants fold
/// before this, in <see cref="Folding.LayoutFolding"/>.
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
        // Three constants fold before the mapping (Folding.LayoutFolding), which keeps their element type.
        context.Require(node, values.Length > 0, "every input is a constant, which the folder did not compute.");
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
            if (operands[o].Constant is OnnxTensor c) context.SetTensor(op, Roles[o], c);
        context.Bind(node, y);
    }
}
