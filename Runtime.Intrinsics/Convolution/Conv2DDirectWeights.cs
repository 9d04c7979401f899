using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The weight gradient as a direct correlation at stride width 1, without the column matrix, where the group's output
/// channels do not fill whole vectors (else <see cref="Conv2DChannelWeights"/> runs): dW[m, r] = Σ over
/// samples and output positions of dy[m, oy, ox]·x_padded[tap r shifted by (oy, ox)]. Each sample's input goes into
/// the zero-bordered copy of <see cref="Conv2DDirect"/> and its output gradient into rows rounded up to whole vectors
/// (zeros past the row's end); a tile of up to 4 output channels × 4 taps keeps 16 vector sums over the output
/// columns in registers across a sample's rows (4 + 4 loads feed 16 FMAs), and the sums live on in the workspace
/// from one sample to the next, to be added across their lanes once, after the batch. Lanes past a row's end read
/// the input where the next columns lie; they are masked to zero, so that an infinite input there cannot make
/// 0·∞ = NaN in a weight it does not reach.
/// </summary>
internal static unsafe class Conv2DDirectWeights
{
    /// <summary>The most weights per output channel (offsets live on the stack).</summary>
    public const int MaxTaps = 1024;

    /// <summary>
    /// Stride width 1 (or output channels that fill 16-lane vectors, whose form takes any stride, and more taps than
    /// output channels: the small ResNet's strided 1×1 projection, 16 taps for 32 channels, measured 142 µs against
    /// GEMM's 102 at batch 32, its strided 3×3 391 against 819), and a workspace within the column panels' bound for
    /// whichever form may run: this one, or <see cref="Conv2DChannelWeights"/> at the widths whose vectors the
    /// group's output channels fill.
    /// </summary>
    public static bool Possible(in Conv2DGeometry g) =>
        (g.StrideWidth == 1 || g.OutputChannelsPerGroup % 16 == 0 && g.ColumnRows > g.OutputChannelsPerGroup) && g.ColumnRows <= MaxTaps &&
        WorkspaceLengthOfEither(g) <= Conv2D.MaxPanelElements;

    /// <summary>The workspace of the forms that may run: the channel form at some width, this one unless 16-lane vectors fill too.</summary>
    public static long WorkspaceLengthOfEither(in Conv2DGeometry g) =>
        Math.Max(g.OutputChannelsPerGroup % 16 == 0 ? 0 : WorkspaceLength(g),
            Conv2DChannelWeights.Fits(SimdWidth.V128, g) ? Conv2DChannelWeights.WorkspaceLength(g) : 0);

    /// <summary>Output rows rounded up to whole 16-lane vectors, the widest.</summary>
    private static int RowStride(in Conv2DGeometry g) => (g.OutputWidth + 15) / 16 * 16;

    /// <summary>Output planes rounded up to whole 16-lane vectors, for the flat layout.</summary>
    private static int PlaneStride(in Conv2DGeometry g) => (g.OutputPlane + 15) / 16 * 16;

    /// <summary>
    /// The padded input (or its shifted copies, for the flat layout), the output gradient in rounded rows (or rounded
    /// planes) and the vector sums (16 lanes per weight).
    /// </summary>
    public static long WorkspaceLength(in Conv2DGeometry g)
    {
        var (input, gradient) = Regions(g);
        return input + gradient + (long)g.OutputChannelsPerGroup * g.ColumnRows * 16;
    }

    /// <summary>Floats of the workspace's input and output-gradient regions, large enough for either layout that can run.</summary>
    private static (long Input, long Gradient) Regions(in Conv2DGeometry g)
    {
        long input = Conv2DDirect.WorkspaceLength(g), gradient = (long)g.OutputChannelsPerGroup * g.OutputHeight * RowStride(g);
        if (Conv2DDirect.FlatPossible(g))
        {
            input = Math.Max(input, Conv2DDirect.FlatLength(g));
            gradient = Math.Max(gradient, (long)g.OutputChannelsPerGroup * PlaneStride(g));
        }
        return (input, gradient);
    }

