using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Transpose, Squeeze, Unsqueeze and Gather where they only say how a tensor's axes are laid out: they add no node.
/// A Transpose that moves the batch and axes of size 1 but keeps the other axes in their order moves no value (the
/// values stay batch-first, as ours always are: see <see cref="BoundTensor"/>); one that reorders the other axes is a
/// <see cref="TransposeOp"/> of the sample axes, the batch recorded where perm puts it. Squeeze and Unsqueeze drop and add axes of
/// size 1. Gather picks the last step of a forward LSTM, GRU or RNN's Y (which is its Y_h), or the one entry of an
/// axis of size 1. Over a tensor computed from shapes they compute the shape (see <see cref="ShapeComputationMapping"/>).
/// </summary>
internal static class AxisMapping
{
    public static OnnxOpMapping[] Mappings =>
    [
        new("Transpose", OnnxOpTable.MinOpset, 1, Transpose),
        new("Squeeze", OnnxOpTable.MinOpset, 2, Squeeze),
        new("Unsqueeze", OnnxOpTable.MinOpset, 2, Unsqueeze),
        new("Gather", OnnxOpTable.MinOpset, 2, Gather),
    ];

    private static void Transpose(ImportContext context, OnnxNode node)
    {
        BoundTensor x = context.Tensor(node, 0);
        int rank = x.Rank;
        long[] perm = node.Attribute("perm") is null ? [.. Enumerable.Range(0, rank).Reverse().Select(i => (long)i)] : [.. node.Ints("perm")];
        string text = $"[{string.Join(", ", perm)}]";
        context.Require(node, perm.Length == rank && perm.Order().SequenceEqual(Enumerable.Range(0, rank).Select(i => (long)i)),
            $"perm {text} is not an order of the {rank} axes of {x.Shape}.");
        int batch = Array.IndexOf(perm, (long)x.BatchAxis);
        int[] dims = [.. perm.Select(p => (int)p).Where(p => p != x.BatchAxis).Select(x.Size)];
        // Where the axes other than the batch and those of size 1 keep their order, no value moves.
        var moved = perm.Select(p => (int)p).Where(p => p != x.BatchAxis && x.Size(p) != 1).ToArray();
        if (moved.SequenceEqual(moved.Order()))
        {
            int time = x.TimeAxis < 0 ? -1 : Array.IndexOf(perm, (long)x.TimeAxis);
            context.Bind(node, x with { Dims = dims, BatchAxis = batch, TimeAxis = time });
            return;
        }
        // Otherwise the sample axes are permuted (the value stays batch-first) and the batch lands where perm puts it.
        // As one sample (BatchAxis −1) every axis is a sample axis.
        int[] sample = [.. perm.Select(p => (int)p).Where(p => p != x.BatchAxis).Select(p => x.BatchAxis < 0 || p < x.BatchAxis ? p : p - 1)];
        Value permuted = context.Add(node, new TransposeOp(sample), context.Materialize(node, x, x.Dims));
        context.Bind(node, new BoundTensor(permuted, dims, batch));
    }

    private static void Squeeze(ImportContext context, OnnxNode node)
    {
        BoundTensor x = context.Tensor(node, 0);
        IReadOnlyList<long> given = Axes(context, node);
        // No axes: every axis of size 1 (the batch's size is not known here, so it stays).
        var axes = given.Count == 0
            ? Enumerable.Range(0, x.Rank).Where(a => x.Size(a) == 1).ToHashSet()
            : given.Select(a => Axis(context, node, a, x.Rank)).ToHashSet();
        context.Require(node, given.Count == 0 || axes.Count == given.Count, $"axes [{string.Join(", ", given)}] name an axis twice.");
        foreach (int a in axes)
            context.Require(node, a != x.BatchAxis && x.Size(a) == 1,
                $"axis {a} of {x.Shape} is {(a == x.BatchAxis ? "the batch" : $"of size {x.Size(a)}")}; Squeeze removes axes of size 1.");
        var kept = Enumerable.Range(0, x.Rank).Where(a => !axes.Contains(a)).ToList();
        // As one sample (no batch axis, BatchAxis -1) one axis is enough.
        context.Require(node, kept.Count >= (x.BatchAxis < 0 ? 1 : 2), $"squeezing {x.Shape} would leave {(x.BatchAxis < 0 ? "no dimension" : "only the batch")}; a sample needs at least one dimension.");
        Rebind(context, node, x, kept);
    }

