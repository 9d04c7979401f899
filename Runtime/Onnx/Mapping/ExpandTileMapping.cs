using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Expand (to a shape known at import: an int64 constant, or one computed from shapes with the batch N in its
/// batch place) as an <see cref="ExpandOp"/>, and Tile (by constant repeats) as a <see cref="TileOp"/>, both over
/// the sample axes: the batch keeps its size. The shape aligns with [N, sample…] from the last axis, so it may have
/// fewer entries than the input has axes; an entry at the batch's place is 1 or N. A constant Expand folds. In a
/// graph imported as one sample there is no batch: shape and repeats are the whole tensor's.
/// </summary>
internal static class ExpandTileMapping
{
    public static OnnxOpMapping[] Mappings => [new("Expand", 8, 2, Expand), new("Tile", 6, 2, Tile)];

    private static long?[] Known(ImportContext context, OnnxNode node, int index, string what)
    {
        context.Require(node, node.Inputs.Count == 2 && node.HasInput(0) && node.HasInput(1), $"{node.OpType} with {node.Inputs.Count} inputs; expected 2 (input, {what}).");
        ShapeTensor shape = context.Shape(node, index)
            ?? throw context.Fail(node, $"{what} '{node.Inputs[index]}' is not known at import; the importer maps {node.OpType} with {what} that is an int64 constant (or computed from shapes).");
        context.Require(node, !shape.Scalar, $"{what} '{node.Inputs[index]}' is a scalar; expected a list of one entry per axis.");
        return shape.Entries;
    }

    private static void Expand(ImportContext context, OnnxNode node)
    {
        long?[] shape = Known(context, node, 1, "shape");
        string text = new ShapeTensor(shape, false).Text;
        if (context.IsConstant(node, 0))
        {
            OnnxTensor c = ElementwiseOperands.Read(context, node, 0, integerConstant: true).Constant!;
            context.Require(node, shape.All(d => d is >= 1), $"shape {text} holds the batch N or a size below 1; a constant expands to known sizes of at least 1.");
            int rank = Math.Max(c.Dims.Count, shape.Length);
            var dims = new long[rank];
            for (int k = 0; k < rank; k++)
            {
                long d = k < rank - c.Dims.Count ? 1 : c.Dims[k - (rank - c.Dims.Count)];
                long s = k < rank - shape.Length ? 1 : shape[k - (rank - shape.Length)]!.Value;
                context.Require(node, d == s || d == 1 || s == 1, $"constant '{c.Name}' {ImportContext.Dims(c)} does not expand to {text} (axis {k - rank}: {d} against {s}).");
                dims[k] = Math.Max(d, s);
            }
            long total = dims.Aggregate(1L, (p, d) => p * d);
            context.Require(node, total <= 1 << 26, $"expanding constant '{c.Name}' to {total} values; the importer folds at most {1 << 26}.");
            context.BindConstant(node, OnnxTensor.FromFloats(node.Outputs[0], dims, ElementwiseOperands.Expand(c, dims)));
            return;
        }
        Value x = context.Data(node, 0);
        if (context.OneSample)
        {
            // No batch: the shape is the whole result's, and may add leading axes as numpy's broadcasting does.
            context.Require(node, shape.All(d => d is >= 1), $"shape {text} holds a size below 1 or one not known at import; expected known sizes of at least 1.");
            context.Bind(node, context.Add(node, new ExpandOp([.. shape.Select(d => (int)d!.Value)]), x));
            return;
        }
        int full = x.SampleShape.Rank + 1;
        context.Require(node, shape.Length <= full,
            $"shape {text} has {shape.Length} entries, more than the {full} axes of {ImportContext.FullShape(x)}: it would add axes in front of the batch N.");
        if (shape.Length == full)
            context.Require(node, shape[0] is null or 1, $"shape {text} has {shape[0]} at the batch's place; Expand keeps the batch N (1 or N there).");
        long?[] sample = shape.Length == full ? shape[1..] : shape;
        context.Require(node, sample.All(d => d is >= 1), $"shape {text} holds the batch N or a size below 1 on a sample axis of {ImportContext.FullShape(x)}; expected known sizes of at least 1 there.");
        context.Bind(node, context.Add(node, new ExpandOp([.. sample.Select(d => (int)d!.Value)]), x));
    }

    private static void Tile(ImportContext context, OnnxNode node)
    {
        long?[] repeats = Known(context, node, 1, "repeats");
        string text = new ShapeTensor(repeats, false).Text;
        Value x = context.Data(node, 0);
        if (context.OneSample)
        {
            int rank = x.SampleShape.Rank;
            context.Require(node, repeats.Length == rank, $"repeats {text} has {repeats.Length} entries; expected one per axis of {context.Bound(x).Shape} ({rank}).");
            context.Require(node, repeats.All(r => r is >= 1 and <= int.MaxValue), $"repeats {text} holds a count below 1; expected at least 1 on every axis.");
            context.Bind(node, context.Add(node, new TileOp([.. repeats.Select(r => (int)r!.Value)]), x));
            return;
        }
        int full = x.SampleShape.Rank + 1;
        context.Require(node, repeats.Length == full, $"repeats {text} has {repeats.Length} entries; expected one per axis of {ImportContext.FullShape(x)} ({full}).");
        context.Require(node, repeats[0] == 1, $"repeats {text} repeats the batch N {repeats[0]?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "N"} times; the importer tiles the sample axes only (1 at the batch's place).");
        context.Require(node, repeats.Skip(1).All(r => r is >= 1 and <= int.MaxValue), $"repeats {text} holds a count below 1; expected at least 1 on every sample axis.");
        context.Bind(node, context.Add(node, new TileOp([.. repeats.Skip(1).Select(r => (int)r!.Value)]), x));
    }
}