    /// <summary>
    /// Whether the correlation takes the flat layout (over <see cref="Conv2DDirect.Shift">shifted copies</see> of the
    /// input and whole output planes) at <paramref name="lanes"/>: where the forward pass would, or where rows leave
    /// an eighth of the lanes unused (LeNet's first layer, 28 of 32) — see the README.
    /// </summary>
    internal static bool Flat(in Conv2DGeometry g, int lanes)
    {
        if (!Conv2DDirect.FlatPossible(g)) return false;
        int rowLanes = (g.OutputWidth + lanes - 1) / lanes * lanes;
        return 8 * g.OutputWidth <= 7 * rowLanes;
    }

    public static void Run(SimdWidth width, in Conv2DGeometry g, int batch, float* x, float* dy, float* dw, float* workspace) =>
        Run(width, g, batch, x, dy, dw, workspace, Flat(g, VectorWidth.Lanes(width)));

    /// <summary>The weight gradient in the flat layout (which needs <see cref="Conv2DDirect.FlatPossible"/>) or by rows, where the channel form does not run.</summary>
    public static void Run(SimdWidth width, in Conv2DGeometry g, int batch, float* x, float* dy, float* dw, float* workspace, bool flat)
    {
        if (Conv2DChannelWeights.Fits(width, g))
        {
            Conv2DChannelWeights.Run(width, g, batch, x, dy, dw, workspace);
            return;
        }
        if (flat && !Conv2DDirect.FlatPossible(g)) throw new ArgumentException($"Conv2D: the flat layout does not apply to {g}.");
        switch (width)
        {
            case SimdWidth.V512: Run<Vector512<float>, Float512>(g, batch, x, dy, dw, workspace, flat); break;
            case SimdWidth.V256: Run<Vector256<float>, Float256>(g, batch, x, dy, dw, workspace, flat); break;
            default: Run<Vector128<float>, Float128>(g, batch, x, dy, dw, workspace, flat); break;
        }
    }

