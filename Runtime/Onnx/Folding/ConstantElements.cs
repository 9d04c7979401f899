namespace Simd.Runtime.Onnx.Folding;

/// <summary>
/// How the folder reads and makes the elements of a constant: float, double, or integers (Int64, Int32 and Bool,
/// held as int64), whatever the element type, moved by an index map so that one loop serves every type.
/// </summary>
internal static class ConstantElements
{
    /// <summary>The most values a folded constant may have (256 MiB of floats).</summary>
    public const long MaxValues = 1 << 26;

    /// <summary>True for an element type the folder computes with.</summary>
    public static bool Computable(OnnxTensor t) =>
        t.DataType is OnnxDataType.Float or OnnxDataType.Double or OnnxDataType.Int64 or OnnxDataType.Int32
        || (t.DataType is OnnxDataType.Bool && t.HoldsElements);

    public static bool IsInteger(OnnxDataType type) => type is OnnxDataType.Int64 or OnnxDataType.Int32 or OnnxDataType.Bool;

    /// <summary>Element <c>from[i]</c> of <paramref name="t"/> becomes element i of a tensor of <paramref name="dims"/>, of t's type.</summary>
    public static OnnxTensor Pick(OnnxTensor t, string name, long[] dims, int[] from)
    {
        switch (t.DataType)
        {
            case OnnxDataType.Float:
            {
                ReadOnlySpan<float> v = t.Floats;
                var r = new float[from.Length];
                for (int i = 0; i < r.Length; i++) r[i] = v[from[i]];
                return OnnxTensor.FromFloats(name, dims, r);
            }
            case OnnxDataType.Double:
            {
                ReadOnlySpan<double> v = t.Doubles;
                var r = new double[from.Length];
                for (int i = 0; i < r.Length; i++) r[i] = v[from[i]];
                return OnnxTensor.FromDoubles(name, dims, r);
            }
            default:
            {
                ReadOnlySpan<long> v = t.Int64s;
                var r = new long[from.Length];
                for (int i = 0; i < r.Length; i++) r[i] = v[from[i]];
                return OnnxTensor.FromInt64s(name, dims, t.DataType, r);
            }
        }
    }

    /// <summary>The same elements under another shape (Reshape, Squeeze, Unsqueeze, Flatten).</summary>
    public static OnnxTensor Reshaped(OnnxTensor t, string name, long[] dims) => t.DataType switch
    {
        OnnxDataType.Float => OnnxTensor.FromFloats(name, dims, t.Floats.ToArray()),
        OnnxDataType.Double => OnnxTensor.FromDoubles(name, dims, t.Doubles.ToArray()),
        _ => OnnxTensor.FromInt64s(name, dims, t.DataType, t.Int64s.ToArray()),
    };

    /// <summary>A tensor of <paramref name="dims"/> whose every element is the one element of <paramref name="value"/> (ConstantOfShape).</summary>
    public static OnnxTensor Filled(OnnxTensor value, string name, long[] dims)
    {
        int count = (int)Count(dims);
        switch (value.DataType)
        {
            case OnnxDataType.Float:
                var f = new float[count];
                Array.Fill(f, value.Floats[0]);
                return OnnxTensor.FromFloats(name, dims, f);
            case OnnxDataType.Double:
                var d = new double[count];
                Array.Fill(d, value.Doubles[0]);
                return OnnxTensor.FromDoubles(name, dims, d);
            default:
                var l = new long[count];
                Array.Fill(l, value.Int64s[0]);
                return OnnxTensor.FromInt64s(name, dims, value.DataType, l);
        }
    }

    public static long Count(IReadOnlyList<long> dims) => dims.Aggregate(1L, (p, d) => p * d);

    /// <summary>Row-major strides of <paramref name="dims"/>.</summary>
    public static long[] Strides(IReadOnlyList<long> dims)
    {
        var strides = new long[dims.Count];
        long stride = 1;
        for (int k = dims.Count - 1; k >= 0; k--)
        {
            strides[k] = stride;
            stride *= dims[k];
        }
        return strides;
    }

    /// <summary>For each element of a tensor of <paramref name="dims"/>, the element of <paramref name="source"/> numpy's broadcasting reads.</summary>
    public static int[] BroadcastIndex(IReadOnlyList<long> source, long[] dims)
    {
        int rank = dims.Length, skip = rank - source.Count;
        var strides = new long[rank];
        long stride = 1;
        for (int k = rank - 1; k >= 0; k--)
        {
            long size = k < skip ? 1 : source[k - skip];
            strides[k] = size == 1 ? 0 : stride;
            stride *= size;
        }
        var from = new int[Count(dims)];
        for (int i = 0; i < from.Length; i++)
        {
            long at = 0, rest = i;
            for (int k = rank - 1; k >= 0; k--)
            {
                at += rest % dims[k] * strides[k];
                rest /= dims[k];
            }
            from[i] = (int)at;
        }
        return from;
    }
}
