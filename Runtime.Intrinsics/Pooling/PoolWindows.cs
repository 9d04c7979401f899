using System.Runtime.CompilerServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The output rows and columns whose windows lie wholly on the input (no tap in the padding or past a ceil-mode
/// edge): there the pooling loops read every tap at a fixed offset, without clipping, and with vectors along the
/// output row (a tap's inputs for consecutive outputs are one vector at stride 1, the even lanes of two at stride
/// 2, a gather beyond).
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

    /// <summary>
    /// The width the inside columns [lo, hi) of a row run at: the widest not above <paramref name="width"/> whose
    /// vector fits in them, for windows whose offsets fit on the stack and strides of at most
    /// <paramref name="maxStride"/>; else scalar.
    /// </summary>
    public static SimdWidth RowWidth(SimdWidth width, in Pool2DGeometry g, int lo, int hi, int maxStride) =>
        g.StrideWidth <= maxStride && g.KernelHeight * g.KernelWidth <= MaxOffsets ? VectorWidth.Fit(width, hi - lo) : SimdWidth.Scalar;

    /// <summary>
    /// True for windows two wide at stride 2 without dilation across (LeNet's 2×2 stride 2): each row of a
    /// window's taps is then the even and the odd lanes of the same two vectors.
    /// </summary>
    public static bool Pairs(in Pool2DGeometry g) => g.KernelWidth == 2 && g.StrideWidth == 2 && g.DilationWidth == 1;

    /// <summary>
    /// True for windows two wide that tile the input exactly (stride = kernel, no padding or dilation, nothing left
    /// over): each input then belongs to one window, so a backward pass can write dx once instead of clearing it
    /// and adding into it.
    /// </summary>
    public static bool PairTiles(in Pool2DGeometry g) =>
        g.KernelWidth == 2 && g.StrideWidth == 2 && g.StrideHeight == g.KernelHeight && g.DilationHeight == 1 && g.DilationWidth == 1 &&
        g.PadTop == 0 && g.PadLeft == 0 && g.PadBottom == 0 && g.PadRight == 0 &&
        g.OutputHeight * g.KernelHeight == g.InputHeight && g.OutputWidth * 2 == g.InputWidth;

    /// <summary>
    /// Elements a vector of windows reads from its first tap's first input: the last tap's offset and one vector,
    /// or two at stride 2.
    /// </summary>
    public static int Reach<TVec, TOps>(int lastOffset, int stride) where TVec : struct where TOps : struct, IPoolVector<TVec> =>
        lastOffset + stride * TOps.Count;

    /// <summary>
    /// One tap of Count consecutive windows: inputs at + stride·i; one load at stride 1, the even lanes of two at
    /// stride 2, a gather beyond (so x must be pinned).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe TVec Tap<TVec, TOps>(ref float xs, int at, int stride) where TVec : struct where TOps : struct, IPoolVector<TVec> =>
        stride == 1 ? TOps.Load(ref xs, (nuint)at) :
        stride == 2 ? TOps.Even(TOps.Load(ref xs, (nuint)at), TOps.Load(ref xs, (nuint)(at + TOps.Count))) :
        TOps.Gather((float*)Unsafe.AsPointer(ref Unsafe.Add(ref xs, at)), stride);
}
