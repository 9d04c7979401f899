using Simd.Runtime.Onnx.Mapping;

namespace Simd.Runtime.Onnx.Folding;

/// <summary>
/// The shape and layout ops of constants, for every element type the folder holds: Identity, Reshape, Flatten,
/// Squeeze, Unsqueeze, Concat, Transpose, Gather, Slice, Where, Shape, Size and ConstantOfShape, with ONNX's rules (negative axes
/// from the end; Reshape's 0 keeps the input's dimension unless allowzero, and one -1 takes what is left).
/// </summary>
internal static class LayoutFolding
{
    public static (string OpType, ConstantFolder Fold)[] Folders =>
    [
        ("Identity", (c, n, i) => i[0]!),
        ("Reshape", Reshape), ("Flatten", Flatten), ("Squeeze", Squeeze), ("Unsqueeze", Unsqueeze),
        ("Concat", Concat), ("Transpose", Transpose), ("Gather", Gather), ("Shape", Shape), ("Size", Size),
        ("ConstantOfShape", ConstantOfShape), ("Slice", Slice), ("Where", Where),
    ];

    private static int Axis(ImportContext context, OnnxNode node, long axis, int rank)
    {
        context.Require(node, axis >= -rank && axis < rank, $"axis {axis} is outside the {rank} dimensions of the input.");
        return (int)(axis < 0 ? axis + rank : axis);
    }

    /// <summary>An int64 (or int32) vector input: a shape, axes or indices.</summary>
    private static long[] Integers(ImportContext context, OnnxNode node, OnnxTensor?[] inputs, int index, string role)
    {
        OnnxTensor? t = index < inputs.Length ? inputs[index] : null;
        context.Require(node, t is { DataType: OnnxDataType.Int64 or OnnxDataType.Int32 } && t.Dims.Count <= 1,
            $"the {role} '{(node.HasInput(index) ? node.Inputs[index] : "")}' must be an int64 vector.");
        return t!.Int64s.ToArray();
    }

