using System.Globalization;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Slice with starts, ends, axes and steps known at import (<see cref="SliceBounds"/>). Of a shape computation it
/// picks the entries (<see cref="ShapeComputationMapping.Slice"/>); of a computed value it is a <see cref="SliceOp"/>
/// over the sample axes, the bounds clamped against the sample's sizes. The batch axis is sliced only to keep all of
/// it (a slice of samples would give the model another batch than it was fed); imported as one sample, every axis is
/// the sample's. A constant Slice folds before this (<see cref="Folding.LayoutFolding"/>).
/// </summary>
internal static class SliceMapping
{
    public static OnnxOpMapping[] Mappings => [new("Slice", OnnxOpTable.MinOpset, 5, Map)];

    private static void Map(ImportContext context, OnnxNode node)
    {
        context.Require(node, node.HasInput(0), "input 0 (the data) is missing.");
        if (context.Shape(node, 0) is ShapeTensor shape)
        {
            ShapeComputationMapping.Slice(context, node, shape);
            return;
        }
        BoundTensor x = context.Tensor(node, 0);
        SliceAxis[] axes = SliceBounds.Read(context, node, x.Rank, i => context.KnownConstant(node, i));
        int[] sample = x.Dims;
        int[] starts = new int[sample.Length], counts = [.. sample], steps = [.. sample.Select(_ => 1)];
        bool changes = false;
        foreach (SliceAxis axis in axes)
        {
            if (axis.Axis == x.BatchAxis)
            {
                context.Require(node, axis.KeepsAll,
                    string.Create(CultureInfo.InvariantCulture, $"it slices axis {axis.Axis} of {x.Shape}, the batch N (start {axis.Start}, end {axis.End}, step {axis.Step}); the importer slices sample axes only, so the model returns as many samples as it is fed. A graph without a batch axis imports as one sample, where every axis may be sliced."));
                continue;
            }
            int k = x.BatchAxis < 0 || axis.Axis < x.BatchAxis ? axis.Axis : axis.Axis - 1;
            (long first, long count) = axis.Resolve(sample[k]);
            context.Require(node, count > 0,
                string.Create(CultureInfo.InvariantCulture, $"the slice of axis {axis.Axis} of {x.Shape} (start {axis.Start}, end {axis.End}, step {axis.Step}) is empty; the runtime's tensors have at least one element on every axis."));
            starts[k] = (int)first;
            counts[k] = (int)count;
            // Two elements or more put the step inside the axis; after one it is never taken.
            steps[k] = count == 1 ? 1 : (int)axis.Step;
            changes |= first != 0 || count != sample[k] || steps[k] != 1;
        }
        if (!changes)
        {
            context.Bind(node, x);
            return;
        }
        context.Bind(node, context.Add(node, new SliceOp(starts, counts, steps), context.Data(node, 0)));
    }
}
