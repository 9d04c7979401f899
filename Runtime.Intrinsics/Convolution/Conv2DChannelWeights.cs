using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The weight gradient with the output channels as the vector lanes, for groups whose output channels fill whole
/// vectors (LeNet's 16, the small ResNet's 16 and 32): dW[·, r] += dyᵀ[position, ·]·x_padded[tap r at the position],
/// a broadcast input value times one vector of output gradients. Unlike <see cref="Conv2DDirectWeights"/>, no lane
/// is wasted on a row narrower than the vector (LeNet's second layer has rows of 10) and no sum is added across
/// lanes. Each sample's output gradient is transposed into the workspace (positions × channels) and its input goes
/// into the zero-bordered copy; a tile of up to 16 taps (8 below 512 bits) keeps its sums in registers over the sample's positions, and
/// the sums carry from one sample to the next in the workspace. Only positions inside the output are visited, so
/// any stride works.
/// </summary>
internal static unsafe class Conv2DChannelWeights
{
    /// <summary>Whether the output channels of a group fill whole vectors of <paramref name="width"/>.</summary>
    public static bool Fits(SimdWidth width, in Conv2DGeometry g) =>
        width != SimdWidth.Scalar && g.OutputChannelsPerGroup % VectorWidth.Lanes(width) == 0;


    /// <summary>The padded input, the transposed output gradient and the sums (taps × output channels of a group).</summary>
    public static long WorkspaceLength(in Conv2DGeometry g) =>
        Conv2DDirect.WorkspaceLength(g) + (long)g.OutputPlane * g.OutputChannelsPerGroup + (long)g.ColumnRows * g.OutputChannelsPerGroup;

    public static void Run(SimdWidth width, in Conv2DGeometry g, int batch, float* x, float* dy, float* dw, float* workspace)
    {
        switch (width)
        {
            case SimdWidth.V512: Run<Vector512<float>, Float512>(g, batch, x, dy, dw, workspace); break;
            case SimdWidth.V256: Run<Vector256<float>, Float256>(g, batch, x, dy, dw, workspace); break;
            default: Run<Vector128<float>, Float128>(g, batch, x, dy, dw, workspace); break;
        }
    }