    private static OnnxTensor Reshape(ImportContext context, OnnxNode node, OnnxTensor?[] inputs)
    {
        OnnxTensor x = inputs[0]!;
        long[] shape = Integers(context, node, inputs, 1, "shape");
        string text = $"[{string.Join(", ", shape)}]";
        bool allowZero = node.Int("allowzero", 0) != 0;
        var dims = new long[shape.Length];
        int free = -1;
        long known = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            long d = shape[i];
            context.Require(node, d >= -1, $"shape {text} holds {d}; expected sizes, 0 or one -1.");
            if (d == 0 && !allowZero)
            {
                context.Require(node, i < x.Dims.Count, $"shape {text} keeps dimension {i} (0), which the input {ImportContext.Dims(x)} does not have.");
                d = x.Dims[i];
            }
            if (d == -1)
            {
                context.Require(node, free < 0, $"shape {text} holds more than one -1.");
                free = i;
            }
            else
            {
                known *= d;
            }
            dims[i] = d;
        }
        if (free >= 0)
        {
            context.Require(node, known > 0 && x.ElementCount % known == 0, $"the {x.ElementCount} values of {ImportContext.Dims(x)} do not fill shape {text}.");
            dims[free] = x.ElementCount / known;
        }
        context.Require(node, ConstantElements.Count(dims) == x.ElementCount,
            $"shape {text} holds {ConstantElements.Count(dims)} values; the input {ImportContext.Dims(x)} has {x.ElementCount}.");
        return ConstantElements.Reshaped(x, node.Outputs[0], dims);
    }

    private static OnnxTensor Flatten(ImportContext context, OnnxNode node, OnnxTensor?[] inputs)
    {
        OnnxTensor x = inputs[0]!;
        int rank = x.Dims.Count;
        long axis = node.Int("axis", 1);
        context.Require(node, axis >= -rank && axis <= rank, $"axis {axis} is outside [{-rank}, {rank}] for the input {ImportContext.Dims(x)}.");
        var (rows, columns) = OnnxShapes.Flatten(x.Dims, axis);
        return ConstantElements.Reshaped(x, node.Outputs[0], [rows, columns]);
    }

    /// <summary>Squeeze's and Unsqueeze's axes: an attribute before opset 13, an input from 13 on.</summary>
    private static long[] Axes(ImportContext context, OnnxNode node, OnnxTensor?[] inputs) =>
        context.Opset < 13 ? [.. node.Ints("axes")] : node.HasInput(1) ? Integers(context, node, inputs, 1, "axes") : [];

    private static OnnxTensor Squeeze(ImportContext context, OnnxNode node, OnnxTensor?[] inputs)
    {
        OnnxTensor x = inputs[0]!;
        long[] given = Axes(context, node, inputs);
        int rank = x.Dims.Count;
        var axes = given.Length == 0
            ? Enumerable.Range(0, rank).Where(a => x.Dims[a] == 1).ToHashSet()
            : given.Select(a => Axis(context, node, a, rank)).ToHashSet();
        foreach (int a in axes)
            context.Require(node, x.Dims[a] == 1, $"axis {a} of {ImportContext.Dims(x)} has size {x.Dims[a]}; Squeeze removes axes of size 1.");
        return ConstantElements.Reshaped(x, node.Outputs[0], [.. Enumerable.Range(0, rank).Where(a => !axes.Contains(a)).Select(a => x.Dims[a])]);
    }

    private static OnnxTensor Unsqueeze(ImportContext context, OnnxNode node, OnnxTensor?[] inputs)
    {
        OnnxTensor x = inputs[0]!;
        long[] given = Axes(context, node, inputs);
        int rank = x.Dims.Count + given.Length;
        var axes = given.Select(a => Axis(context, node, a, rank)).ToHashSet();
        context.Require(node, axes.Count == given.Length && given.Length > 0, $"axes [{string.Join(", ", given)}] must name distinct new axes.");
        var dims = new long[rank];
        for (int a = 0, next = 0; a < rank; a++) dims[a] = axes.Contains(a) ? 1 : x.Dims[next++];
        return ConstantElements.Reshaped(x, node.Outputs[0], dims);
    }

    private static OnnxTensor Concat(ImportContext context, OnnxNode node, OnnxTensor?[] inputs)
    {
        context.Require(node, inputs.Length >= 1 && inputs.All(t => t is not null), "Concat needs one or more inputs, none of them empty.");
        context.Require(node, node.Attribute("axis") is not null, "the axis attribute is missing.");
        OnnxTensor first = inputs[0]!;
        int rank = first.Dims.Count;
        context.Require(node, rank >= 1, $"constant '{first.Name}' is a scalar; Concat joins tensors of rank 1 or more.");
        int axis = Axis(context, node, node.Int("axis", 0), rank);
        foreach (OnnxTensor? input in inputs)
        {
            OnnxTensor t = input!;
            context.Require(node, t.DataType == first.DataType, $"constants '{first.Name}' ({first.DataType}) and '{t.Name}' ({t.DataType}) are of two element types.");
            context.Require(node, t.Dims.Count == rank && Enumerable.Range(0, rank).All(a => a == axis || t.Dims[a] == first.Dims[a]),
                $"constants '{first.Name}' {ImportContext.Dims(first)} and '{t.Name}' {ImportContext.Dims(t)} differ off axis {axis}.");
        }
        long[] dims = [.. first.Dims];
        dims[axis] = inputs.Sum(t => t!.Dims[axis]);
        ConstantFolding.RequireSize(context, node, dims);
        // Each input's block of the axis, row after row of the dimensions before it.
        long outer = first.Dims.Take(axis).Aggregate(1L, (p, d) => p * d), inner = first.Dims.Skip(axis + 1).Aggregate(1L, (p, d) => p * d);
        var from = new List<int>();
        int offset = 0;
        var offsets = new int[inputs.Length];
        for (int k = 0; k < inputs.Length; k++)
        {
            offsets[k] = offset;
            offset += inputs[k]!.ElementCount;
        }
        for (long o = 0; o < outer; o++)
            for (int k = 0; k < inputs.Length; k++)
            {
                long block = inputs[k]!.Dims[axis] * inner;
                for (long e = 0; e < block; e++) from.Add((int)(offsets[k] + o * block + e));
            }
        OnnxTensor joined = Joined(first, inputs!);
        return ConstantElements.Pick(joined, node.Outputs[0], dims, [.. from]);
    }

    /// <summary>The inputs' elements one after another (Concat then picks them in order).</summary>
    private static OnnxTensor Joined(OnnxTensor first, OnnxTensor?[] inputs)
    {
        long[] flat = [inputs.Sum(t => (long)t!.ElementCount)];
        return first.DataType switch
        {
            OnnxDataType.Float => OnnxTensor.FromFloats("", flat, [.. inputs.SelectMany(t => t!.Floats.ToArray())]),
            OnnxDataType.Double => OnnxTensor.FromDoubles("", flat, [.. inputs.SelectMany(t => t!.Doubles.ToArray())]),
            _ => OnnxTensor.FromInt64s("", flat, first.DataType, [.. inputs.SelectMany(t => t!.Int64s.ToArray())]),
        };
    }

    private static OnnxTensor Transpose(ImportContext context, OnnxNode node, OnnxTensor?[] inputs)
    {
        OnnxTensor x = inputs[0]!;
        int rank = x.Dims.Count;
        long[] perm = node.Attribute("perm") is null ? [.. Enumerable.Range(0, rank).Reverse().Select(i => (long)i)] : [.. node.Ints("perm")];
        context.Require(node, perm.Length == rank && perm.Order().SequenceEqual(Enumerable.Range(0, rank).Select(i => (long)i)),
            $"perm [{string.Join(", ", perm)}] is not an order of the {rank} axes of {ImportContext.Dims(x)}.");
        long[] dims = [.. perm.Select(p => x.Dims[(int)p])];
        long[] strides = ConstantElements.Strides(x.Dims);
        var from = new int[x.ElementCount];
        for (int i = 0; i < from.Length; i++)
        {
            long rest = i, at = 0;
            for (int k = rank - 1; k >= 0; k--)
            {
                at += rest % dims[k] * strides[perm[k]];
                rest /= dims[k];
            }
            from[i] = (int)at;
        }
        return ConstantElements.Pick(x, node.Outputs[0], dims, from);
    }

    private static OnnxTensor Gather(ImportContext context, OnnxNode node, OnnxTensor?[] inputs)
    {
        OnnxTensor x = inputs[0]!;
        OnnxTensor? indices = inputs.Length > 1 ? inputs[1] : null;
        context.Require(node, indices is { DataType: OnnxDataType.Int64 or OnnxDataType.Int32 }, "the indices must be integers.");
        int rank = x.Dims.Count;
        context.Require(node, rank >= 1, $"constant '{x.Name}' is a scalar; Gather picks along an axis.");
        int axis = Axis(context, node, node.Int("axis", 0), rank);
        long size = x.Dims[axis];
        long[] picks = indices!.Int64s.ToArray();
        foreach (long p in picks)
            context.Require(node, p >= -size && p < size, $"index {p} is outside axis {axis} of {ImportContext.Dims(x)}.");
        long[] dims = [.. x.Dims.Take(axis), .. indices.Dims, .. x.Dims.Skip(axis + 1)];
        ConstantFolding.RequireSize(context, node, dims);
        long outer = x.Dims.Take(axis).Aggregate(1L, (p, d) => p * d), inner = x.Dims.Skip(axis + 1).Aggregate(1L, (p, d) => p * d);
        var from = new List<int>();
        for (long o = 0; o < outer; o++)
            foreach (long p in picks)
                for (long e = 0; e < inner; e++) from.Add((int)((o * size + (p < 0 ? p + size : p)) * inner + e));
        return ConstantElements.Pick(x, node.Outputs[0], dims, [.. from]);
    }

    /// <summary>Slice: starts, ends, axes and steps as inputs from opset 10 on (attributes before, without steps), clamped as ONNX clamps them.</summary>
    private static OnnxTensor Slice(ImportContext context, OnnxNode node, OnnxTensor?[] inputs)
    {
        OnnxTensor x = inputs[0]!;
        int rank = x.Dims.Count;
        var first = new long[rank];
        var step = new long[rank];
        long[] dims = [.. x.Dims];
        for (int a = 0; a < rank; a++) step[a] = 1;
        foreach (SliceAxis axis in SliceBounds.Read(context, node, rank, i => i < inputs.Length ? inputs[i] : null))
        {
            (first[axis.Axis], dims[axis.Axis]) = axis.Resolve(x.Dims[axis.Axis]);
            step[axis.Axis] = axis.Step;
        }
        long[] strides = ConstantElements.Strides(x.Dims);
        var from = new int[ConstantElements.Count(dims)];
        for (int i = 0; i < from.Length; i++)
        {
            long rest = i, at = 0;
            for (int a = rank - 1; a >= 0; a--)
            {
                at += (first[a] + rest % dims[a] * step[a]) * strides[a];
                rest /= dims[a];
            }
            from[i] = (int)at;
        }
        return ConstantElements.Pick(x, node.Outputs[0], dims, from);
    }

    /// <summary>
    /// Where picks each element from its second or third input by the first (nonzero is true), under numpy's
    /// broadcasting, keeping the branches' element type: a loss's integer labels stay integers.
    /// </summary>
    private static OnnxTensor Where(ImportContext context, OnnxNode node, OnnxTensor?[] inputs)
    {
        context.Require(node, inputs.Length == 3 && inputs.All(t => t is not null), $"Where with {inputs.Length} inputs; expected 3 (condition, X, Y).");
        OnnxTensor c = inputs[0]!, a = inputs[1]!, b = inputs[2]!;
        context.Require(node, a.DataType == b.DataType,
            $"constants '{a.Name}' ({a.DataType}) and '{b.Name}' ({b.DataType}) are of two element types; Where picks between two of one type.");
        int rank = inputs.Max(t => t!.Dims.Count);
        var dims = new long[rank];
        for (int k = 0; k < rank; k++)
        {
            long size = 1;
            foreach (OnnxTensor? t in inputs)
            {
                long d = k < rank - t!.Dims.Count ? 1 : t.Dims[k - (rank - t.Dims.Count)];
                context.Require(node, d == 1 || size == 1 || d == size,
                    $"constants {string.Join(", ", inputs.Select(t => $"'{t!.Name}' {ImportContext.Dims(t)}"))} do not broadcast (axis {k - rank}: {size} against {d}).");
                size = Math.Max(size, d);
            }
            dims[k] = size;
        }
        ConstantFolding.RequireSize(context, node, dims);
        bool[] condition = c.DataType switch
        {
            OnnxDataType.Float => [.. c.Floats.ToArray().Select(v => v != 0)],
            OnnxDataType.Double => [.. c.Doubles.ToArray().Select(v => v != 0)],
            _ => [.. c.Int64s.ToArray().Select(v => v != 0)],
        };
        int[] ic = ConstantElements.BroadcastIndex(c.Dims, dims), ia = ConstantElements.BroadcastIndex(a.Dims, dims), ib = ConstantElements.BroadcastIndex(b.Dims, dims);
        // Over a's elements followed by b's.
        var from = new int[ic.Length];
        for (int i = 0; i < from.Length; i++) from[i] = condition[ic[i]] ? ia[i] : a.ElementCount + ib[i];
        return ConstantElements.Pick(Joined(a, [a, b]), node.Outputs[0], dims, from);
    }

    private static OnnxTensor Shape(ImportContext context, OnnxNode node, OnnxTensor?[] inputs)
    {
        OnnxTensor x = inputs[0]!;
        int rank = x.Dims.Count;
        // Opset 15's start and end: negative from the end, clamped.
        long start = Clamp(node.Int("start", 0), rank), end = Clamp(node.Int("end", rank), rank);
        long[] dims = [.. x.Dims.Skip((int)start).Take((int)Math.Max(0, end - start))];
        return OnnxTensor.FromInt64s(node.Outputs[0], [dims.Length], OnnxDataType.Int64, dims);
    }

    private static long Clamp(long axis, int rank) => Math.Clamp(axis < 0 ? axis + rank : axis, 0, rank);

    private static OnnxTensor Size(ImportContext context, OnnxNode node, OnnxTensor?[] inputs) =>
        OnnxTensor.FromInt64s(node.Outputs[0], [], OnnxDataType.Int64, [inputs[0]!.ElementCount]);

    private static OnnxTensor ConstantOfShape(ImportContext context, OnnxNode node, OnnxTensor?[] inputs)
    {
        long[] dims = Integers(context, node, inputs, 0, "shape");
        ConstantFolding.RequireSize(context, node, dims);
        OnnxTensor? value = node.Attribute("value")?.T;
        value ??= OnnxTensor.FromFloats("value", [1], [0f]);
        context.Require(node, value.ElementCount == 1 && ConstantElements.Computable(value),
            $"the value is a {value.DataType} tensor of {value.ElementCount} elements; expected one Float, Double, Int64, Int32 or Bool.");
        return ConstantElements.Filled(value, node.Outputs[0], dims);
    }
}
