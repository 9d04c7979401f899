namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The output rows and columns whose windows lie wholly on the input (no tap in the padding or past a ceil-mode
/// edge): there the pooling loops read every tap at a fixed offset, without clipping.
/// </summary>
internal static class PoolWindows
{
    /// <summary>Taps whose offsets go on the stack; larger windows (beyond 32×32) run the clipped loops only.</summary>
    public const int MaxOffsets = 1024;

    /// <summary>[lo, hi) of the outputs o along an axis whose taps o·stride − padBegin + k·dilation all lie in [0, input).</summary>
    public static (int Lo, int Hi) Inside(int output, int input, int kernel, int stride, int padBegin, int dilation)
    {
        int lo = (padBegin + stride - 1) / stride;
        int last = input - 1 - (kernel - 1) * dilation + padBegin; // the largest o·stride allowed
        int hi = last < 0 ? 0 : last / stride + 1;
        lo = Math.Min(lo, output);
        hi = Math.Clamp(hi, lo, output);
        return (lo, hi);
    }

    /// <summary>Offsets of a window's taps from its top-left tap, row-major, into <paramref name="offsets"/>.</summary>
    public static void Offsets(in Pool2DGeometry g, Span<int> offsets)
    {
        for (int ky = 0, r = 0; ky < g.KernelHeight; ky++)
            for (int kx = 0; kx < g.KernelWidth; kx++, r++)
                offsets[r] = ky * g.DilationHeight * g.InputWidth + kx * g.DilationWidth;
    }
}
