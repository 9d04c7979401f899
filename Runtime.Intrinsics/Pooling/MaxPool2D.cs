using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Max pooling over <c>planes</c> = N·C planes of an NCHW tensor, forward saving where each maximum came from and
/// backward scattering through those positions. Indices are flat into x (plane·H·W + row·W + column), ONNX's
/// <c>Indices</c> output with storage order 0. NaN wins over numbers (the first NaN of a window), as in PyTorch;
/// among equal maxima the first in row-major order.
/// <para>
/// The windows wholly on the input run as vectors along the output row (see <see cref="PoolWindows"/>; beyond
/// stride 2 each tap is a gather), taking the taps in the scalar loop's order with its rule per lane, so every
/// width gives the scalar loop's values and indices bit for bit; the windows at the edges run the scalar loops. Windows that tile the input exactly write dx in one pass, without clearing it first.
/// 2×2 windows at stride 2 tiling planes whose rows fit in two vectors, forward and backward, are a case of their
/// own (<see cref="MaxPoolRowPairs"/>: several rows to a vector), chosen by shape before any of this.
/// </para>
/// </summary>
public static class MaxPool2D
{
    /// <summary>y = the window maxima; <paramref name="indices"/> (empty, or y's length) receives their positions.</summary>
    public static void Forward(in Pool2DGeometry g, int planes, ReadOnlySpan<float> x, Span<float> y, Span<int> indices) =>
        Forward(Isa.Width, g, planes, x, y, indices);