    private static void Run<TVec, TOps>(in Conv2DGeometry g, int batch, float* x, float* dy, float* dw, float* workspace, bool flat)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        var (ph, pw) = Conv2DDirect.Padded(g);
        int lanes = TOps.Count, cin = g.InputChannelsPerGroup, cout = g.OutputChannelsPerGroup, taps = g.ColumnRows;
        int oh = g.OutputHeight, ow = g.OutputWidth, plane = g.OutputPlane, stride = RowStride(g), planeStride = PlaneStride(g);
        // By rows: each row's vectors, the last masked past the row's end. Flat: one row, the whole plane.
        int rows = flat ? 1 : oh, width = flat ? plane : ow;
        int vectors = (width + lanes - 1) / lanes, valid = width - (vectors - 1) * lanes;
        Span<int> offsets = stackalloc int[taps];
        if (flat) Conv2DDirect.FlatOffsets(g, offsets);
        else Conv2DDirect.TapOffsets(g, ph, pw, offsets);
        var (input, gradientLength) = Regions(g);
        float* pad = workspace, gradient = pad + input;
        float* sums = gradient + gradientLength;
        TVec allOnes = TOps.Create(BitConverter.Int32BitsToSingle(-1));
        var shape = new TileShape<TVec>(rows, vectors, g.StrideHeight * pw, stride, flat ? planeStride : (long)oh * stride, taps * lanes,
            TOps.Select(TOps.LanesFrom(valid), TOps.Create(0), allOnes));
        bool masked = valid < lanes;
        for (int group = 0; group < g.Groups; group++)
        {
            for (int n = 0; n < batch; n++)
            {
                float* xg = x + (long)n * g.InputLength + (long)group * cin * g.InputPlane;
                float* dyg = dy + (long)n * g.OutputLength + (long)group * cout * plane;
                if (flat)
                {
                    Conv2DDirect.Shift(g, xg, pad, n == 0 && group == 0);
                    for (int m = 0; m < cout; m++)
                    {
                        float* to = gradient + (long)m * planeStride;
                        Conv2DRuns.Copy(dyg + (long)m * plane, to, plane);
                        Conv2DRuns.Clear(to + plane, planeStride - plane);
                    }
                }
                else
                {
                    Conv2DDirect.PadGroup(g, xg, pad, n == 0 && group == 0);
                    for (int m = 0; m < cout; m++)
                        for (int oy = 0; oy < oh; oy++)
                        {
                            float* to = gradient + ((long)m * oh + oy) * stride;
                            Conv2DRuns.Copy(dyg + (long)m * plane + oy * ow, to, ow);
                            Conv2DRuns.Clear(to + ow, stride - ow);
                        }
                }
                for (int m0 = 0; m0 < cout; m0 += 4)
                    for (int r0 = 0; r0 < taps; r0 += 4)
                    {
                        float* d = gradient + m0 * shape.Channel, s = sums + ((long)m0 * taps + r0) * lanes;
                        int mt = Math.Min(4, cout - m0), rt = Math.Min(4, taps - r0);
                        // The first sample starts the sums at zero, the last adds each across its lanes into dW.
                        var ends = new Ends(n == 0, n == batch - 1 ? dw + ((long)group * cout + m0) * taps + r0 : null);
                        fixed (int* o = &offsets[r0])
                        {
                            if (masked) Channels<TVec, TOps, Yes>(mt, rt, d, pad, o, s, shape, ends);
                            else Channels<TVec, TOps, No>(mt, rt, d, pad, o, s, shape, ends);
                        }
                    }
            }
        }
    }

    private static void Channels<TVec, TOps, TMask>(int mt, int rt, float* d, float* pad, int* o, float* s, in TileShape<TVec> t, Ends e)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TMask : struct, IFlag
    {
        switch (mt)
        {
            case 4: Taps<TVec, TOps, TMask, Four>(rt, d, pad, o, s, t, e); break;
            case 3: Taps<TVec, TOps, TMask, Three>(rt, d, pad, o, s, t, e); break;
            case 2: Taps<TVec, TOps, TMask, Two>(rt, d, pad, o, s, t, e); break;
            default: Taps<TVec, TOps, TMask, One>(rt, d, pad, o, s, t, e); break;
        }
    }

    private static void Taps<TVec, TOps, TMask, TM>(int rt, float* d, float* pad, int* o, float* s, in TileShape<TVec> t, Ends e)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TMask : struct, IFlag where TM : struct, ICount
    {
        switch (rt)
        {
            case 4: Tile<TVec, TOps, TMask, TM, Four>(d, pad, o, s, t, e); break;
            case 3: Tile<TVec, TOps, TMask, TM, Three>(d, pad, o, s, t, e); break;
            case 2: Tile<TVec, TOps, TMask, TM, Two>(d, pad, o, s, t, e); break;
            default: Tile<TVec, TOps, TMask, TM, One>(d, pad, o, s, t, e); break;
        }
    }

    /// <summary>TM output channels × TR taps of vector sums, over every row of one sample.</summary>
    private static void Tile<TVec, TOps, TMask, TM, TR>(float* d, float* pad, int* o, float* s, in TileShape<TVec> t, Ends e)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TMask : struct, IFlag where TM : struct, ICount where TR : struct, ICount
    {
        int lanes = TOps.Count, sr = t.SumRow, rows = t.Rows, vectors = t.Vectors, last = vectors - 1;
        long ch = t.Channel;
        bool m1 = TM.Value > 1, m2 = TM.Value > 2, m3 = TM.Value > 3, r1 = TR.Value > 1, r2 = TR.Value > 2, r3 = TR.Value > 3;
        TVec mask = t.LastMask;
        float* s1 = s + sr, s2 = s + 2 * sr, s3 = s + 3 * sr;
        TVec a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
        TVec a20 = default, a21 = default, a22 = default, a23 = default, a30 = default, a31 = default, a32 = default, a33 = default;
        if (!e.First)
        {
            a00 = TOps.Load(s); a01 = r1 ? TOps.Load(s + lanes) : default; a02 = r2 ? TOps.Load(s + 2 * lanes) : default; a03 = r3 ? TOps.Load(s + 3 * lanes) : default;
            a10 = m1 ? TOps.Load(s1) : default; a11 = m1 && r1 ? TOps.Load(s1 + lanes) : default; a12 = m1 && r2 ? TOps.Load(s1 + 2 * lanes) : default; a13 = m1 && r3 ? TOps.Load(s1 + 3 * lanes) : default;
            a20 = m2 ? TOps.Load(s2) : default; a21 = m2 && r1 ? TOps.Load(s2 + lanes) : default; a22 = m2 && r2 ? TOps.Load(s2 + 2 * lanes) : default; a23 = m2 && r3 ? TOps.Load(s2 + 3 * lanes) : default;
            a30 = m3 ? TOps.Load(s3) : default; a31 = m3 && r1 ? TOps.Load(s3 + lanes) : default; a32 = m3 && r2 ? TOps.Load(s3 + 2 * lanes) : default; a33 = m3 && r3 ? TOps.Load(s3 + 3 * lanes) : default;
        }
        else
        {
            a00 = a01 = a02 = a03 = a10 = a11 = a12 = a13 = a20 = a21 = a22 = a23 = a30 = a31 = a32 = a33 = TOps.Create(0);
        }
        int o0 = o[0], o1 = r1 ? o[1] : 0, o2 = r2 ? o[2] : 0, o3 = r3 ? o[3] : 0;
        for (int oy = 0; oy < rows; oy++)
        {
            float* dr = d + (long)oy * t.GradientRow, xr = pad + (long)oy * t.InputRow;
            for (int v = 0, at = 0; v < vectors; v++, at += lanes)
            {
                TVec x0 = TOps.Load(xr + o0 + at);
                TVec x1 = r1 ? TOps.Load(xr + o1 + at) : default;
                TVec x2 = r2 ? TOps.Load(xr + o2 + at) : default;
                TVec x3 = r3 ? TOps.Load(xr + o3 + at) : default;
                if (TMask.Value && v == last)
                {
                    x0 = TOps.And(x0, mask);
                    if (r1) x1 = TOps.And(x1, mask);
                    if (r2) x2 = TOps.And(x2, mask);
                    if (r3) x3 = TOps.And(x3, mask);
                }
                TVec g0 = TOps.Load(dr + at);
                a00 = TOps.MultiplyAdd(g0, x0, a00);
                if (r1) a01 = TOps.MultiplyAdd(g0, x1, a01);
                if (r2) a02 = TOps.MultiplyAdd(g0, x2, a02);
                if (r3) a03 = TOps.MultiplyAdd(g0, x3, a03);
                if (m1)
                {
                    TVec g1 = TOps.Load(dr + ch + at);
                    a10 = TOps.MultiplyAdd(g1, x0, a10);
                    if (r1) a11 = TOps.MultiplyAdd(g1, x1, a11);
                    if (r2) a12 = TOps.MultiplyAdd(g1, x2, a12);
                    if (r3) a13 = TOps.MultiplyAdd(g1, x3, a13);
                }
                if (m2)
                {
                    TVec g2 = TOps.Load(dr + 2 * ch + at);
                    a20 = TOps.MultiplyAdd(g2, x0, a20);
                    if (r1) a21 = TOps.MultiplyAdd(g2, x1, a21);
                    if (r2) a22 = TOps.MultiplyAdd(g2, x2, a22);
                    if (r3) a23 = TOps.MultiplyAdd(g2, x3, a23);
                }
                if (m3)
                {
                    TVec g3 = TOps.Load(dr + 3 * ch + at);
                    a30 = TOps.MultiplyAdd(g3, x0, a30);
                    if (r1) a31 = TOps.MultiplyAdd(g3, x1, a31);
                    if (r2) a32 = TOps.MultiplyAdd(g3, x2, a32);
                    if (r3) a33 = TOps.MultiplyAdd(g3, x3, a33);
                }
            }
        }
        if (e.Weights != null)
        {
            int taps = sr / lanes;
            float* w0 = e.Weights, w1 = w0 + taps, w2 = w1 + taps, w3 = w2 + taps;
            w0[0] = TOps.Sum(a00);
            if (r1) w0[1] = TOps.Sum(a01);
            if (r2) w0[2] = TOps.Sum(a02);
            if (r3) w0[3] = TOps.Sum(a03);
            if (m1) { w1[0] = TOps.Sum(a10); if (r1) w1[1] = TOps.Sum(a11); if (r2) w1[2] = TOps.Sum(a12); if (r3) w1[3] = TOps.Sum(a13); }
            if (m2) { w2[0] = TOps.Sum(a20); if (r1) w2[1] = TOps.Sum(a21); if (r2) w2[2] = TOps.Sum(a22); if (r3) w2[3] = TOps.Sum(a23); }
            if (m3) { w3[0] = TOps.Sum(a30); if (r1) w3[1] = TOps.Sum(a31); if (r2) w3[2] = TOps.Sum(a32); if (r3) w3[3] = TOps.Sum(a33); }
            return;
        }
        TOps.Store(a00, s);
        if (r1) TOps.Store(a01, s + lanes);
        if (r2) TOps.Store(a02, s + 2 * lanes);
        if (r3) TOps.Store(a03, s + 3 * lanes);
        if (m1)
        {
            TOps.Store(a10, s1);
            if (r1) TOps.Store(a11, s1 + lanes);
            if (r2) TOps.Store(a12, s1 + 2 * lanes);
            if (r3) TOps.Store(a13, s1 + 3 * lanes);
        }
        if (m2)
        {
            TOps.Store(a20, s2);
            if (r1) TOps.Store(a21, s2 + lanes);
            if (r2) TOps.Store(a22, s2 + 2 * lanes);
            if (r3) TOps.Store(a23, s2 + 3 * lanes);
        }
        if (m3)
        {
            TOps.Store(a30, s3);
            if (r1) TOps.Store(a31, s3 + lanes);
            if (r2) TOps.Store(a32, s3 + 2 * lanes);
            if (r3) TOps.Store(a33, s3 + 3 * lanes);
        }
    }

    /// <summary>Whether a tile's sums start at zero (the first sample), and where they go as weights (the last), else null.</summary>
    private readonly struct Ends(bool first, float* weights)
    {
        public readonly bool First = first;
        public readonly float* Weights = weights;
    }

    /// <summary>The loop bounds and strides a tile needs, and the mask of the last vector's lanes inside the row.</summary>
    private readonly struct TileShape<TVec>(int rows, int vectors, int inputRow, int gradientRow, long channel, int sumRow, TVec lastMask)
        where TVec : struct
    {
        public readonly int Rows = rows, Vectors = vectors, InputRow = inputRow, GradientRow = gradientRow, SumRow = sumRow;
        public readonly long Channel = channel;
        public readonly TVec LastMask = lastMask;
    }

    private interface IFlag { static abstract bool Value { get; } }
    private readonly struct Yes : IFlag { public static bool Value => true; }
    private readonly struct No : IFlag { public static bool Value => false; }
    private interface ICount { static abstract int Value { get; } }
    private readonly struct One : ICount { public static int Value => 1; }
    private readonly struct Two : ICount { public static int Value => 2; }
    private readonly struct Three : ICount { public static int Value => 3; }
    private readonly struct Four : ICount { public static int Value => 4; }
}
