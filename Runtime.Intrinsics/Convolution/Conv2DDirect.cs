using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Direct convolution for few taps per output (LeNet's first layer: 1 channel, 5×5) at stride width 1: each group's
/// input is copied once into a zero-bordered workspace, so every tap of an output row reads one unclipped run; a tile
/// of up to 4 output channels × 2 output rows × 2 vectors of a row stays in registers across all taps (16 sums at 512
/// bits, 8 at the narrower widths), so each input vector loaded feeds up to four FMAs and each weight up to four. The
/// padded rows are long enough that the last vector's extra lanes read the copy's zeros or the row's next columns,
/// never past the copy; they are computed and dropped.
/// </summary>
internal static unsafe class Conv2DDirect
{
    /// <summary>Rows and columns of the zero-bordered copy of one input channel, for vectors up to 16 lanes.</summary>
    public static (int Height, int Width) Padded(in Conv2DGeometry g)
    {
        int rounded = (g.OutputWidth + 15) / 16 * 16;
        int width = Math.Max(g.InputWidth + g.PadLeft + g.PadRight, rounded + (g.KernelWidth - 1) * g.DilationWidth);
        return (g.InputHeight + g.PadTop + g.PadBottom, width);
    }

    /// <summary>
    /// Where every tap (channel, ky, kx, in weight order) reads in a group's zero-bordered copy of
    /// <paramref name="paddedHeight"/>×<paramref name="paddedWidth"/> planes, relative to its output position.
    /// </summary>
    public static void TapOffsets(in Conv2DGeometry g, int paddedHeight, int paddedWidth, Span<int> offsets)
    {
        for (int c = 0, r = 0; c < g.InputChannelsPerGroup; c++)
            for (int ky = 0; ky < g.KernelHeight; ky++)
                for (int kx = 0; kx < g.KernelWidth; kx++, r++)
                    offsets[r] = (c * paddedHeight + ky * g.DilationHeight) * paddedWidth + kx * g.DilationWidth;
    }

    public static long WorkspaceLength(in Conv2DGeometry g)
    {
        var (ph, pw) = Padded(g);
        return (long)g.InputChannelsPerGroup * ph * pw;
    }

    /// <summary>
    /// The group's channels at <paramref name="x"/> copied into <paramref name="pad"/> (<see cref="Padded"/> rows and
    /// columns per channel), zero around them. Each row moves in one inline copy; the border is the same for every
    /// sample and group, so it is cleared only when <paramref name="border"/> is set (a call's first copy).
    /// </summary>
    public static void PadGroup(in Conv2DGeometry g, float* x, float* pad, bool border)
    {
        var (ph, pw) = Padded(g);
        int h = g.InputHeight, iw = g.InputWidth, top = g.PadTop, left = g.PadLeft, right = pw - left - iw;
        for (int c = 0; c < g.InputChannelsPerGroup; c++)
        {
            float* channel = pad + (long)c * ph * pw, src = x + (long)c * h * iw;
            if (border)
            {
                Conv2DRuns.Clear(channel, top * pw);
                Conv2DRuns.Clear(channel + (long)(top + h) * pw, (ph - top - h) * pw);
            }
            for (int iy = 0; iy < h; iy++)
            {
                float* row = channel + (long)(top + iy) * pw;
                if (border)
                {
                    Conv2DRuns.Clear(row, left);
                    Conv2DRuns.Clear(row + left + iw, right);
                }
                Conv2DRuns.Copy(src + (long)iy * iw, row + left, iw);
            }
        }
    }

    /// <summary>The forward pass in the layout <see cref="Flat"/> chooses at <paramref name="width"/>.</summary>
    public static void Forward(SimdWidth width, in Conv2DGeometry g, int batch, float* x, float* w, float* bias,
        float* y, float* workspace, ActivationKind activation, float alpha) =>
        Forward(width, g, batch, x, w, bias, y, workspace, activation, alpha, Flat(g, VectorWidth.Lanes(width)));

    /// <summary>The forward pass in the flat layout (which needs <see cref="FlatPossible"/>) or by rows.</summary>
    public static void Forward(SimdWidth width, in Conv2DGeometry g, int batch, float* x, float* w, float* bias,
        float* y, float* workspace, ActivationKind activation, float alpha, bool flat)
    {
        if (flat && !FlatPossible(g)) throw new ArgumentException($"Conv2D: the flat layout does not apply to {g}.");
        switch (width)
        {
            case SimdWidth.V512: Forward<Vector512<float>, Float512>(g, batch, x, w, bias, y, workspace, activation, alpha, width, flat); break;
            case SimdWidth.V256: Forward<Vector256<float>, Float256>(g, batch, x, w, bias, y, workspace, activation, alpha, width, flat); break;
            default: Forward<Vector128<float>, Float128>(g, batch, x, w, bias, y, workspace, activation, alpha, width, flat); break;
        }
    }

    private static void Forward<TVec, TOps>(in Conv2DGeometry g, int batch, float* x, float* w, float* bias,
        float* y, float* pad, ActivationKind activation, float alpha, SimdWidth width, bool flat)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        if (flat)
        {
            ForwardFlat<TVec, TOps>(g, batch, x, w, bias, y, pad, activation, alpha, width);
            return;
        }
        var (ph, pw) = Padded(g);
        int cin = g.InputChannelsPerGroup, cout = g.OutputChannelsPerGroup, taps = g.ColumnRows;
        int oh = g.OutputHeight, ow = g.OutputWidth, plane = g.OutputPlane, lanes = TOps.Count;
        // Offsets of every tap in the padded group, in weight order (channel, ky, kx).
        Span<int> offsets = stackalloc int[taps]; // taps ≤ Conv2D.DirectMaxTaps
        TapOffsets(g, ph, pw, offsets);
        // 16 sums in registers at 512 bits (32 vector registers): 4 channels × 4 slots, a slot being one vector of an
        // output row; rows of one vector take 4 rows at once, longer rows 2 rows of 2 vectors. 8 sums at the narrower
        // widths (16 registers without AVX-512).
        int vectors = (ow + lanes - 1) / lanes, slots = lanes == 16 ? 4 : 2;
        int perRow = vectors == 1 ? 1 : 2, rowsAtOnce = slots / perRow, chunk = ChannelsPerTile(cout, lanes);
        var shape = new TileShape(taps, g.StrideHeight * pw, ow, plane, activation == ActivationKind.Relu);
        float* tail = stackalloc float[16];
        fixed (int* o = offsets)
            for (int n = 0; n < batch; n++)
                for (int group = 0; group < g.Groups; group++)
                {
                    PadGroup(g, x + (long)n * g.InputLength + (long)group * cin * g.InputPlane, pad, n == 0 && group == 0);
                    for (int mg = 0; mg < cout; mg += chunk)
                    {
                        int m = group * cout + mg, channels = Math.Min(chunk, cout - mg);
                        float* weights = w + (long)m * taps, planes = y + (long)n * g.OutputLength + (long)m * plane;
                        for (int oy = 0; oy < oh; oy += rowsAtOnce)
                        {
                            int rows = Math.Min(rowsAtOnce, oh - oy);
                            for (int v = 0; v < vectors; v += perRow)
                            {
                                int count = Math.Min(perRow, vectors - v), x0 = v * lanes;
                                Channels<TVec, TOps>(channels, rows, count, pad + oy * shape.InputRow + x0, o, weights,
                                    bias == null ? null : bias + m, planes + oy * ow + x0, ow - x0, tail, shape);
                            }
                        }
                        Activate(activation, planes, channels * plane, alpha, width);
                    }
                }
    }

    /// <summary>
    /// The flat layout: the output plane as one run of vectors, read from <see cref="Shift">shifted copies</see> of
    /// the input in which every tap of every output position is the same offset from the position (stride 1). No lane
    /// is spent on a row's end but the plane's last one, which is what rows narrower than a vector waste (LeNet's
    /// second layer, 10 wide: 10 of 16 lanes by rows, 100 of 112 flat).
    /// </summary>
    private static void ForwardFlat<TVec, TOps>(in Conv2DGeometry g, int batch, float* x, float* w, float* bias,
        float* y, float* shifted, ActivationKind activation, float alpha, SimdWidth width)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        int cin = g.InputChannelsPerGroup, cout = g.OutputChannelsPerGroup, taps = g.ColumnRows;
        int hp = g.InputHeight + g.PadTop + g.PadBottom, ow = g.OutputWidth, plane = g.OutputPlane;
        Span<int> offsets = stackalloc int[taps]; // taps ≤ Conv2D.DirectMaxTaps
        FlatOffsets(g, offsets);
        bool relu = activation == ActivationKind.Relu;
        fixed (int* o = offsets)
            for (int n = 0; n < batch; n++)
                for (int group = 0; group < g.Groups; group++)
                {
                    Shift(g, x + (long)n * g.InputLength + (long)group * cin * g.InputPlane, shifted, n == 0 && group == 0);
                    int m = group * cout;
                    float* planes = y + (long)n * g.OutputLength + (long)m * plane;
                    Correlate<TVec, TOps>(shifted, o, taps, w + (long)m * taps, bias == null ? null : bias + m, cout, plane, planes, relu);
                    Activate(activation, planes, cout * plane, alpha, width);
                }
    }

    /// <summary>Where every tap (channel, ky, kx, in weight order) reads in the <see cref="Shift">shifted copies</see>, relative to its output position.</summary>
    public static void FlatOffsets(in Conv2DGeometry g, Span<int> offsets)
    {
        int cin = g.InputChannelsPerGroup, hp = g.InputHeight + g.PadTop + g.PadBottom, ow = g.OutputWidth;
        for (int c = 0, r = 0; c < cin; c++)
            for (int ky = 0; ky < g.KernelHeight; ky++)
                for (int kx = 0; kx < g.KernelWidth; kx++, r++)
                    offsets[r] = ((kx * cin + c) * hp + ky * g.DilationHeight) * ow;
    }

    /// <summary>
    /// dst[j·plane + q] = bias[j] + Σ_r weights[j·taps + r] · source[offsets[r] + q] for j &lt; <paramref name="outputs"/>
    /// and q &lt; <paramref name="plane"/>, then ReLU where asked: the flat layout's loops, which the input gradient by
    /// shifted sums (<see cref="Conv2DShiftedData"/>) runs as well. source must be readable a vector past each
    /// offset + plane; bias may be null.
    /// </summary>
    public static void Correlate(SimdWidth width, float* source, int* offsets, int taps, float* weights, float* bias,
        int outputs, int plane, float* dst, bool relu)
    {
        switch (width)
        {
            case SimdWidth.V512: Correlate<Vector512<float>, Float512>(source, offsets, taps, weights, bias, outputs, plane, dst, relu); break;
            case SimdWidth.V256: Correlate<Vector256<float>, Float256>(source, offsets, taps, weights, bias, outputs, plane, dst, relu); break;
            default: Correlate<Vector128<float>, Float128>(source, offsets, taps, weights, bias, outputs, plane, dst, relu); break;
        }
    }

    private static void Correlate<TVec, TOps>(float* source, int* offsets, int taps, float* weights, float* bias,
        int outputs, int plane, float* dst, bool relu)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        // Up to 4 consecutive vectors of the plane per tile at 512 bits, 2 at the narrower widths (16 and 8 sums with 4
        // channels), spread evenly: 9 vectors as 3 + 3 + 3, where 4 + 4 + 1 leaves a tile of 4 sums waiting on its FMAs.
        int lanes = TOps.Count, vectors = (plane + lanes - 1) / lanes, most = lanes == 16 ? 4 : 2, chunk = ChannelsPerTile(outputs, lanes);
        int tiles = (vectors + most - 1) / most, slots = (vectors + tiles - 1) / tiles;
        var shape = new TileShape(taps, 0, plane, plane, relu);
        float* tail = stackalloc float[16];
        for (int j = 0; j < outputs; j += chunk)
        {
            int channels = Math.Min(chunk, outputs - j);
            float* w = weights + (long)j * taps, planes = dst + (long)j * plane;
            for (int v = 0; v < vectors; v += slots)
            {
                int count = Math.Min(slots, vectors - v), x0 = v * lanes;
                Run<TVec, TOps>(channels, count, source + x0, offsets, w, bias == null ? null : bias + j, planes + x0, plane - x0, tail, shape);
            }
        }
    }

    /// <summary>The activation as a pass over the tile's channels, unless it is none or ReLU (which the tiles' stores apply).</summary>
    private static void Activate(ActivationKind activation, float* planes, int length, float alpha, SimdWidth width)
    {
        if (activation is ActivationKind.Identity or ActivationKind.Relu) return;
        var output = new Span<float>(planes, length);
        Activations.Forward(activation, output, output, alpha, width);
    }

    /// <summary>
    /// Output channels per tile, spread evenly: at most 6 at 512 bits (24 sums of 32 registers; LeNet's first layer
    /// in one tile, whose 25 taps left the 4 + 2 or 3 + 3 tiles' stores and setup a third of the time), 4 below (8 sums).
    /// </summary>
    private static int ChannelsPerTile(int channels, int lanes)
    {
        int most = lanes == 16 ? 6 : 4, tiles = (channels + most - 1) / most;
        return (channels + tiles - 1) / tiles;
    }

    /// <summary>
    /// Whether the forward pass at <paramref name="lanes"/> takes the flat layout: where it can, and output rows leave
    /// at least a quarter of their vectors' lanes unused (see the README for the measurements).
    /// </summary>
    internal static bool Flat(in Conv2DGeometry g, int lanes)
    {
        if (!FlatPossible(g)) return false;
        int rowLanes = (g.OutputWidth + lanes - 1) / lanes * lanes;
        return 4 * g.OutputWidth <= 3 * rowLanes;
    }

    /// <summary>Whether the flat layout can run <paramref name="g"/>: stride 1, and shifted copies within a panel.</summary>
    internal static bool FlatPossible(in Conv2DGeometry g) =>
        g.StrideHeight == 1 && g.StrideWidth == 1 && FlatLength(g) <= Conv2D.MaxPanelElements;

    /// <summary>Floats of the flat layout's shifted copies of a group, and one vector of slack that the plane's last vector may read.</summary>
    public static long FlatLength(in Conv2DGeometry g) =>
        (long)g.KernelWidth * g.InputChannelsPerGroup * (g.InputHeight + g.PadTop + g.PadBottom) * g.OutputWidth + 16;

    /// <summary>The forward pass's workspace: the padded copy, or the shifted copies where those can be taken.</summary>
    public static long ForwardWorkspaceLength(in Conv2DGeometry g)
    {
        long rows = WorkspaceLength(g);
        return FlatPossible(g) ? Math.Max(rows, FlatLength(g)) : rows;
    }

    /// <summary>
    /// The group's channels at <paramref name="x"/> as kW shifted copies per channel (kx-major): copy (kx, c) holds,
    /// for every padded input row, the output row's inputs at tap column kx, so output position p = oy·outW + ox reads
    /// its tap (c, ky, kx) at ((kx·C + c)·paddedH + ky·dilation)·outW + p. The zeros (padding, and the slack) are the
    /// same for every sample and group, so they are written only when <paramref name="border"/> is set.
    /// </summary>
    public static void Shift(in Conv2DGeometry g, float* x, float* shifted, bool border)
    {
        int h = g.InputHeight, iw = g.InputWidth, top = g.PadTop, ow = g.OutputWidth, cin = g.InputChannelsPerGroup;
        int kw = g.KernelWidth, hp = h + top + g.PadBottom;
        long block = (long)hp * ow;
        if (border)
            for (int kx = 0; kx < kw; kx++)
            {
                var (_, first, end) = ShiftedColumns(g, kx);
                for (int c = 0; c < cin; c++)
                {
                    float* copy = shifted + (kx * cin + c) * block;
                    Conv2DRuns.Clear(copy, top * ow);
                    Conv2DRuns.Clear(copy + (long)(top + h) * ow, (hp - top - h) * ow);
                    if (first == 0 && end == ow) continue;
                    for (int iy = 0; iy < h; iy++)
                    {
                        float* row = copy + (long)(top + iy) * ow;
                        Conv2DRuns.Clear(row, first);
                        Conv2DRuns.Clear(row + end, ow - end);
                    }
                }
            }
        if (border) Conv2DRuns.Clear(shifted + FlatLength(g) - 16, 16);
        // Each input row is read once for its kW runs, while it is in L1; the runs' places are worked out once.
        int* from = stackalloc int[3 * kw]; // kW ≤ taps ≤ Conv2D.DirectMaxTaps
        int* to = from + kw, count = to + kw;
        for (int kx = 0; kx < kw; kx++)
        {
            var (shift, first, end) = ShiftedColumns(g, kx);
            from[kx] = first + shift;
            to[kx] = (int)(kx * cin * block) + first;
            count[kx] = end - first;
        }
        if (Avx512F.IsSupported && iw <= 16)
        {
            ShiftNarrow(x, shifted + (long)top * ow, iw, ow, (int)block, h, cin, kw, from, to, count);
            return;
        }
        for (int c = 0; c < cin; c++)
        {
            float* src = x + (long)c * h * iw, row = shifted + c * block + (long)top * ow;
            for (int iy = 0; iy < h; iy++, src += iw, row += ow)
                for (int kx = 0; kx < kw; kx++)
                    Conv2DRuns.Copy(src + from[kx], row + to[kx], count[kx]);
        }
    }

    /// <summary>
    /// <see cref="Shift"/> for input rows of at most 16 floats with AVX-512: each row is loaded once and every run is a
    /// lane permute of it and one masked store (LeNet's second layer: 420 runs of 10 floats per sample, where a load
    /// and store each cost about as much again).
    /// </summary>
    private static void ShiftNarrow(float* x, float* shifted, int iw, int ow, int block, int h, int cin, int kw,
        int* from, int* to, int* count)
    {
        var rowMask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(iw)).AsSingle();
        for (int c = 0; c < cin; c++)
        {
            float* src = x + (long)c * h * iw, row = shifted + (long)c * block;
            for (int iy = 0; iy < h; iy++, src += iw, row += ow)
            {
                var v = Avx512F.MaskLoad(src, rowMask, Vector512<float>.Zero);
                for (int kx = 0; kx < kw; kx++)
                {
                    var lanes = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count[kx])).AsSingle();
                    Avx512F.MaskStore(row + to[kx], lanes, Avx512F.PermuteVar16x32(v, Vector512<int>.Indices + Vector512.Create(from[kx])));
                }
            }
        }
    }

    /// <summary>
    /// Tap column kx's shift (output column ox reads input column ox + shift = ox + kx·dilation − padLeft) and the
    /// output columns [first, end) where that is inside the input; the others read padding. The input gradient's
    /// shifted sums (<see cref="Conv2DShiftedData"/>) add along the same columns the other way.
    /// </summary>
    internal static (int Shift, int First, int End) ShiftedColumns(in Conv2DGeometry g, int kx)
    {
        int shift = kx * g.DilationWidth - g.PadLeft, ow = g.OutputWidth;
        int first = Math.Clamp(-shift, 0, ow);
        return (shift, first, Math.Clamp(g.InputWidth - shift, first, ow));
    }

    /// <summary>One tile of the flat layout: TC channels × up to 4 consecutive vectors of the plane.</summary>
    private static void Run<TVec, TOps>(int channels, int count, float* source, int* offsets, float* weights,
        float* bias, float* dst, int left, float* tail, in TileShape t)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        switch (channels)
        {
            case 6: Run<TVec, TOps, Six>(count, source, offsets, weights, bias, dst, left, tail, t); break;
            case 5: Run<TVec, TOps, Five>(count, source, offsets, weights, bias, dst, left, tail, t); break;
            case 4: Run<TVec, TOps, Four>(count, source, offsets, weights, bias, dst, left, tail, t); break;
            case 3: Run<TVec, TOps, Three>(count, source, offsets, weights, bias, dst, left, tail, t); break;
            case 2: Run<TVec, TOps, Two>(count, source, offsets, weights, bias, dst, left, tail, t); break;
            default: Run<TVec, TOps, One>(count, source, offsets, weights, bias, dst, left, tail, t); break;
        }
    }

    private static void Run<TVec, TOps, TC>(int count, float* source, int* offsets, float* weights,
        float* bias, float* dst, int left, float* tail, in TileShape t)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TC : struct, IVectorCount
    {
        switch (count)
        {
            case 4: Tile<TVec, TOps, TC, Four, Four>(source, offsets, weights, bias, dst, left, tail, t); break;
            case 3: Tile<TVec, TOps, TC, Three, Four>(source, offsets, weights, bias, dst, left, tail, t); break;
            case 2: Tile<TVec, TOps, TC, Two, Four>(source, offsets, weights, bias, dst, left, tail, t); break;
            default: Tile<TVec, TOps, TC, One, Four>(source, offsets, weights, bias, dst, left, tail, t); break;
        }
    }

    private static void Channels<TVec, TOps>(int channels, int rows, int count, float* source, int* offsets, float* weights,
        float* bias, float* dst, int left, float* tail, in TileShape t)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        switch (channels)
        {
            case 6: Slots<TVec, TOps, Six>(rows, count, source, offsets, weights, bias, dst, left, tail, t); break;
            case 5: Slots<TVec, TOps, Five>(rows, count, source, offsets, weights, bias, dst, left, tail, t); break;
            case 4: Slots<TVec, TOps, Four>(rows, count, source, offsets, weights, bias, dst, left, tail, t); break;
            case 3: Slots<TVec, TOps, Three>(rows, count, source, offsets, weights, bias, dst, left, tail, t); break;
            case 2: Slots<TVec, TOps, Two>(rows, count, source, offsets, weights, bias, dst, left, tail, t); break;
            default: Slots<TVec, TOps, One>(rows, count, source, offsets, weights, bias, dst, left, tail, t); break;
        }
    }

    /// <summary>Rows × vectors per row as slots: (rows, 1) for rows of one vector, else (rows ≤ 2, 2), or one vector of one row.</summary>
    private static void Slots<TVec, TOps, TC>(int rows, int count, float* source, int* offsets, float* weights,
        float* bias, float* dst, int left, float* tail, in TileShape t)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TC : struct, IVectorCount
    {
        if (count == 2)
        {
            if (rows == 2) Tile<TVec, TOps, TC, Four, Two>(source, offsets, weights, bias, dst, left, tail, t);
            else Tile<TVec, TOps, TC, Two, Two>(source, offsets, weights, bias, dst, left, tail, t);
            return;
        }
        switch (rows)
        {
            case 4: Tile<TVec, TOps, TC, Four, One>(source, offsets, weights, bias, dst, left, tail, t); break;
            case 3: Tile<TVec, TOps, TC, Three, One>(source, offsets, weights, bias, dst, left, tail, t); break;
            case 2: Tile<TVec, TOps, TC, Two, One>(source, offsets, weights, bias, dst, left, tail, t); break;
            default: Tile<TVec, TOps, TC, One, One>(source, offsets, weights, bias, dst, left, tail, t); break;
        }
    }

    /// <summary>
    /// TC output channels × TS slots in registers over every tap, slot s being vector s mod TN of output row s / TN:
    /// each tap loads TS input vectors and TC weights for TC·TS FMAs. Sums start at the bias and add the taps in
    /// weight order.
    /// </summary>
    private static void Tile<TVec, TOps, TC, TS, TN>(float* source, int* offsets, float* weights, float* bias,
        float* dst, int left, float* tail, in TileShape t)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
        where TC : struct, IVectorCount where TS : struct, IVectorCount where TN : struct, IVectorCount
    {
        bool c1 = TC.Value > 1, c2 = TC.Value > 2, c3 = TC.Value > 3, c4 = TC.Value > 4, c5 = TC.Value > 5;
        bool s1 = TS.Value > 1, s2 = TS.Value > 2, s3 = TS.Value > 3;
        int lanes = TOps.Count, taps = t.Taps, inputRow = t.InputRow, per = TN.Value;
        // Where slot s starts in the input (relative to a tap) and in the output.
        int i1 = 1 / per * inputRow + 1 % per * lanes, i2 = 2 / per * inputRow + 2 % per * lanes, i3 = 3 / per * inputRow + 3 % per * lanes;
        int row = t.OutputRow;
        int q1 = 1 / per * row + 1 % per * lanes, q2 = 2 / per * row + 2 % per * lanes, q3 = 3 / per * row + 3 % per * lanes;
        float* w0 = weights, w1 = w0 + taps, w2 = w1 + taps, w3 = w2 + taps, w4 = w3 + taps, w5 = w4 + taps;
        TVec b0 = TOps.Create(bias == null ? 0 : bias[0]), b1 = TOps.Create(bias == null || !c1 ? 0 : bias[1]);
        TVec b2 = TOps.Create(bias == null || !c2 ? 0 : bias[2]), b3 = TOps.Create(bias == null || !c3 ? 0 : bias[3]);
        TVec b4 = TOps.Create(bias == null || !c4 ? 0 : bias[4]), b5 = TOps.Create(bias == null || !c5 ? 0 : bias[5]);
        // a{channel}{slot}
        TVec a00 = b0, a01 = b0, a02 = b0, a03 = b0, a10 = b1, a11 = b1, a12 = b1, a13 = b1;
        TVec a20 = b2, a21 = b2, a22 = b2, a23 = b2, a30 = b3, a31 = b3, a32 = b3, a33 = b3;
        TVec a40 = b4, a41 = b4, a42 = b4, a43 = b4, a50 = b5, a51 = b5, a52 = b5, a53 = b5;
        for (int r = 0; r < taps; r++)
        {
            float* s = source + offsets[r];
            TVec x0 = TOps.Load(s), x1 = s1 ? TOps.Load(s + i1) : default;
            TVec x2 = s2 ? TOps.Load(s + i2) : default, x3 = s3 ? TOps.Load(s + i3) : default;
            TVec u = TOps.Create(w0[r]);
            a00 = TOps.MultiplyAdd(x0, u, a00);
            if (s1) a01 = TOps.MultiplyAdd(x1, u, a01);
            if (s2) a02 = TOps.MultiplyAdd(x2, u, a02);
            if (s3) a03 = TOps.MultiplyAdd(x3, u, a03);
            if (c1)
            {
                u = TOps.Create(w1[r]);
                a10 = TOps.MultiplyAdd(x0, u, a10);
                if (s1) a11 = TOps.MultiplyAdd(x1, u, a11);
                if (s2) a12 = TOps.MultiplyAdd(x2, u, a12);
                if (s3) a13 = TOps.MultiplyAdd(x3, u, a13);
            }
            if (c2)
            {
                u = TOps.Create(w2[r]);
                a20 = TOps.MultiplyAdd(x0, u, a20);
                if (s1) a21 = TOps.MultiplyAdd(x1, u, a21);
                if (s2) a22 = TOps.MultiplyAdd(x2, u, a22);
                if (s3) a23 = TOps.MultiplyAdd(x3, u, a23);
            }
            if (c3)
            {
                u = TOps.Create(w3[r]);
                a30 = TOps.MultiplyAdd(x0, u, a30);
                if (s1) a31 = TOps.MultiplyAdd(x1, u, a31);
                if (s2) a32 = TOps.MultiplyAdd(x2, u, a32);
                if (s3) a33 = TOps.MultiplyAdd(x3, u, a33);
            }
            if (c4)
            {
                u = TOps.Create(w4[r]);
                a40 = TOps.MultiplyAdd(x0, u, a40);
                if (s1) a41 = TOps.MultiplyAdd(x1, u, a41);
                if (s2) a42 = TOps.MultiplyAdd(x2, u, a42);
                if (s3) a43 = TOps.MultiplyAdd(x3, u, a43);
            }
            if (c5)
            {
                u = TOps.Create(w5[r]);
                a50 = TOps.MultiplyAdd(x0, u, a50);
                if (s1) a51 = TOps.MultiplyAdd(x1, u, a51);
                if (s2) a52 = TOps.MultiplyAdd(x2, u, a52);
                if (s3) a53 = TOps.MultiplyAdd(x3, u, a53);
            }
        }
        // Left lanes of each slot's vector: the row's remainder at its vector's start.
        int l1 = left - 1 % per * lanes, l2 = left - 2 % per * lanes, l3 = left - 3 % per * lanes;
        int plane = t.Plane;
        Store<TVec, TOps>(a00, a01, a02, a03, dst, left, l1, l2, l3, q1, q2, q3, tail, t, s1, s2, s3);
        if (c1) Store<TVec, TOps>(a10, a11, a12, a13, dst + plane, left, l1, l2, l3, q1, q2, q3, tail, t, s1, s2, s3);
        if (c2) Store<TVec, TOps>(a20, a21, a22, a23, dst + 2 * plane, left, l1, l2, l3, q1, q2, q3, tail, t, s1, s2, s3);
        if (c3) Store<TVec, TOps>(a30, a31, a32, a33, dst + 3 * plane, left, l1, l2, l3, q1, q2, q3, tail, t, s1, s2, s3);
        if (c4) Store<TVec, TOps>(a40, a41, a42, a43, dst + 4 * plane, left, l1, l2, l3, q1, q2, q3, tail, t, s1, s2, s3);
        if (c5) Store<TVec, TOps>(a50, a51, a52, a53, dst + 5 * plane, left, l1, l2, l3, q1, q2, q3, tail, t, s1, s2, s3);
    }

    /// <summary>One channel's slots of a tile to its output plane at <paramref name="p"/>, through ReLU where asked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TVec, TOps>(TVec v0, TVec v1, TVec v2, TVec v3, float* p, int left, int l1, int l2, int l3,
        int q1, int q2, int q3, float* tail, in TileShape t, bool s1, bool s2, bool s3)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        if (t.Relu)
        {
            v0 = Relu(v0);
            if (s1) v1 = Relu(v1);
            if (s2) v2 = Relu(v2);
            if (s3) v3 = Relu(v3);
        }
        Part<TVec, TOps>(v0, p, left, tail);
        if (s1) Part<TVec, TOps>(v1, p + q1, l1, tail);
        if (s2) Part<TVec, TOps>(v2, p + q2, l2, tail);
        if (s3) Part<TVec, TOps>(v3, p + q3, l3, tail);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Part<TVec, TOps>(TVec value, float* dst, int left, float* tail)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        if (left >= TOps.Count)
        {
            TOps.Store(value, dst);
            return;
        }
        if (Avx512F.VL.IsSupported)
        {
            StoreFirst(value, dst, left);
            return;
        }
        TOps.Store(value, tail);
        Conv2DRuns.Copy(tail, dst, left);
    }

    /// <summary>The ReLU of the activations (<see cref="ReluForward"/>, so the bits are those of its own pass) at the tile's width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Relu<TVec>(TVec value) where TVec : struct
    {
        if (typeof(TVec) == typeof(Vector512<float>)) return (TVec)(object)default(ReluForward).Invoke((Vector512<float>)(object)value);
        if (typeof(TVec) == typeof(Vector256<float>)) return (TVec)(object)default(ReluForward).Invoke((Vector256<float>)(object)value);
        return (TVec)(object)default(ReluForward).Invoke((Vector128<float>)(object)value);
    }

    /// <summary>
    /// The first <paramref name="count"/> lanes in one masked store (AVX-512 masks at every width), where the copy
    /// through <c>tail</c> costs a store and two reloads for each row's (or plane's) last vector. Lanes past the mask
    /// are not written and cannot fault.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFirst<TVec>(TVec value, float* dst, int count) where TVec : struct
    {
        if (typeof(TVec) == typeof(Vector512<float>))
            Avx512F.MaskStore(dst, Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle(), (Vector512<float>)(object)value);
        else if (typeof(TVec) == typeof(Vector256<float>))
            Avx512F.VL.MaskStore(dst, Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle(), (Vector256<float>)(object)value);
        else
            Avx512F.VL.MaskStore(dst, Vector128.LessThan(Vector128<int>.Indices, Vector128.Create(count)).AsSingle(), (Vector128<float>)(object)value);
    }

    /// <summary>Per-call strides of the tiles: taps, the padded input's row step between output rows, output row and plane; and whether ReLU goes into the stores.</summary>
    private readonly struct TileShape(int taps, int inputRow, int outputRow, int plane, bool relu)
    {
        public readonly int Taps = taps, InputRow = inputRow, OutputRow = outputRow, Plane = plane;
        public readonly bool Relu = relu;
    }

    private interface IVectorCount { static abstract int Value { get; } }
    private readonly struct One : IVectorCount { public static int Value => 1; }
    private readonly struct Two : IVectorCount { public static int Value => 2; }
    private readonly struct Three : IVectorCount { public static int Value => 3; }
    private readonly struct Four : IVectorCount { public static int Value => 4; }
    private readonly struct Five : IVectorCount { public static int Value => 5; }
    private readonly struct Six : IVectorCount { public static int Value => 6; }
}
