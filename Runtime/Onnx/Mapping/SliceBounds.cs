using System.Globalization;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>One axis of a Slice as the node gives it: the axis (from 0), start, end and step, not yet clamped.</summary>
internal readonly record struct SliceAxis(int Axis, long Start, long End, long Step)
{
    /// <summary>
    /// The first index read and the count of elements on an axis of <paramref name="size"/>, as ONNX clamps them: a
    /// negative start or end counts from the end, then both clamp into the axis ([0, size] for a positive step,
    /// [−1, size − 1] walking backwards), so INT64 max and min mean "to the end" either way.
    /// </summary>
    public (long First, long Count) Resolve(long size)
    {
        if (size <= 0) return (0, 0);
        long s = Start < 0 ? Start + size : Start, e = End < 0 ? End + size : End;
        if (Step > 0)
        {
            s = Math.Clamp(s, 0, size);
            e = Math.Clamp(e, 0, size);
            return (s, e <= s ? 0 : ((e - s - 1) / Step) + 1);
        }
        s = Math.Clamp(s, 0, size - 1);
        e = Math.Clamp(e, -1, size - 1);
        return (s, s <= e ? 0 : ((s - e - 1) / -Step) + 1);
    }

    /// <summary>True when the slice keeps the whole axis in order whatever its size (start 0 or INT64 min, step 1, end INT64 max or more than a size can be).</summary>
    public bool KeepsAll => Step == 1 && (Start == 0 || Start <= int.MinValue) && End >= int.MaxValue;
}

/// <summary>
/// Slice's starts, ends, axes and steps: attributes before opset 10 (no steps), inputs from 10 on (axes and steps
/// optional), each axis named once. Shared by the folder, the shape computations and the computed-value mapping, so
/// all three read and clamp them alike.
/// </summary>
internal static class SliceBounds
{
    /// <param name="rank">The sliced tensor's rank, which negative axes count back from.</param>
    /// <param name="input">The constant input <c>i</c> (1 to 4), or null where it is absent or not known at import.</param>
    public static SliceAxis[] Read(ImportContext context, OnnxNode node, int rank, Func<int, OnnxTensor?> input)
    {
        bool attributes = context.Opset < 10;
        long[] starts = attributes ? Required(context, node, "starts") : Integers(context, node, input, 1, "starts");
        long[] ends = attributes ? Required(context, node, "ends") : Integers(context, node, input, 2, "ends");
        long[] axes = attributes
            ? (node.Attribute("axes") is null ? Every(starts.Length) : [.. node.Ints("axes")])
            : node.HasInput(3) ? Integers(context, node, input, 3, "axes") : Every(starts.Length);
        long[] steps = !attributes && node.HasInput(4) ? Integers(context, node, input, 4, "steps") : [.. starts.Select(_ => 1L)];
        context.Require(node, starts.Length == ends.Length && axes.Length == starts.Length && steps.Length == starts.Length,
            $"starts, ends, axes and steps have {starts.Length}, {ends.Length}, {axes.Length} and {steps.Length} entries; Slice takes one of each per axis.");
        var result = new SliceAxis[axes.Length];
        var seen = new HashSet<int>();
        for (int k = 0; k < axes.Length; k++)
        {
            long axis = axes[k];
            context.Require(node, axis >= -rank && axis < rank, string.Create(CultureInfo.InvariantCulture, $"axis {axis} is outside the {rank} dimensions of the input."));
            int a = (int)(axis < 0 ? axis + rank : axis);
            context.Require(node, seen.Add(a), string.Create(CultureInfo.InvariantCulture, $"axes name axis {a} twice."));
            context.Require(node, steps[k] != 0, string.Create(CultureInfo.InvariantCulture, $"the step of axis {a} is 0; a step moves by at least one element."));
            result[k] = new SliceAxis(a, starts[k], ends[k], steps[k]);
        }
        return result;
    }

    private static long[] Every(int count) => [.. Enumerable.Range(0, count).Select(a => (long)a)];

    private static long[] Required(ImportContext context, OnnxNode node, string name)
    {
        context.Require(node, node.Attribute(name) is not null, $"the attribute '{name}' is missing; Slice before opset 10 takes starts and ends as attributes.");
        return [.. node.Ints(name)];
    }

    private static long[] Integers(ImportContext context, OnnxNode node, Func<int, OnnxTensor?> input, int index, string role)
    {
        context.Require(node, node.HasInput(index), $"input {index} (the {role}) is missing.");
        OnnxTensor? t = input(index);
        context.Require(node, t is not null,
            $"the {role} '{node.Inputs[index]}' are computed; the importer maps Slice with {role} known at import (constants, or computed from shapes).");
        context.Require(node, t!.DataType is OnnxDataType.Int64 or OnnxDataType.Int32 && t.Dims.Count <= 1,
            $"the {role} '{node.Inputs[index]}' are a {t.DataType} tensor of shape {ImportContext.Dims(t)}; expected an int64 or int32 vector.");
        return t.Int64s.ToArray();
    }
}
