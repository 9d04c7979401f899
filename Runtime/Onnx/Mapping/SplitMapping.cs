using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Split of a computed value along a sample axis as <see cref="SplitOp"/>, one output per piece: the sizes from the
/// split attribute before opset 13 and from the constant split input from 13 on; without them, equal pieces, one per
/// output (before 18) or num_outputs pieces of ⌈size / num_outputs⌉, the last one smaller (from 18, where one of the
/// two must be given). Splitting along the batch (axis 0, ONNX's default) is refused.
/// </summary>
internal static class SplitMapping
{
    public static OnnxOpMapping[] Mappings => [new("Split", OnnxOpTable.MinOpset, 2, Split)];

    private static void Split(ImportContext context, OnnxNode node)
    {
        Value x = context.Data(node, 0);
        long axis = node.Int("axis", 0);
        int full = context.FullAxis(node, axis, x.SampleShape);
        context.Require(node, full > 0,
            $"axis {axis} splits {ImportContext.FullShape(x)} along the batch (axis 0); only the sample axes 1 … {x.SampleShape.Rank} can be split.");
        int size = x.SampleShape[full - 1], outputs = node.Outputs.Count;
        context.Require(node, outputs >= 1, "the node has no output.");
        long[] sizes = Sizes(context, node, size, outputs, axis);
        context.Require(node, sizes.Length == outputs,
            $"the split [{string.Join(", ", sizes)}] gives {sizes.Length} pieces, but the node has {outputs} outputs.");
        context.Require(node, sizes.All(s => s >= 0) && sizes.Sum() == size,
            $"the split [{string.Join(", ", sizes)}] does not cover axis {axis} of {ImportContext.FullShape(x)} ({size}) with sizes ≥ 0.");
        IReadOnlyList<Value> pieces = context.AddNode(node, new SplitOp(full - 1, [.. sizes.Select(s => (int)s)]), x);
        for (int i = 0; i < outputs; i++)
            if (node.Outputs[i].Length > 0) context.BindTensor(node, node.Outputs[i], context.Bound(pieces[i]));
    }

    private static long[] Sizes(ImportContext context, OnnxNode node, int size, int outputs, long axis)
    {
        bool hasCount = node.Attribute("num_outputs") is not null;
        if (context.Opset < 13)
        {
            IReadOnlyList<long> given = node.Ints("split");
            return given.Count > 0 ? [.. given] : Equal(context, node, size, outputs, axis);
        }
        if (node.HasInput(1))
        {
            context.Require(node, !hasCount, "both the split input and num_outputs are given; ONNX allows one of them.");
            ShapeTensor? split = context.Shape(node, 1);
            context.Require(node, split is { Scalar: false } && split.Entries.All(e => e is not null),
                $"the split '{node.Inputs[1]}' must be a constant int64 vector.");
            return [.. split!.Entries.Select(e => e!.Value)];
        }
        if (context.Opset < 18) return Equal(context, node, size, outputs, axis);
        context.Require(node, hasCount, "neither the split input nor num_outputs is given; from opset 18 one of them says the pieces.");
        long count = node.Int("num_outputs", 0);
        context.Require(node, count >= 1 && count == outputs, $"num_outputs is {count}, but the node has {outputs} outputs.");
        long chunk = (size + count - 1) / count;
        context.Require(node, chunk * (count - 1) <= size,
            $"num_outputs {count} pieces of {chunk} (⌈{size} / {count}⌉) do not fit in the {size} entries of axis {axis}.");
        return [.. Enumerable.Repeat(chunk, (int)count - 1), size - chunk * (count - 1)];
    }

    private static long[] Equal(ImportContext context, OnnxNode node, int size, int outputs, long axis)
    {
        context.Require(node, size % outputs == 0, $"axis {axis} has {size} entries, which do not split into {outputs} equal pieces.");
        return [.. Enumerable.Repeat((long)(size / outputs), outputs)];
    }
}
