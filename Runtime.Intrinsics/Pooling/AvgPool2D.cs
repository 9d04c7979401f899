using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Average pooling over <c>planes</c> = N·C planes of an NCHW tensor, forward and backward. With
/// <c>countIncludePad</c> the divisor counts the window's taps inside the padded input (so a ceil-mode window
/// running past the padding counts only what lies within it, as PyTorch does); without, only the taps on the input
/// (a dilated window that misses the input altogether gives 0).
/// Vectors and scalar loops as <see cref="MaxPool2D"/> (strides 1 and 2 only): the inside windows add their taps
/// in the scalar loop's order, so every width gives its sums bit for bit; windows two wide that tile the input
/// write dx without clearing it.
/// </summary>
public static class AvgPool2D
{
    public static void Forward(in Pool2DGeometry g, int planes, ReadOnlySpan<float> x, Span<float> y, bool countIncludePad) =>
        Forward(Isa.Width, g, planes, x, y, countIncludePad);

    internal static unsafe void Forward(SimdWidth width, in Pool2DGeometry g, int planes, ReadOnlySpan<float> x, Span<float> y, bool countIncludePad)
    {
        Pooling.Check(g, planes, x.Length, "input", g.InputPlane);
        Pooling.Check(g, planes, y.Length, "output", g.OutputPlane);
        Pooling.Disjoint(x, y);
        int h = g.InputHeight, w = g.InputWidth, ow = g.OutputWidth, sw = g.StrideWidth;
        var (rowLo, rowHi) = PoolWindows.Inside(g.OutputHeight, h, g.KernelHeight, g.StrideHeight, g.PadTop, g.DilationHeight);
        var (colLo, colHi) = PoolWindows.Inside(ow, w, g.KernelWidth, sw, g.PadLeft, g.DilationWidth);
        int taps = g.KernelHeight * g.KernelWidth;
        Span<int> offsets = stackalloc int[Math.Min(taps, PoolWindows.MaxOffsets)];
        if (taps > PoolWindows.MaxOffsets) rowHi = rowLo;
        else PoolWindows.Offsets(g, offsets);
        // Beyond stride 2 the taps would be gathers, slower than the scalar sums (3×3 stride 3: 0.29 ms against 0.21).
        SimdWidth rowWidth = PoolWindows.RowWidth(width, g, colLo, colHi, maxStride: 2);
        bool pairs = PoolWindows.Pairs(g);
        int rowStep = g.DilationHeight * w;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        fixed (float* pinned = x) // the gathers of strides over 2 read through a pointer
        {
            for (int p = 0; p < planes; p++)
            {
                int xBase = p * g.InputPlane, yBase = p * g.OutputPlane;
                for (int oy = 0; oy < g.OutputHeight; oy++)
                {
                    bool rowInside = oy >= rowLo && oy < rowHi;
                    int rows = Taps(oy, g.StrideHeight, g.PadTop, g.DilationHeight, g.KernelHeight, h, g.PadBottom, countIncludePad);
                    int yRow = yBase + oy * ow, rowFirst = xBase + (oy * g.StrideHeight - g.PadTop) * w - g.PadLeft, ox = 0;
                    if (rowInside && rowWidth != SimdWidth.Scalar)
                    {
                        for (; ox < colLo; ox++) y[yRow + ox] = Clipped(g, x, xBase, oy, ox, rows, countIncludePad);
                        // Rows without edge windows follow one another in x and y: all of them in one call.
                        int run = colLo == 0 && colHi == ow ? rowHi - oy : 1, xAdvance = g.StrideHeight * w;
                        ref float yr = ref Unsafe.Add(ref ys, yRow);
                        int done = (rowWidth, pairs) switch
                        {
                            (SimdWidth.V512, true) => PairRows<Vector512<float>, Pool512>(ref xs, x.Length, rowFirst, xAdvance, run, rowStep, g.KernelHeight, colLo, colHi, ref yr, ow),
                            (SimdWidth.V256, true) => PairRows<Vector256<float>, Pool256>(ref xs, x.Length, rowFirst, xAdvance, run, rowStep, g.KernelHeight, colLo, colHi, ref yr, ow),
                            (_, true) => PairRows<Vector128<float>, Pool128>(ref xs, x.Length, rowFirst, xAdvance, run, rowStep, g.KernelHeight, colLo, colHi, ref yr, ow),
                            (SimdWidth.V512, _) => Rows<Vector512<float>, Pool512>(ref xs, x.Length, rowFirst, xAdvance, run, sw, offsets, colLo, colHi, ref yr, ow),
                            (SimdWidth.V256, _) => Rows<Vector256<float>, Pool256>(ref xs, x.Length, rowFirst, xAdvance, run, sw, offsets, colLo, colHi, ref yr, ow),
                            _ => Rows<Vector128<float>, Pool128>(ref xs, x.Length, rowFirst, xAdvance, run, sw, offsets, colLo, colHi, ref yr, ow),
                        };
                        oy += done;
                        if (done == run)
                        {
                            oy--;
                            for (ox = colHi; ox < ow; ox++) y[yRow + ox] = Clipped(g, x, xBase, oy, ox, rows, countIncludePad);
                            continue;
                        }
                        // A vector of row oy would read past x's end: that row by the scalar loop.
                        rows = Taps(oy, g.StrideHeight, g.PadTop, g.DilationHeight, g.KernelHeight, h, g.PadBottom, countIncludePad);
                        (yRow, rowFirst, ox) = (yBase + oy * ow, xBase + (oy * g.StrideHeight - g.PadTop) * w - g.PadLeft, colLo);
                    }
                    for (; ox < ow; ox++)
                    {
                        if (rowInside && ox >= colLo && ox < colHi)
                        {
                            // Wholly on the input: every tap counts either way.
                            int first = rowFirst + ox * sw;
                            float total = 0;
                            foreach (int offset in offsets) total += Unsafe.Add(ref xs, first + offset);
                            y[yRow + ox] = total / taps;
                            continue;
                        }
                        y[yRow + ox] = Clipped(g, x, xBase, oy, ox, rows, countIncludePad);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The inside windows [lo, hi) of <paramref name="rows"/> output rows, Count at a time (the last vector of a row
    /// overlapping the one before); returns the rows done: all, or those before the first row with a vector that
    /// would read past the input's end.
    /// </summary>
    private static int Rows<TVec, TOps>(ref float xs, int length, int rowFirst, int xAdvance, int rows, int stride, ReadOnlySpan<int> offsets,
        int lo, int hi, ref float ys, int yAdvance)
        where TVec : struct where TOps : struct, IPoolVector<TVec>
    {
        int count = TOps.Count, reach = PoolWindows.Reach<TVec, TOps>(offsets[^1], stride);
        TVec taps = TOps.Create(offsets.Length), zero = TOps.Create(0);
        for (int row = 0; row < rows; row++, rowFirst += xAdvance)
        {
            if (rowFirst + (hi - count) * stride + reach > length) return row;
            ref float yr = ref Unsafe.Add(ref ys, row * yAdvance);
            for (int ox = lo; ; ox += count)
            {
                bool last = ox >= hi - count;
                if (last) ox = hi - count;
                int first = rowFirst + ox * stride;
                TVec total = zero; // from +0, as the scalar sum starts: a window of −0s averages to +0
                foreach (int offset in offsets) total = TOps.Add(total, PoolWindows.Tap<TVec, TOps>(ref xs, first + offset, stride));
                TOps.Store(TOps.Divide(total, taps), ref yr, (nuint)ox);
                if (last) break;
            }
        }
        return rows;
    }

    /// <summary><see cref="Rows{TVec, TOps}"/> for windows two wide at stride 2, as MaxPool2D's: two loads a row of taps.</summary>
    private static int PairRows<TVec, TOps>(ref float xs, int length, int rowFirst, int xAdvance, int rows, int rowStep, int kernelRows,
        int lo, int hi, ref float ys, int yAdvance)
        where TVec : struct where TOps : struct, IPoolVector<TVec>
    {
        int count = TOps.Count, reach = (kernelRows - 1) * rowStep + 2 * count;
        TVec taps = TOps.Create(2 * kernelRows), zero = TOps.Create(0);
        for (int row = 0; row < rows; row++, rowFirst += xAdvance)
        {
            if (rowFirst + 2 * (hi - count) + reach > length) return row;
            ref float yr = ref Unsafe.Add(ref ys, row * yAdvance);
            for (int ox = lo; ; ox += count)
            {
                bool last = ox >= hi - count;
                if (last) ox = hi - count;
                TVec total = zero;
                for (int ky = 0, at = rowFirst + 2 * ox; ky < kernelRows; ky++, at += rowStep)
                {
                    TVec a = TOps.Load(ref xs, (nuint)at), b = TOps.Load(ref xs, (nuint)(at + count));
                    total = TOps.Add(TOps.Add(total, TOps.Even(a, b)), TOps.Odd(a, b));
                }
                TOps.Store(TOps.Divide(total, taps), ref yr, (nuint)ox);
                if (last) break;
            }
        }
        return rows;
    }

    /// <summary>A window at an edge: the taps on the input over the counted taps (none gives 0).</summary>
    private static float Clipped(in Pool2DGeometry g, ReadOnlySpan<float> x, int xBase, int oy, int ox, int rows, bool countIncludePad)
    {
        int h = g.InputHeight, w = g.InputWidth;
        int columns = Taps(ox, g.StrideWidth, g.PadLeft, g.DilationWidth, g.KernelWidth, w, g.PadRight, countIncludePad);
        float sum = 0;
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
            if ((uint)iy >= (uint)h) continue;
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                if ((uint)ix < (uint)w) sum += x[xBase + iy * w + ix];
            }
        }
        // A dilated window can miss the input altogether; it averages nothing.
        return rows * columns == 0 ? 0 : sum / (rows * columns);
    }

    /// <summary>dx = each dy spread evenly over its window's counted taps; dx is overwritten.</summary>
    public static void Backward(in Pool2DGeometry g, int planes, ReadOnlySpan<float> dy, Span<float> dx, bool countIncludePad) =>
        Backward(Isa.Width, g, planes, dy, dx, countIncludePad);

    internal static void Backward(SimdWidth width, in Pool2DGeometry g, int planes, ReadOnlySpan<float> dy, Span<float> dx, bool countIncludePad)
    {
        Pooling.Check(g, planes, dy.Length, "output gradient", g.OutputPlane);
        Pooling.Check(g, planes, dx.Length, "input gradient", g.InputPlane);
        Pooling.Disjoint(dy, dx);
        SimdWidth tileWidth = PoolWindows.PairTiles(g) ? VectorWidth.Fit(width, g.OutputWidth) : SimdWidth.Scalar;
        if (tileWidth != SimdWidth.Scalar)
        {
            BackwardTiles(tileWidth, g, planes, dy, dx);
            return;
        }
        dx.Clear();
        int h = g.InputHeight, w = g.InputWidth, ow = g.OutputWidth;
        for (int p = 0; p < planes; p++)
        {
            int xBase = p * g.InputPlane, yBase = p * g.OutputPlane;
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                int rows = Taps(oy, g.StrideHeight, g.PadTop, g.DilationHeight, g.KernelHeight, h, g.PadBottom, countIncludePad);
                for (int ox = 0; ox < ow; ox++)
                {
                    int columns = Taps(ox, g.StrideWidth, g.PadLeft, g.DilationWidth, g.KernelWidth, w, g.PadRight, countIncludePad);
                    float share = rows * columns == 0 ? 0 : dy[yBase + oy * ow + ox] / (rows * columns);
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        if ((uint)iy >= (uint)h) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if ((uint)ix < (uint)w) dx[xBase + iy * w + ix] += share;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Windows that tile the input (no padding, so both divisors are the window's taps): each writes its share to
    /// its taps, as 0 + share like the clear-and-add pass. Count windows at a time, then the scalar loop for what is left.
    /// </summary>
    private static void BackwardTiles(SimdWidth width, in Pool2DGeometry g, int planes, ReadOnlySpan<float> dy, Span<float> dx)
    {
        int w = g.InputWidth, ow = g.OutputWidth, kh = g.KernelHeight, kw = g.KernelWidth, taps = kh * kw;
        ref float gs = ref MemoryMarshal.GetReference(dy);
        ref float dxs = ref MemoryMarshal.GetReference(dx);
        for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                int o = p * g.OutputPlane + oy * ow, first = p * g.InputPlane + oy * kh * w, ox = width switch
                {
                    SimdWidth.V512 => TileRow<Vector512<float>, Pool512>(ref Unsafe.Add(ref gs, o), ref Unsafe.Add(ref dxs, first), w, kh, ow),
                    SimdWidth.V256 => TileRow<Vector256<float>, Pool256>(ref Unsafe.Add(ref gs, o), ref Unsafe.Add(ref dxs, first), w, kh, ow),
                    _ => TileRow<Vector128<float>, Pool128>(ref Unsafe.Add(ref gs, o), ref Unsafe.Add(ref dxs, first), w, kh, ow),
                };
                for (; ox < ow; ox++)
                {
                    float share = 0f + dy[o + ox] / taps;
                    for (int ky = 0; ky < kh; ky++) dx.Slice(first + ky * w + ox * kw, kw).Fill(share);
                }
            }
    }

    /// <summary>One output row of windows two wide, Count at a time (the last vector overlapping the one before).</summary>
    private static int TileRow<TVec, TOps>(ref float dy, ref float dx, int w, int kh, int ow)
        where TVec : struct where TOps : struct, IPoolVector<TVec>
    {
        int count = TOps.Count;
        TVec taps = TOps.Create(2 * kh), zero = TOps.Create(0);
        for (int ox = 0; ; ox += count)
        {
            bool last = ox >= ow - count;
            if (last) ox = ow - count;
            TVec share = TOps.Add(zero, TOps.Divide(TOps.Load(ref dy, (nuint)ox), taps));
            TVec low = TOps.ZipLow(share, share), high = TOps.ZipHigh(share, share);
            for (int ky = 0; ky < kh; ky++)
            {
                int row = ky * w + 2 * ox;
                TOps.Store(low, ref dx, (nuint)row);
                TOps.Store(high, ref dx, (nuint)(row + count));
            }
            if (last) return ow;
        }
    }

    /// <summary>Taps of a window along one axis that count: inside [−padBegin, input + padEnd), or inside [0, input).</summary>
    private static int Taps(int o, int stride, int padBegin, int dilation, int kernel, int input, int padEnd, bool includePad)
    {
        int low = includePad ? -padBegin : 0, high = includePad ? input + padEnd : input, count = 0;
        for (int k = 0, i = o * stride - padBegin; k < kernel; k++, i += dilation)
            if (i >= low && i < high) count++;
        return count;
    }
}