    internal static unsafe void Forward(SimdWidth width, in Pool2DGeometry g, int planes, ReadOnlySpan<float> x, Span<float> y, Span<int> indices)
    {
        Pooling.Check(g, planes, x.Length, "input", g.InputPlane);
        Pooling.Check(g, planes, y.Length, "output", g.OutputPlane);
        if (!indices.IsEmpty) Pooling.Check(g, planes, indices.Length, "indices", g.OutputPlane);
        Pooling.Disjoint(x, y);
        var (pairsWidth, pairsStep) = MaxPoolRowPairs.Choose(width, g, planes);
        if (pairsWidth != SimdWidth.Scalar)
        {
            MaxPoolRowPairs.Forward(pairsWidth, pairsStep, g, x, y, indices);
            return;
        }
        int h = g.InputHeight, w = g.InputWidth, ow = g.OutputWidth, sh = g.StrideHeight, sw = g.StrideWidth;
        var (rowLo, rowHi) = PoolWindows.Inside(g.OutputHeight, h, g.KernelHeight, sh, g.PadTop, g.DilationHeight);
        var (colLo, colHi) = PoolWindows.Inside(ow, w, g.KernelWidth, sw, g.PadLeft, g.DilationWidth);
        int taps = g.KernelHeight * g.KernelWidth;
        Span<int> offsets = stackalloc int[Math.Min(taps, PoolWindows.MaxOffsets)];
        if (taps > PoolWindows.MaxOffsets) rowHi = rowLo; // a huge window: every window takes the clipped loop
        else PoolWindows.Offsets(g, offsets);
        SimdWidth rowWidth = PoolWindows.RowWidth(width, g, colLo, colHi, int.MaxValue);
        bool track = !indices.IsEmpty, pairs = PoolWindows.Pairs(g);
        int rowStep = g.DilationHeight * w;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref int ids = ref MemoryMarshal.GetReference(indices);
        fixed (float* pinned = x) // the gathers of strides over 2 read through a pointer
        {
            for (int p = 0; p < planes; p++)
            {
                int xBase = p * g.InputPlane, yBase = p * g.OutputPlane;
                for (int oy = 0; oy < g.OutputHeight; oy++)
                {
                    bool rowInside = oy >= rowLo && oy < rowHi;
                    int yRow = yBase + oy * ow, rowFirst = xBase + (oy * sh - g.PadTop) * w - g.PadLeft, ox = 0;
                    if (rowInside && rowWidth != SimdWidth.Scalar)
                    {
                        for (; ox < colLo; ox++) Write(y, indices, yRow + ox, Clipped(g, x, xBase, oy, ox));
                        // Rows without edge windows follow one another in x and y: all of them in one call.
                        int rows = colLo == 0 && colHi == ow ? rowHi - oy : 1, xAdvance = sh * w;
                        ref float yr = ref Unsafe.Add(ref ys, yRow);
                        ref int ir = ref Unsafe.Add(ref ids, yRow);
                        int done = (rowWidth, pairs) switch
                        {
                            (SimdWidth.V512, true) => PairRows<Vector512<float>, Pool512>(ref xs, x.Length, rowFirst, xAdvance, rows, rowStep, g.KernelHeight, colLo, colHi, ref yr, ow, ref ir, track),
                            (SimdWidth.V256, true) => PairRows<Vector256<float>, Pool256>(ref xs, x.Length, rowFirst, xAdvance, rows, rowStep, g.KernelHeight, colLo, colHi, ref yr, ow, ref ir, track),
                            (_, true) => PairRows<Vector128<float>, Pool128>(ref xs, x.Length, rowFirst, xAdvance, rows, rowStep, g.KernelHeight, colLo, colHi, ref yr, ow, ref ir, track),
                            (SimdWidth.V512, _) => Rows<Vector512<float>, Pool512>(ref xs, x.Length, rowFirst, xAdvance, rows, sw, offsets, colLo, colHi, ref yr, ow, ref ir, track),
                            (SimdWidth.V256, _) => Rows<Vector256<float>, Pool256>(ref xs, x.Length, rowFirst, xAdvance, rows, sw, offsets, colLo, colHi, ref yr, ow, ref ir, track),
                            _ => Rows<Vector128<float>, Pool128>(ref xs, x.Length, rowFirst, xAdvance, rows, sw, offsets, colLo, colHi, ref yr, ow, ref ir, track),
                        };
                        oy += done;
                        if (done == rows)
                        {
                            oy--;
                            for (ox = colHi; ox < ow; ox++) Write(y, indices, yRow + ox, Clipped(g, x, xBase, oy, ox));
                            continue;
                        }
                        // A vector of row oy would read past x's end: that row by the scalar loop.
                        (yRow, rowFirst, ox) = (yBase + oy * ow, xBase + (oy * sh - g.PadTop) * w - g.PadLeft, colLo);
                    }
                    for (; ox < ow; ox++)
                        Write(y, indices, yRow + ox, rowInside && ox >= colLo && ox < colHi
                            ? Inside(ref xs, rowFirst + ox * sw, offsets)
                            : Clipped(g, x, xBase, oy, ox));
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(Span<float> y, Span<int> indices, int o, (float Best, int At) window)
    {
        y[o] = window.Best;
        if (!indices.IsEmpty) indices[o] = window.At;
    }

    /// <summary>
    /// The inside windows [lo, hi) of <paramref name="rows"/> output rows, Count at a time (the last vector of a row
    /// overlapping the one before); returns the rows done: all, or those before the first row with a vector that
    /// would read past the input's end.
    /// </summary>
    private static int Rows<TVec, TOps>(ref float xs, int length, int rowFirst, int xAdvance, int rows, int stride, ReadOnlySpan<int> offsets,
        int lo, int hi, ref float ys, int yAdvance, ref int ids, bool track)
        where TVec : struct where TOps : struct, IPoolVector<TVec>
    {
        int count = TOps.Count, reach = PoolWindows.Reach<TVec, TOps>(offsets[^1], stride);
        TVec ramp = TOps.Ramp(stride);
        for (int row = 0; row < rows; row++, rowFirst += xAdvance)
        {
            if (rowFirst + (hi - count) * stride + reach > length) return row;
            ref float yr = ref Unsafe.Add(ref ys, row * yAdvance);
            ref int ir = ref Unsafe.Add(ref ids, row * yAdvance);
            for (int ox = lo; ; ox += count)
            {
                bool last = ox >= hi - count;
                if (last) ox = hi - count;
                int first = rowFirst + ox * stride;
                TVec best = PoolWindows.Tap<TVec, TOps>(ref xs, first, stride), winner = TOps.CreateInt(0);
                for (int r = 1; r < offsets.Length; r++)
                {
                    TVec v = PoolWindows.Tap<TVec, TOps>(ref xs, first + offsets[r], stride);
                    TVec take = TOps.Takes(v, best);
                    best = TOps.Select(take, v, best);
                    if (track) winner = TOps.Select(take, TOps.CreateInt(offsets[r]), winner);
                }
                TOps.Store(best, ref yr, (nuint)ox);
                if (track) TOps.StoreInts(TOps.AddInts(TOps.AddInts(ramp, TOps.CreateInt(first)), winner), ref ir, (nuint)ox);
                if (last) break;
            }
        }
        return rows;
    }

    /// <summary>
    /// <see cref="Rows{TVec, TOps}"/> for windows two wide at stride 2 (<see cref="PoolWindows.Pairs"/>): each row of
    /// taps is two loads, whose even lanes are the left taps and odd lanes the right ones.
    /// </summary>
    private static int PairRows<TVec, TOps>(ref float xs, int length, int rowFirst, int xAdvance, int rows, int rowStep, int kernelRows,
        int lo, int hi, ref float ys, int yAdvance, ref int ids, bool track)
        where TVec : struct where TOps : struct, IPoolVector<TVec>
    {
        int count = TOps.Count, reach = (kernelRows - 1) * rowStep + 2 * count;
        TVec ramp = TOps.Ramp(2), one = TOps.CreateInt(1);
        for (int row = 0; row < rows; row++, rowFirst += xAdvance)
        {
            if (rowFirst + 2 * (hi - count) + reach > length) return row;
            ref float yr = ref Unsafe.Add(ref ys, row * yAdvance);
            ref int ir = ref Unsafe.Add(ref ids, row * yAdvance);
            for (int ox = lo; ; ox += count)
            {
                bool last = ox >= hi - count;
                if (last) ox = hi - count;
                int first = rowFirst + 2 * ox;
                TVec a = TOps.Load(ref xs, (nuint)first), b = TOps.Load(ref xs, (nuint)(first + count));
                TVec best = TOps.Even(a, b), winner = TOps.CreateInt(0), right = TOps.Odd(a, b);
                TVec take = TOps.Takes(right, best);
                best = TOps.Select(take, right, best);
                if (track) winner = TOps.Select(take, one, winner);
                for (int ky = 1; ky < kernelRows; ky++)
                {
                    int at = first + ky * rowStep;
                    a = TOps.Load(ref xs, (nuint)at);
                    b = TOps.Load(ref xs, (nuint)(at + count));
                    TVec left = TOps.Even(a, b);
                    right = TOps.Odd(a, b);
                    take = TOps.Takes(left, best);
                    best = TOps.Select(take, left, best);
                    TVec offset = TOps.CreateInt(ky * rowStep);
                    if (track) winner = TOps.Select(take, offset, winner);
                    take = TOps.Takes(right, best);
                    best = TOps.Select(take, right, best);
                    if (track) winner = TOps.Select(take, TOps.AddInts(offset, one), winner);
                }
                TOps.Store(best, ref yr, (nuint)ox);
                if (track) TOps.StoreInts(TOps.AddInts(TOps.AddInts(ramp, TOps.CreateInt(first)), winner), ref ir, (nuint)ox);
                if (last) break;
            }
        }
        return rows;
    }

    /// <summary>A window wholly on the input: every tap at its fixed offset from the first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (float, int) Inside(ref float xs, int first, ReadOnlySpan<int> offsets)
    {
        int at = first;
        float best = Unsafe.Add(ref xs, first);
        for (int r = 1; r < offsets.Length; r++)
        {
            int i = first + offsets[r];
            float v = Unsafe.Add(ref xs, i);
            // Selected by masks, not branches: on real data which tap wins is unpredictable, and a mispredicted
            // branch per tap made this pass several times slower than the average pool.
            bool take = (v > best) | (float.IsNaN(v) & !float.IsNaN(best));
            int mask = -Unsafe.As<bool, byte>(ref take);
            at = (at & ~mask) | (i & mask);
            best = BitConverter.Int32BitsToSingle((BitConverter.SingleToInt32Bits(best) & ~mask) | (BitConverter.SingleToInt32Bits(v) & mask));
        }
        return (best, at);
    }

    /// <summary>A window at an edge: taps in the padding are skipped; none on the input gives (−∞, −1).</summary>
    private static (float, int) Clipped(in Pool2DGeometry g, ReadOnlySpan<float> x, int xBase, int oy, int ox)
    {
        float best = float.NegativeInfinity;
        int at = -1;
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
            if ((uint)iy >= (uint)g.InputHeight) continue;
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                if ((uint)ix >= (uint)g.InputWidth) continue;
                int i = xBase + iy * g.InputWidth + ix;
                float v = x[i];
                if (at < 0 || v > best || (float.IsNaN(v) && !float.IsNaN(best)))
                {
                    best = v;
                    at = i;
                }
            }
        }
        return (best, at);
    }

    /// <summary>
    /// dx[indices[i]] += dy[i] over a cleared dx (overwritten): overlapping windows that chose the same input add.
    /// A window that held no input (dilated taps all in the padding) has no index and passes nothing back.
    /// </summary>
    public static void Backward(in Pool2DGeometry g, int planes, ReadOnlySpan<float> dy, ReadOnlySpan<int> indices, Span<float> dx) =>
        Backward(Isa.Width, g, planes, dy, indices, dx);

    internal static void Backward(SimdWidth width, in Pool2DGeometry g, int planes, ReadOnlySpan<float> dy, ReadOnlySpan<int> indices, Span<float> dx)
    {
        Pooling.Check(g, planes, dy.Length, "output gradient", g.OutputPlane);
        Pooling.Check(g, planes, indices.Length, "indices", g.OutputPlane);
        Pooling.Check(g, planes, dx.Length, "input gradient", g.InputPlane);
        Pooling.Disjoint(dy, dx);
        var (pairsWidth, pairsStep) = MaxPoolRowPairs.Choose(width, g, planes);
        if (pairsWidth != SimdWidth.Scalar)
        {
            MaxPoolRowPairs.Backward(pairsWidth, pairsStep, g, dy, indices, dx);
            return;
        }
        // Tiles of rows under 8 windows, or at 128 bits, took longer than the clear and the adds (the indices
        // to compare and the interleaving outweigh a scattered add per output).
        SimdWidth tileWidth = PoolWindows.PairTiles(g) && width >= SimdWidth.V256 && g.OutputWidth >= 8 ? VectorWidth.Fit(width, g.OutputWidth) : SimdWidth.Scalar;
        if (tileWidth != SimdWidth.Scalar)
        {
            BackwardTiles(tileWidth, g, planes, dy, indices, dx);
            return;
        }
        dx.Clear();
        for (int i = 0; i < dy.Length; i++)
        {
            int at = indices[i];
            if (at < 0) continue;
            if (at >= dx.Length) throw OutsideInputs(at, i, dx.Length);
            dx[at] += dy[i];
        }
    }

    private static ArgumentException OutsideInputs(int at, int output, int inputs) =>
        new($"Pooling: index {at} at output {output} lies outside the {inputs} inputs; the indices are not this geometry's.");

    /// <summary>The error for an index not in its window of tiling windows: past the inputs, or another window's.</summary>
    internal static ArgumentException IndexOutsideWindow(int at, int output, int inputs) =>
        at >= inputs ? OutsideInputs(at, output, inputs) :
        new($"Pooling: index {at} at output {output} lies outside that output's window; the indices are not this geometry's.");

    /// <summary>
    /// Windows that tile the input: each writes its taps, dy at the chosen one and 0 elsewhere, as the clear-and-add
    /// pass leaves them (0 + dy, so −0 becomes +0 there too). Count windows at a time, then the scalar loop for what is left.
    /// </summary>
    private static void BackwardTiles(SimdWidth width, in Pool2DGeometry g, int planes, ReadOnlySpan<float> dy, ReadOnlySpan<int> indices, Span<float> dx)
    {
        int w = g.InputWidth, ow = g.OutputWidth, kh = g.KernelHeight, kw = g.KernelWidth;
        ref float gs = ref MemoryMarshal.GetReference(dy);
        ref int ids = ref MemoryMarshal.GetReference(indices);
        ref float dxs = ref MemoryMarshal.GetReference(dx);
        for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                int o = p * g.OutputPlane + oy * ow, first = p * g.InputPlane + oy * kh * w, ox = width switch
                {
                    SimdWidth.V512 => TileRow<Vector512<float>, Pool512>(ref Unsafe.Add(ref gs, o), ref Unsafe.Add(ref ids, o), ref dxs, first, w, kh, ow),
                    _ => TileRow<Vector256<float>, Pool256>(ref Unsafe.Add(ref gs, o), ref Unsafe.Add(ref ids, o), ref dxs, first, w, kh, ow),
                };
                for (; ox < ow; ox++)
                {
                    int at = indices[o + ox], window = first + ox * kw;
                    float grad = 0f + dy[o + ox];
                    bool found = at < 0; // a window without an index passes nothing back
                    for (int ky = 0; ky < kh; ky++)
                        for (int kx = 0; kx < kw; kx++)
                        {
                            int i = window + ky * w + kx;
                            bool hit = i == at;
                            dx[i] = hit ? grad : 0;
                            found |= hit;
                        }
                    if (!found) throw IndexOutsideWindow(at, o + ox, dx.Length);
                }
            }
    }

    /// <summary>
    /// One output row of windows two wide, Count at a time (the last vector overlapping the one before); returns
    /// where it stopped: the row's end, or the first vector holding an index outside its window (the scalar loop
    /// then names it).
    /// </summary>
    private static int TileRow<TVec, TOps>(ref float dy, ref int ids, ref float dx, int first, int w, int kh, int ow)
        where TVec : struct where TOps : struct, IPoolVector<TVec>
    {
        int count = TOps.Count;
        TVec ramp = TOps.Ramp(2), one = TOps.CreateInt(1), zero = TOps.Create(0);
        for (int ox = 0; ; ox += count)
        {
            bool last = ox >= ow - count;
            if (last) ox = ow - count;
            TVec at = TOps.LoadInts(ref ids, (nuint)ox), grad = TOps.Add(TOps.Load(ref dy, (nuint)ox), zero);
            TVec window = TOps.AddInts(ramp, TOps.CreateInt(first + 2 * ox)), found = TOps.CreateInt(0);
            for (int ky = 0; ky < kh; ky++)
            {
                TVec left = TOps.AddInts(window, TOps.CreateInt(ky * w));
                TVec l = TOps.EqualInts(at, left), r = TOps.EqualInts(at, TOps.AddInts(left, one));
                found = TOps.Or(found, TOps.Or(l, r));
                TVec gl = TOps.And(l, grad), gr = TOps.And(r, grad);
                int row = first + ky * w + 2 * ox;
                TOps.Store(TOps.ZipLow(gl, gr), ref dx, (nuint)row);
                TOps.Store(TOps.ZipHigh(gl, gr), ref dx, (nuint)(row + count));
            }
            if (!TOps.AllSet(found)) return ox;
            if (last) return ow;
        }
    }
}