    private static void Unsqueeze(ImportContext context, OnnxNode node)
    {
        if (context.Shape(node, 0) is ShapeTensor shape)
        {
            ShapeComputationMapping.Unsqueeze(context, node, shape, Axes(context, node));
            return;
        }
        BoundTensor x = context.Tensor(node, 0);
        IReadOnlyList<long> given = Axes(context, node);
        int rank = x.Rank + given.Count;
        var axes = given.Select(a => Axis(context, node, a, rank)).ToHashSet();
        context.Require(node, axes.Count == given.Count && given.Count > 0, $"axes [{string.Join(", ", given)}] must name distinct new axes.");
        // Old axis i lands at the i-th position not taken by a new axis; -1 marks the new ones.
        var sources = new List<int>();
        for (int a = 0, next = 0; a < rank; a++) sources.Add(axes.Contains(a) ? -1 : next++);
        context.Require(node, rank - 1 <= Tensors.TensorShape.MaxRank, $"the result would have {rank - 1} dimensions besides the batch; at most {Tensors.TensorShape.MaxRank} are supported.");
        int[] dims = [.. sources.Where(s => s < 0 || s != x.BatchAxis).Select(s => s < 0 ? 1 : x.Size(s))];
        context.Bind(node, x with
        {
            Dims = dims,
            BatchAxis = x.BatchAxis < 0 ? -1 : sources.IndexOf(x.BatchAxis),
            TimeAxis = x.TimeAxis < 0 ? -1 : sources.IndexOf(x.TimeAxis),
        });
    }

    private static void Gather(ImportContext context, OnnxNode node)
    {
        if (context.Shape(node, 0) is ShapeTensor shape)
        {
            ShapeComputationMapping.Gather(context, node, shape);
            return;
        }
        BoundTensor x = context.Tensor(node, 0);
        int axis = Axis(context, node, node.Int("axis", 0), x.Rank);
        OnnxTensor? indices = context.Initializer(node, 1);
        context.Require(node, indices is { DataType: OnnxDataType.Int64 or OnnxDataType.Int32, Dims.Count: 0 },
            $"the indices '{node.Inputs[1]}' must be a constant integer scalar (one entry along the axis).");
        long index = indices!.Int64s[0];
        context.Require(node, axis != x.BatchAxis, $"axis {axis} of {x.Shape} is the batch; the importer maps a Gather only along a sample axis.");
        int size = x.Size(axis);
        context.Require(node, index >= -size && index < size, $"index {index} is outside axis {axis} of {x.Shape}.");
        var kept = Enumerable.Range(0, x.Rank).Where(a => a != axis).ToList();
        if (size == 1)
        {
            Rebind(context, node, x, kept);
            return;
        }
        bool last = index == -1 || index == size - 1;
        context.Require(node, axis == x.TimeAxis && last && x.LastStep is not null,
            $"Gather picks entry {index} of axis {axis} of {x.Shape}; the importer maps a Gather along an axis of size 1, or of the last step of a forward LSTM, GRU or RNN's Y without sequence_lens (the runtime has no slicing op).");
        var rest = Rebound(x, kept);
        context.Bind(node, rest with { Value = x.LastStep, TimeAxis = -1, LastStep = null });
    }

    /// <summary>The tensor with only the axes <paramref name="kept"/> (the others have size 1), the batch among them.</summary>
    private static void Rebind(ImportContext context, OnnxNode node, BoundTensor x, List<int> kept) =>
        context.Bind(node, Rebound(x, kept));

    private static BoundTensor Rebound(BoundTensor x, List<int> kept) => x with
    {
        Dims = [.. kept.Where(a => a != x.BatchAxis).Select(x.Size)],
        BatchAxis = kept.IndexOf(x.BatchAxis),
        TimeAxis = x.TimeAxis >= 0 ? kept.IndexOf(x.TimeAxis) : -1,
        LastStep = kept.Contains(x.TimeAxis) ? x.LastStep : null,
    };

    /// <summary>Squeeze's and Unsqueeze's axes: an input from opset 13 on, an attribute before.</summary>
    internal static IReadOnlyList<long> Axes(ImportContext context, OnnxNode node)
    {
        if (context.Opset < 13) return node.Ints("axes");
        if (!node.HasInput(1)) return [];
        ShapeTensor? axes = context.Shape(node, 1);
        context.Require(node, axes is { Scalar: false } && axes.Entries.All(e => e is not null),
            $"the axes '{node.Inputs[1]}' must be a constant int64 vector.");
        return [.. axes!.Entries.Select(e => e!.Value)];
    }

    internal static int Axis(ImportContext context, OnnxNode node, long axis, int rank)
    {
        context.Require(node, axis >= -rank && axis < rank, $"axis {axis} is outside the {rank} dimensions of the input.");
        return (int)(axis < 0 ? axis + rank : axis);
    }
}
