namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The reference for <see cref="Transpose"/>: every output float by index arithmetic over the full shape, with no
/// merging of axes and no tiles. Tests hold the blocked kernel to it bit for bit.
/// </summary>
internal static class TransposeScalar
{
    public static void Permute(ReadOnlySpan<float> x, Span<float> y, int count, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm)
    {
        int rank = shape.Length;
        var inStrides = new long[rank];
        long length = 1;
        for (int a = rank - 1; a >= 0; a--)
        {
            inStrides[a] = length;
            length *= shape[a];
        }
        var outDims = new int[rank];
        for (int i = 0; i < rank; i++) outDims[i] = shape[perm[i]];
        var index = new int[rank];
        for (long b = 0; b < count; b++)
            for (long o = 0; o < length; o++)
            {
                long rest = o, from = 0;
                for (int i = rank - 1; i >= 0; i--)
                {
                    index[i] = (int)(rest % outDims[i]);
                    rest /= outDims[i];
                    from += index[i] * inStrides[perm[i]];
                }
                y[(int)(b * length + o)] = x[(int)(b * length + from)];
            }
    }
}