    private static void Run<TVec, TOps>(in Conv2DGeometry g, int batch, float* x, float* dy, float* dw, float* workspace)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        var (ph, pw) = Conv2DDirect.Padded(g);
        int lanes = TOps.Count, cin = g.InputChannelsPerGroup, cout = g.OutputChannelsPerGroup, taps = g.ColumnRows;
        int oh = g.OutputHeight, ow = g.OutputWidth, plane = g.OutputPlane, blocks = cout / lanes;
        // Sums in registers: 16 taps at 512 bits (32 registers), where 8 left each FMA chain waiting on the one before; 8 below.
        int most = lanes == 16 ? 16 : 8;
        Span<int> offsets = stackalloc int[taps];
        Conv2DDirect.TapOffsets(g, ph, pw, offsets);
        float* pad = workspace, transposed = pad + Conv2DDirect.WorkspaceLength(g), sums = transposed + (long)plane * cout;
        var shape = new Shape(oh, ow, g.StrideHeight * pw, g.StrideWidth, cout);
        for (int group = 0; group < g.Groups; group++)
        {
            for (int n = 0; n < batch; n++)
            {
                Conv2DDirect.PadGroup(g, x + (long)n * g.InputLength + (long)group * cin * g.InputPlane, pad, n == 0 && group == 0);
                float* dyg = dy + (long)n * g.OutputLength + (long)group * cout * plane;
                Transpose(dyg, plane, cout, transposed);
                bool first = n == 0;
                for (int b = 0; b < blocks; b++)
                    for (int r0 = 0; r0 < taps; r0 += most)
                        fixed (int* o = &offsets[r0])
                            Taps<TVec, TOps>(Math.Min(most, taps - r0), transposed + b * lanes, pad, o, sums + (long)r0 * cout + b * lanes, first, shape);
            }
            // dW[m, r] = sums[r, m]
            float* dwg = dw + (long)group * cout * taps;
            for (int r = 0; r < taps; r++)
                for (int m = 0; m < cout; m++)
                    dwg[(long)m * taps + r] = batch == 0 ? 0 : sums[(long)r * cout + m];
        }
    }

    /// <summary>
    /// to[q·channels + m] = from[m·plane + q]: GEMM's blocked register transpose over the positions in fours (the
    /// channels fill whole vectors, so they come in fours too), the last few positions one by one. The scalar loop's
    /// strided stores cost about a third of the tiles' multiply-adds (LeNet's second layer).
    /// </summary>
    private static void Transpose(float* from, int plane, int channels, float* to)
    {
        int blocked = plane / 4 * 4;
        GemmPacking.Transpose(from, plane, to, channels, channels, blocked);
        for (int m = 0; m < channels; m++)
            for (int q = blocked; q < plane; q++) to[(long)q * channels + m] = from[(long)m * plane + q];
    }

    private static void Taps<TVec, TOps>(int count, float* d, float* pad, int* o, float* s, bool first, in Shape t)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        switch (count)
        {
            case 16: Tile<TVec, TOps, Sixteen>(d, pad, o, s, first, t); break;
            case 15: Tile<TVec, TOps, Fifteen>(d, pad, o, s, first, t); break;
            case 14: Tile<TVec, TOps, Fourteen>(d, pad, o, s, first, t); break;
            case 13: Tile<TVec, TOps, Thirteen>(d, pad, o, s, first, t); break;
            case 12: Tile<TVec, TOps, Twelve>(d, pad, o, s, first, t); break;
            case 11: Tile<TVec, TOps, Eleven>(d, pad, o, s, first, t); break;
            case 10: Tile<TVec, TOps, Ten>(d, pad, o, s, first, t); break;
            case 9: Tile<TVec, TOps, Nine>(d, pad, o, s, first, t); break;
            case 8: Tile<TVec, TOps, Eight>(d, pad, o, s, first, t); break;
            case 7: Tile<TVec, TOps, Seven>(d, pad, o, s, first, t); break;
            case 6: Tile<TVec, TOps, Six>(d, pad, o, s, first, t); break;
            case 5: Tile<TVec, TOps, Five>(d, pad, o, s, first, t); break;
            case 4: Tile<TVec, TOps, Four>(d, pad, o, s, first, t); break;
            case 3: Tile<TVec, TOps, Three>(d, pad, o, s, first, t); break;
            case 2: Tile<TVec, TOps, Two>(d, pad, o, s, first, t); break;
            default: Tile<TVec, TOps, One>(d, pad, o, s, first, t); break;
        }
    }

    /// <summary>TR taps × one vector of output channels, over every position of one sample.</summary>
    private static void Tile<TVec, TOps, TR>(float* d, float* pad, int* o, float* s, bool first, in Shape t)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TR : struct, ICount
    {
        int k = TR.Value, ld = t.Channels, rows = t.Rows, width = t.Width, inputRow = t.InputRow, step = t.Step;
        TVec zero = TOps.Create(0);
        TVec a0 = first ? zero : TOps.Load(s);
        TVec a1 = k > 1 && !first ? TOps.Load(s + 1 * ld) : zero;
        TVec a2 = k > 2 && !first ? TOps.Load(s + 2 * ld) : zero;
        TVec a3 = k > 3 && !first ? TOps.Load(s + 3 * ld) : zero;
        TVec a4 = k > 4 && !first ? TOps.Load(s + 4 * ld) : zero;
        TVec a5 = k > 5 && !first ? TOps.Load(s + 5 * ld) : zero;
        TVec a6 = k > 6 && !first ? TOps.Load(s + 6 * ld) : zero;
        TVec a7 = k > 7 && !first ? TOps.Load(s + 7 * ld) : zero;
        TVec a8 = k > 8 && !first ? TOps.Load(s + 8 * ld) : zero;
        TVec a9 = k > 9 && !first ? TOps.Load(s + 9 * ld) : zero;
        TVec a10 = k > 10 && !first ? TOps.Load(s + 10 * ld) : zero;
        TVec a11 = k > 11 && !first ? TOps.Load(s + 11 * ld) : zero;
        TVec a12 = k > 12 && !first ? TOps.Load(s + 12 * ld) : zero;
        TVec a13 = k > 13 && !first ? TOps.Load(s + 13 * ld) : zero;
        TVec a14 = k > 14 && !first ? TOps.Load(s + 14 * ld) : zero;
        TVec a15 = k > 15 && !first ? TOps.Load(s + 15 * ld) : zero;
        int o0 = o[0];
        int o1 = k > 1 ? o[1] : 0;
        int o2 = k > 2 ? o[2] : 0;
        int o3 = k > 3 ? o[3] : 0;
        int o4 = k > 4 ? o[4] : 0;
        int o5 = k > 5 ? o[5] : 0;
        int o6 = k > 6 ? o[6] : 0;
        int o7 = k > 7 ? o[7] : 0;
        int o8 = k > 8 ? o[8] : 0;
        int o9 = k > 9 ? o[9] : 0;
        int o10 = k > 10 ? o[10] : 0;
        int o11 = k > 11 ? o[11] : 0;
        int o12 = k > 12 ? o[12] : 0;
        int o13 = k > 13 ? o[13] : 0;
        int o14 = k > 14 ? o[14] : 0;
        int o15 = k > 15 ? o[15] : 0;
        float* gradient = d;
        for (int oy = 0; oy < rows; oy++)
        {
            float* xr = pad + (long)oy * inputRow;
            float* p = xr;
            for (int ox = 0; ox < width; ox++, gradient += ld, p += step)
            {
                TVec g = TOps.Load(gradient);
                a0 = TOps.MultiplyAdd(g, TOps.Create(p[o0]), a0);
                if (k > 1) a1 = TOps.MultiplyAdd(g, TOps.Create(p[o1]), a1);
                if (k > 2) a2 = TOps.MultiplyAdd(g, TOps.Create(p[o2]), a2);
                if (k > 3) a3 = TOps.MultiplyAdd(g, TOps.Create(p[o3]), a3);
                if (k > 4) a4 = TOps.MultiplyAdd(g, TOps.Create(p[o4]), a4);
                if (k > 5) a5 = TOps.MultiplyAdd(g, TOps.Create(p[o5]), a5);
                if (k > 6) a6 = TOps.MultiplyAdd(g, TOps.Create(p[o6]), a6);
                if (k > 7) a7 = TOps.MultiplyAdd(g, TOps.Create(p[o7]), a7);
                if (k > 8) a8 = TOps.MultiplyAdd(g, TOps.Create(p[o8]), a8);
                if (k > 9) a9 = TOps.MultiplyAdd(g, TOps.Create(p[o9]), a9);
                if (k > 10) a10 = TOps.MultiplyAdd(g, TOps.Create(p[o10]), a10);
                if (k > 11) a11 = TOps.MultiplyAdd(g, TOps.Create(p[o11]), a11);
                if (k > 12) a12 = TOps.MultiplyAdd(g, TOps.Create(p[o12]), a12);
                if (k > 13) a13 = TOps.MultiplyAdd(g, TOps.Create(p[o13]), a13);
                if (k > 14) a14 = TOps.MultiplyAdd(g, TOps.Create(p[o14]), a14);
                if (k > 15) a15 = TOps.MultiplyAdd(g, TOps.Create(p[o15]), a15);
            }
        }
        TOps.Store(a0, s);
        if (k > 1) TOps.Store(a1, s + 1 * ld);
        if (k > 2) TOps.Store(a2, s + 2 * ld);
        if (k > 3) TOps.Store(a3, s + 3 * ld);
        if (k > 4) TOps.Store(a4, s + 4 * ld);
        if (k > 5) TOps.Store(a5, s + 5 * ld);
        if (k > 6) TOps.Store(a6, s + 6 * ld);
        if (k > 7) TOps.Store(a7, s + 7 * ld);
        if (k > 8) TOps.Store(a8, s + 8 * ld);
        if (k > 9) TOps.Store(a9, s + 9 * ld);
        if (k > 10) TOps.Store(a10, s + 10 * ld);
        if (k > 11) TOps.Store(a11, s + 11 * ld);
        if (k > 12) TOps.Store(a12, s + 12 * ld);
        if (k > 13) TOps.Store(a13, s + 13 * ld);
        if (k > 14) TOps.Store(a14, s + 14 * ld);
        if (k > 15) TOps.Store(a15, s + 15 * ld);
    }

    private readonly struct Shape(int rows, int width, int inputRow, int step, int channels)
    {
        public readonly int Rows = rows, Width = width, InputRow = inputRow, Step = step, Channels = channels;
    }

    private interface ICount { static abstract int Value { get; } }
    private readonly struct One : ICount { public static int Value => 1; }
    private readonly struct Two : ICount { public static int Value => 2; }
    private readonly struct Three : ICount { public static int Value => 3; }
    private readonly struct Four : ICount { public static int Value => 4; }
    private readonly struct Five : ICount { public static int Value => 5; }
    private readonly struct Six : ICount { public static int Value => 6; }
    private readonly struct Seven : ICount { public static int Value => 7; }
    private readonly struct Eight : ICount { public static int Value => 8; }
    private readonly struct Nine : ICount { public static int Value => 9; }
    private readonly struct Ten : ICount { public static int Value => 10; }
    private readonly struct Eleven : ICount { public static int Value => 11; }
    private readonly struct Twelve : ICount { public static int Value => 12; }
    private readonly struct Thirteen : ICount { public static int Value => 13; }
    private readonly struct Fourteen : ICount { public static int Value => 14; }
    private readonly struct Fifteen : ICount { public static int Value => 15; }
    private readonly struct Sixteen : ICount { public static int Value => 16; }
}
