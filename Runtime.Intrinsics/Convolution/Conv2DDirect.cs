using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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

    public static long WorkspaceLength(in Conv2DGeometry g)
    {
        var (ph, pw) = Padded(g);
        return (long)g.InputChannelsPerGroup * ph * pw;
    }

    /// <summary>
    /// The group's channels at <paramref name="x"/> copied into <paramref name="pad"/> (<see cref="Padded"/> rows and
    /// columns per channel), zero around them: only the border is cleared, and each row moves in one inline copy.
    /// </summary>
    public static void PadGroup(in Conv2DGeometry g, float* x, float* pad)
    {
        var (ph, pw) = Padded(g);
        int h = g.InputHeight, iw = g.InputWidth, top = g.PadTop, left = g.PadLeft, right = pw - left - iw;
        for (int c = 0; c < g.InputChannelsPerGroup; c++)
        {
            float* channel = pad + (long)c * ph * pw, src = x + (long)c * h * iw;
            Conv2DRuns.Clear(channel, top * pw);
            Conv2DRuns.Clear(channel + (long)(top + h) * pw, (ph - top - h) * pw);
            for (int iy = 0; iy < h; iy++)
            {
                float* row = channel + (long)(top + iy) * pw;
                Conv2DRuns.Clear(row, left);
                Conv2DRuns.Copy(src + (long)iy * iw, row + left, iw);
                Conv2DRuns.Clear(row + left + iw, right);
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
        // 16 sums in registers at 512 bits (32 vector registers), 8 at the narrower widths (16 without AVX-512).
        int rowsAtOnce = lanes == 16 ? 2 : 1, vectors = (ow + lanes - 1) / lanes;
        var shape = new TileShape(taps, g.StrideHeight * pw, ow, plane, lanes);
        float* tail = stackalloc float[16];
        fixed (int* o = offsets)
            for (int n = 0; n < batch; n++)
                for (int group = 0; group < g.Groups; group++)
                {
                    PadGroup(g, x + (long)n * g.InputLength + (long)group * cin * g.InputPlane, pad);
                    for (int mg = 0; mg < cout; mg += 4)
                    {
                        int m = group * cout + mg, channels = Math.Min(4, cout - mg);
                        float* weights = w + (long)m * taps, planes = y + (long)n * g.OutputLength + (long)m * plane;
                        for (int oy = 0; oy < oh; oy += rowsAtOnce)
                        {
                            int rows = Math.Min(rowsAtOnce, oh - oy);
                            for (int v = 0; v < vectors; v += 2)
                            {
                                int count = Math.Min(2, vectors - v), x0 = v * lanes;
                                Channels<TVec, TOps>(channels, rows, count, pad + oy * shape.InputRow + x0, o, weights,
                                    bias == null ? null : bias + m, planes + oy * ow + x0, ow - x0, tail, shape);
                            }
                        }
                        if (activation != ActivationKind.Identity)
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
            case 4: Rows<TVec, TOps, Four>(rows, count, source, offsets, weights, bias, dst, left, tail, t); break;
            case 3: Rows<TVec, TOps, Three>(rows, count, source, offsets, weights, bias, dst, left, tail, t); break;
            case 2: Rows<TVec, TOps, Two>(rows, count, source, offsets, weights, bias, dst, left, tail, t); break;
            default: Rows<TVec, TOps, One>(rows, count, source, offsets, weights, bias, dst, left, tail, t); break;
        }
    }

    private static void Rows<TVec, TOps, TC>(int rows, int count, float* source, int* offsets, float* weights,
        float* bias, float* dst, int left, float* tail, in TileShape t)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TC : struct, IVectorCount
    {
        if (rows == 2)
        {
            if (count == 2) Tile<TVec, TOps, TC, Two, Two>(source, offsets, weights, bias, dst, left, tail, t);
            else Tile<TVec, TOps, TC, Two, One>(source, offsets, weights, bias, dst, left, tail, t);
        }
        else
        {
            if (count == 2) Tile<TVec, TOps, TC, One, Two>(source, offsets, weights, bias, dst, left, tail, t);
            else Tile<TVec, TOps, TC, One, One>(source, offsets, weights, bias, dst, left, tail, t);
        }
    }

    /// <summary>
    /// TC output channels × TR output rows × TN vectors of a row, in registers over every tap: each tap loads TR·TN
    /// input vectors and TC weights for TC·TR·TN FMAs. Sums start at the bias and add the taps in weight order.
    /// </summary>
    private static void Tile<TVec, TOps, TC, TR, TN>(float* source, int* offsets, float* weights, float* bias,
        float* dst, int left, float* tail, in TileShape t)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
        where TC : struct, IVectorCount where TR : struct, IVectorCount where TN : struct, IVectorCount
    {
        bool c1 = TC.Value > 1, c2 = TC.Value > 2, c3 = TC.Value > 3, r1 = TR.Value > 1, n1 = TN.Value > 1;
        int lanes = TOps.Count, taps = t.Taps, inputRow = t.InputRow;
        float* w0 = weights, w1 = w0 + taps, w2 = w1 + taps, w3 = w2 + taps;
        TVec b0 = TOps.Create(bias == null ? 0 : bias[0]), b1 = TOps.Create(bias == null || !c1 ? 0 : bias[1]);
        TVec b2 = TOps.Create(bias == null || !c2 ? 0 : bias[2]), b3 = TOps.Create(bias == null || !c3 ? 0 : bias[3]);
        // a{channel}{row}{vector}
        TVec a000 = b0, a001 = b0, a010 = b0, a011 = b0, a100 = b1, a101 = b1, a110 = b1, a111 = b1;
        TVec a200 = b2, a201 = b2, a210 = b2, a211 = b2, a300 = b3, a301 = b3, a310 = b3, a311 = b3;
        for (int r = 0; r < taps; r++)
        {
            float* s = source + offsets[r];
            TVec x00 = TOps.Load(s), x01 = n1 ? TOps.Load(s + lanes) : default;
            TVec x10 = r1 ? TOps.Load(s + inputRow) : default, x11 = r1 && n1 ? TOps.Load(s + inputRow + lanes) : default;
            TVec u = TOps.Create(w0[r]);
            a000 = TOps.MultiplyAdd(x00, u, a000);
            if (n1) a001 = TOps.MultiplyAdd(x01, u, a001);
            if (r1) a010 = TOps.MultiplyAdd(x10, u, a010);
            if (r1 && n1) a011 = TOps.MultiplyAdd(x11, u, a011);
            if (c1)
            {
                u = TOps.Create(w1[r]);
                a100 = TOps.MultiplyAdd(x00, u, a100);
                if (n1) a101 = TOps.MultiplyAdd(x01, u, a101);
                if (r1) a110 = TOps.MultiplyAdd(x10, u, a110);
                if (r1 && n1) a111 = TOps.MultiplyAdd(x11, u, a111);
            }
            if (c2)
            {
                u = TOps.Create(w2[r]);
                a200 = TOps.MultiplyAdd(x00, u, a200);
                if (n1) a201 = TOps.MultiplyAdd(x01, u, a201);
                if (r1) a210 = TOps.MultiplyAdd(x10, u, a210);
                if (r1 && n1) a211 = TOps.MultiplyAdd(x11, u, a211);
            }
            if (c3)
            {
                u = TOps.Create(w3[r]);
                a300 = TOps.MultiplyAdd(x00, u, a300);
                if (n1) a301 = TOps.MultiplyAdd(x01, u, a301);
                if (r1) a310 = TOps.MultiplyAdd(x10, u, a310);
                if (r1 && n1) a311 = TOps.MultiplyAdd(x11, u, a311);
            }
        }
        int plane = t.Plane, row = t.OutputRow;
        Store<TVec, TOps, TN>(a000, a001, dst, left, tail);
        if (r1) Store<TVec, TOps, TN>(a010, a011, dst + row, left, tail);
        if (c1)
        {
            Store<TVec, TOps, TN>(a100, a101, dst + plane, left, tail);
            if (r1) Store<TVec, TOps, TN>(a110, a111, dst + plane + row, left, tail);
        }
        if (c2)
        {
            Store<TVec, TOps, TN>(a200, a201, dst + 2 * plane, left, tail);
            if (r1) Store<TVec, TOps, TN>(a210, a211, dst + 2 * plane + row, left, tail);
        }
        if (c3)
        {
            Store<TVec, TOps, TN>(a300, a301, dst + 3 * plane, left, tail);
            if (r1) Store<TVec, TOps, TN>(a310, a311, dst + 3 * plane + row, left, tail);
        }
    }

    /// <summary>TN vectors of one output row, of which <paramref name="left"/> lanes lie inside it; the rest are dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TVec, TOps, TN>(TVec first, TVec second, float* dst, int left, float* tail)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TN : struct, IVectorCount
    {
        int lanes = TOps.Count;
        Part<TVec, TOps>(first, dst, left, tail);
        if (TN.Value > 1) Part<TVec, TOps>(second, dst + lanes, left - lanes, tail);
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
        TOps.Store(value, tail);
        Conv2DRuns.Copy(tail, dst, left);
    }

    /// <summary>Per-call strides of the tiles: taps, the padded input's row step between output rows, output row and plane.</summary>
    private readonly struct TileShape(int taps, int inputRow, int outputRow, int plane, int lanes)
    {
        public readonly int Taps = taps, InputRow = inputRow, OutputRow = outputRow, Plane = plane, Lanes = lanes;
    }

    private interface IVectorCount { static abstract int Value { get; } }
    private readonly struct One : IVectorCount { public static int Value => 1; }
    private readonly struct Two : IVectorCount { public static int Value => 2; }
    private readonly struct Three : IVectorCount { public static int Value => 3; }
    private readonly struct Four : IVectorCount { public static int Value => 4; }
}
