using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Direct convolution for few taps per output (LeNet's first layer: 1 channel, 5×5) at stride width 1: each group's
/// input is copied once into a zero-bordered workspace, so every tap of an output row reads one unclipped run; a tile
/// of output channels × slots (a slot being one vector of an output row) stays in registers across all taps, so each
/// input vector loaded feeds one FMA per channel and each weight one per slot. At 512 bits the tile's shape follows
/// the layer (<see cref="WideShape"/>); at the narrower widths it is 4 channels × 2 slots. The padded rows are long
/// enough that the last vector's extra lanes read the copy's zeros or the row's next columns, never past the copy;
/// they are computed and dropped.
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

    public static void Forward(SimdWidth width, in Conv2DGeometry g, int batch, float* x, float* w, float* bias,
        float* y, float* workspace, ActivationKind activation, float alpha)
    {
        switch (width)
        {
            case SimdWidth.V512: Forward<Vector512<float>, Float512>(g, batch, x, w, bias, y, workspace, activation, alpha, width); break;
            case SimdWidth.V256: Forward<Vector256<float>, Float256>(g, batch, x, w, bias, y, workspace, activation, alpha, width); break;
            default: Forward<Vector128<float>, Float128>(g, batch, x, w, bias, y, workspace, activation, alpha, width); break;
        }
    }

    private static void Forward<TVec, TOps>(in Conv2DGeometry g, int batch, float* x, float* w, float* bias,
        float* y, float* pad, ActivationKind activation, float alpha, SimdWidth width)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        var (ph, pw) = Padded(g);
        int cin = g.InputChannelsPerGroup, cout = g.OutputChannelsPerGroup, taps = g.ColumnRows;
        int oh = g.OutputHeight, ow = g.OutputWidth, plane = g.OutputPlane, lanes = TOps.Count;
        // Offsets of every tap in the padded group, in weight order (channel, ky, kx).
        Span<int> offsets = stackalloc int[taps]; // taps ≤ Conv2D.DirectMaxTaps
        for (int c = 0, r = 0; c < cin; c++)
            for (int ky = 0; ky < g.KernelHeight; ky++)
                for (int kx = 0; kx < g.KernelWidth; kx++, r++)
                    offsets[r] = (c * ph + ky * g.DilationHeight) * pw + kx * g.DilationWidth;
        // At 512 bits (32 vector registers) the tile's shape follows the layer (WideShape); at the narrower widths
        // (16 registers without AVX-512) 8 sums: 4 channels × 2 slots, a slot being one vector of an output row, so
        // rows of one vector take 2 rows at once and longer rows 1 row of 2 vectors.
        int vectors = (ow + lanes - 1) / lanes, perRow = vectors == 1 ? 1 : 2;
        var (channelsAtOnce, rowsAtOnce) = lanes == 16 ? WideShape(cout, oh, perRow) : (4, 2 / perRow);
        bool relu = activation == ActivationKind.Relu;
        var shape = new TileShape(taps, g.StrideHeight * pw, ow, plane, relu);
        float* tail = stackalloc float[16];
        fixed (int* o = offsets)
            for (int n = 0; n < batch; n++)
                for (int group = 0; group < g.Groups; group++)
                {
                    PadGroup(g, x + (long)n * g.InputLength + (long)group * cin * g.InputPlane, pad, n == 0 && group == 0);
                    for (int mg = 0; mg < cout; mg += channelsAtOnce)
                    {
                        int m = group * cout + mg, channels = Math.Min(channelsAtOnce, cout - mg);
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
                        if (activation != ActivationKind.Identity && !relu)
                        {
                            var output = new Span<float>(planes, channels * plane);
                            Activations.Forward(activation, output, output, alpha, width);
                        }
                    }
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

    /// <summary>Rows × vectors per row as slots: (rows, 1) for rows of one vector, else (rows ≤ 3, 2), or one vector of rows.</summary>
    private static void Slots<TVec, TOps, TC>(int rows, int count, float* source, int* offsets, float* weights,
        float* bias, float* dst, int left, float* tail, in TileShape t)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TC : struct, IVectorCount
    {
        if (count == 2)
        {
            switch (rows)
            {
                case 3: Tile<TVec, TOps, TC, Six, Two>(source, offsets, weights, bias, dst, left, tail, t); break;
                case 2: Tile<TVec, TOps, TC, Four, Two>(source, offsets, weights, bias, dst, left, tail, t); break;
                default: Tile<TVec, TOps, TC, Two, Two>(source, offsets, weights, bias, dst, left, tail, t); break;
            }
            return;
        }
        switch (rows)
        {
            case 6: Tile<TVec, TOps, TC, Six, One>(source, offsets, weights, bias, dst, left, tail, t); break;
            case 5: Tile<TVec, TOps, TC, Five, One>(source, offsets, weights, bias, dst, left, tail, t); break;
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
        int nc = TC.Value, ns = TS.Value, lanes = TOps.Count, taps = t.Taps, per = TN.Value;
        // Where slot s starts in the input (relative to a tap) and in the output, and the lanes left in its row.
        int inputRow = t.InputRow, row = t.OutputRow;
        int i1 = 1 / per * inputRow + 1 % per * lanes, q1 = 1 / per * row + 1 % per * lanes, l1 = left - 1 % per * lanes;
        int i2 = 2 / per * inputRow + 2 % per * lanes, q2 = 2 / per * row + 2 % per * lanes, l2 = left - 2 % per * lanes;
        int i3 = 3 / per * inputRow + 3 % per * lanes, q3 = 3 / per * row + 3 % per * lanes, l3 = left - 3 % per * lanes;
        int i4 = 4 / per * inputRow + 4 % per * lanes, q4 = 4 / per * row + 4 % per * lanes, l4 = left - 4 % per * lanes;
        int i5 = 5 / per * inputRow + 5 % per * lanes, q5 = 5 / per * row + 5 % per * lanes, l5 = left - 5 % per * lanes;
        float* w0 = weights, w1 = w0 + taps, w2 = w1 + taps, w3 = w2 + taps, w4 = w3 + taps, w5 = w4 + taps;
        TVec b0 = TOps.Create(bias == null ? 0 : bias[0]);
        TVec b1 = TOps.Create(bias == null || nc <= 1 ? 0 : bias[1]);
        TVec b2 = TOps.Create(bias == null || nc <= 2 ? 0 : bias[2]);
        TVec b3 = TOps.Create(bias == null || nc <= 3 ? 0 : bias[3]);
        TVec b4 = TOps.Create(bias == null || nc <= 4 ? 0 : bias[4]);
        TVec b5 = TOps.Create(bias == null || nc <= 5 ? 0 : bias[5]);
        TVec a00 = b0, a01 = b0, a02 = b0, a03 = b0, a04 = b0, a05 = b0;
        TVec a10 = b1, a11 = b1, a12 = b1, a13 = b1, a14 = b1, a15 = b1;
        TVec a20 = b2, a21 = b2, a22 = b2, a23 = b2, a24 = b2, a25 = b2;
        TVec a30 = b3, a31 = b3, a32 = b3, a33 = b3, a34 = b3, a35 = b3;
        TVec a40 = b4, a41 = b4, a42 = b4, a43 = b4, a44 = b4, a45 = b4;
        TVec a50 = b5, a51 = b5, a52 = b5, a53 = b5, a54 = b5, a55 = b5;
        for (int r = 0; r < taps; r++)
        {
            float* s = source + offsets[r];
            TVec x0 = TOps.Load(s);
            TVec x1 = ns > 1 ? TOps.Load(s + i1) : default;
            TVec x2 = ns > 2 ? TOps.Load(s + i2) : default;
            TVec x3 = ns > 3 ? TOps.Load(s + i3) : default;
            TVec x4 = ns > 4 ? TOps.Load(s + i4) : default;
            TVec x5 = ns > 5 ? TOps.Load(s + i5) : default;
            TVec u0 = TOps.Create(w0[r]);
            a00 = TOps.MultiplyAdd(x0, u0, a00);
            if (ns > 1) a01 = TOps.MultiplyAdd(x1, u0, a01);
            if (ns > 2) a02 = TOps.MultiplyAdd(x2, u0, a02);
            if (ns > 3) a03 = TOps.MultiplyAdd(x3, u0, a03);
            if (ns > 4) a04 = TOps.MultiplyAdd(x4, u0, a04);
            if (ns > 5) a05 = TOps.MultiplyAdd(x5, u0, a05);
            if (nc > 1)
            {
                TVec u1 = TOps.Create(w1[r]);
                a10 = TOps.MultiplyAdd(x0, u1, a10);
                if (ns > 1) a11 = TOps.MultiplyAdd(x1, u1, a11);
                if (ns > 2) a12 = TOps.MultiplyAdd(x2, u1, a12);
                if (ns > 3) a13 = TOps.MultiplyAdd(x3, u1, a13);
                if (ns > 4) a14 = TOps.MultiplyAdd(x4, u1, a14);
                if (ns > 5) a15 = TOps.MultiplyAdd(x5, u1, a15);
            }
            if (nc > 2)
            {
                TVec u2 = TOps.Create(w2[r]);
                a20 = TOps.MultiplyAdd(x0, u2, a20);
                if (ns > 1) a21 = TOps.MultiplyAdd(x1, u2, a21);
                if (ns > 2) a22 = TOps.MultiplyAdd(x2, u2, a22);
                if (ns > 3) a23 = TOps.MultiplyAdd(x3, u2, a23);
                if (ns > 4) a24 = TOps.MultiplyAdd(x4, u2, a24);
                if (ns > 5) a25 = TOps.MultiplyAdd(x5, u2, a25);
            }
            if (nc > 3)
            {
                TVec u3 = TOps.Create(w3[r]);
                a30 = TOps.MultiplyAdd(x0, u3, a30);
                if (ns > 1) a31 = TOps.MultiplyAdd(x1, u3, a31);
                if (ns > 2) a32 = TOps.MultiplyAdd(x2, u3, a32);
                if (ns > 3) a33 = TOps.MultiplyAdd(x3, u3, a33);
                if (ns > 4) a34 = TOps.MultiplyAdd(x4, u3, a34);
                if (ns > 5) a35 = TOps.MultiplyAdd(x5, u3, a35);
            }
            if (nc > 4)
            {
                TVec u4 = TOps.Create(w4[r]);
                a40 = TOps.MultiplyAdd(x0, u4, a40);
                if (ns > 1) a41 = TOps.MultiplyAdd(x1, u4, a41);
                if (ns > 2) a42 = TOps.MultiplyAdd(x2, u4, a42);
                if (ns > 3) a43 = TOps.MultiplyAdd(x3, u4, a43);
                if (ns > 4) a44 = TOps.MultiplyAdd(x4, u4, a44);
                if (ns > 5) a45 = TOps.MultiplyAdd(x5, u4, a45);
            }
            if (nc > 5)
            {
                TVec u5 = TOps.Create(w5[r]);
                a50 = TOps.MultiplyAdd(x0, u5, a50);
                if (ns > 1) a51 = TOps.MultiplyAdd(x1, u5, a51);
                if (ns > 2) a52 = TOps.MultiplyAdd(x2, u5, a52);
                if (ns > 3) a53 = TOps.MultiplyAdd(x3, u5, a53);
                if (ns > 4) a54 = TOps.MultiplyAdd(x4, u5, a54);
                if (ns > 5) a55 = TOps.MultiplyAdd(x5, u5, a55);
            }
        }
        int plane = t.Plane;
        bool relu = t.Relu;
        float* p0 = dst + 0 * plane;
        Part<TVec, TOps>(a00, p0, left, tail, relu);
        if (ns > 1) Part<TVec, TOps>(a01, p0 + q1, l1, tail, relu);
        if (ns > 2) Part<TVec, TOps>(a02, p0 + q2, l2, tail, relu);
        if (ns > 3) Part<TVec, TOps>(a03, p0 + q3, l3, tail, relu);
        if (ns > 4) Part<TVec, TOps>(a04, p0 + q4, l4, tail, relu);
        if (ns > 5) Part<TVec, TOps>(a05, p0 + q5, l5, tail, relu);
        if (nc > 1)
        {
            float* p1 = dst + 1 * plane;
            Part<TVec, TOps>(a10, p1, left, tail, relu);
            if (ns > 1) Part<TVec, TOps>(a11, p1 + q1, l1, tail, relu);
            if (ns > 2) Part<TVec, TOps>(a12, p1 + q2, l2, tail, relu);
            if (ns > 3) Part<TVec, TOps>(a13, p1 + q3, l3, tail, relu);
            if (ns > 4) Part<TVec, TOps>(a14, p1 + q4, l4, tail, relu);
            if (ns > 5) Part<TVec, TOps>(a15, p1 + q5, l5, tail, relu);
        }
        if (nc > 2)
        {
            float* p2 = dst + 2 * plane;
            Part<TVec, TOps>(a20, p2, left, tail, relu);
            if (ns > 1) Part<TVec, TOps>(a21, p2 + q1, l1, tail, relu);
            if (ns > 2) Part<TVec, TOps>(a22, p2 + q2, l2, tail, relu);
            if (ns > 3) Part<TVec, TOps>(a23, p2 + q3, l3, tail, relu);
            if (ns > 4) Part<TVec, TOps>(a24, p2 + q4, l4, tail, relu);
            if (ns > 5) Part<TVec, TOps>(a25, p2 + q5, l5, tail, relu);
        }
        if (nc > 3)
        {
            float* p3 = dst + 3 * plane;
            Part<TVec, TOps>(a30, p3, left, tail, relu);
            if (ns > 1) Part<TVec, TOps>(a31, p3 + q1, l1, tail, relu);
            if (ns > 2) Part<TVec, TOps>(a32, p3 + q2, l2, tail, relu);
            if (ns > 3) Part<TVec, TOps>(a33, p3 + q3, l3, tail, relu);
            if (ns > 4) Part<TVec, TOps>(a34, p3 + q4, l4, tail, relu);
            if (ns > 5) Part<TVec, TOps>(a35, p3 + q5, l5, tail, relu);
        }
        if (nc > 4)
        {
            float* p4 = dst + 4 * plane;
            Part<TVec, TOps>(a40, p4, left, tail, relu);
            if (ns > 1) Part<TVec, TOps>(a41, p4 + q1, l1, tail, relu);
            if (ns > 2) Part<TVec, TOps>(a42, p4 + q2, l2, tail, relu);
            if (ns > 3) Part<TVec, TOps>(a43, p4 + q3, l3, tail, relu);
            if (ns > 4) Part<TVec, TOps>(a44, p4 + q4, l4, tail, relu);
            if (ns > 5) Part<TVec, TOps>(a45, p4 + q5, l5, tail, relu);
        }
        if (nc > 5)
        {
            float* p5 = dst + 5 * plane;
            Part<TVec, TOps>(a50, p5, left, tail, relu);
            if (ns > 1) Part<TVec, TOps>(a51, p5 + q1, l1, tail, relu);
            if (ns > 2) Part<TVec, TOps>(a52, p5 + q2, l2, tail, relu);
            if (ns > 3) Part<TVec, TOps>(a53, p5 + q3, l3, tail, relu);
            if (ns > 4) Part<TVec, TOps>(a54, p5 + q4, l4, tail, relu);
            if (ns > 5) Part<TVec, TOps>(a55, p5 + q5, l5, tail, relu);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Part<TVec, TOps>(TVec value, float* dst, int left, float* tail, bool relu)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        if (relu) value = Relu(value);
        if (left >= TOps.Count)
        {
            TOps.Store(value, dst);
            return;
        }
        if (MaskedStores)
        {
            StoreFirst(value, dst, left);
            return;
        }
        TOps.Store(value, tail);
        Conv2DRuns.Copy(tail, dst, left);
    }

    /// <summary>
    /// Whether a row's partial last vector goes out in a masked store (AVX-512) or through the stack block; tests turn
    /// it off to run the other way on AVX-512 hardware, which gives the same bits.
    /// </summary>
    internal static bool MaskedStores { get; set; } = Avx512F.VL.IsSupported;

    /// <summary>
    /// The first <paramref name="count"/> lanes in one masked store (AVX-512 masks at every width), where the copy
    /// through <c>tail</c> cost a store and two reloads for each of an output row's last vectors (LeNet's second
    /// layer ends all 160 of its rows so). Lanes past the mask are not written and cannot fault.
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

    /// <summary>x &lt; 0 ? 0 : x in every lane, as <see cref="ReluForward"/> computes it, on the way to the output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Relu<TVec>(TVec value) where TVec : struct
    {
        if (typeof(TVec) == typeof(Vector512<float>))
            return (TVec)(object)new ReluForward().Invoke((Vector512<float>)(object)value);
        if (typeof(TVec) == typeof(Vector256<float>))
            return (TVec)(object)new ReluForward().Invoke((Vector256<float>)(object)value);
        return (TVec)(object)new ReluForward().Invoke((Vector128<float>)(object)value);
    }

    /// <summary>
    /// Output channels and rows of a tile at 512 bits: the fewest loads per tap over the whole output (each tile loads
    /// one input vector per slot and one weight per channel, the same FMAs whatever the shape), with the sums, the
    /// slots' input vectors and a broadcast weight in 28 registers (the JIT spilled sums from a 6 × 4 tile, 29, to
    /// the stack on every tap). LeNet's second layer takes 4 channels × 5 rows of one vector (80 loads a tap against
    /// 100 for 4 × 4), its first 3 channels × 3 rows of 2 vectors (192 against 224 for 4 × 2 rows of 2).
    /// </summary>
    internal static (int Channels, int Rows) WideShape(int channels, int rows, int perRow)
    {
        (int, int) best = (1, 1);
        long bestCost = long.MaxValue;
        int bestSums = 0;
        for (int tc = 1; tc <= MaxChannels; tc++)
            for (int r = 1; r * perRow <= MaxSlots; r++)
            {
                int slots = r * perRow, sums = tc * slots;
                if (sums + slots + 1 > 28) continue;
                long nc = (channels + tc - 1) / tc, nr = (rows + r - 1) / r;
                long cost = nc * nr + nr * channels + nc * (long)perRow * rows;
                if (cost < bestCost || cost == bestCost && sums < bestSums)
                {
                    best = (tc, r);
                    bestCost = cost;
                    bestSums = sums;
                }
            }
        return best;
    }

    private const int MaxChannels = 6, MaxSlots = 6;

    /// <summary>Per-call strides of the tiles: taps, the padded input's row step between output rows, output row and plane, and a fused ReLU.</summary>
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
