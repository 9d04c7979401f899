using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Direct convolution for few taps per output (LeNet's first layer: 1 channel, 5×5) at stride width 1: each group's
/// input is copied once into a zero-bordered workspace, so every tap of an output row reads one unclipped run; an
/// output row is computed in chunks of up to four vectors kept in registers across all taps, for two output channels
/// at once so that each load of the input feeds two FMAs. The padded rows are long enough that the last chunk's extra
/// lanes read zeros, not the next row; they are computed and dropped.
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
        switch (VectorWidth.Fit(width, g.OutputWidth))
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
        int h = g.InputHeight, iw = g.InputWidth, oh = g.OutputHeight, ow = g.OutputWidth;
        // Offsets of every tap in the padded group, in weight order (channel, ky, kx).
        Span<int> offsets = stackalloc int[taps]; // taps ≤ Conv2D.DirectMaxTapsFewChannels
        for (int c = 0, r = 0; c < cin; c++)
            for (int ky = 0; ky < g.KernelHeight; ky++)
                for (int kx = 0; kx < g.KernelWidth; kx++, r++)
                    offsets[r] = (c * ph + ky * g.DilationHeight) * pw + kx * g.DilationWidth;
        int count = TOps.Count, chunk = 4 * count;
        float* tail = stackalloc float[128]; // two rows of up to four 16-lane vectors
        for (int n = 0; n < batch; n++)
            for (int group = 0; group < g.Groups; group++)
            {
                PadGroup(g, x + (long)n * g.InputLength + (long)group * cin * h * iw, pad);
                for (int mg = 0; mg < cout; mg += 2)
                {
                    // Two output channels at a time share each load of the input: one load feeds two FMAs.
                    int m = group * cout + mg;
                    bool pair = mg + 1 < cout;
                    float* weights0 = w + (long)m * taps, weights1 = pair ? weights0 + taps : weights0;
                    float* plane0 = y + (long)n * g.OutputLength + (long)m * g.OutputPlane;
                    float* plane1 = pair ? plane0 + g.OutputPlane : tail + 64;
                    TVec start0 = TOps.Create(bias == null ? 0 : bias[m]);
                    TVec start1 = TOps.Create(bias == null || !pair ? 0 : bias[m + 1]);
                    for (int oy = 0; oy < oh; oy++)
                    {
                        float* source = pad + oy * g.StrideHeight * pw, row0 = plane0 + oy * ow, row1 = pair ? plane1 + oy * ow : plane1;
                        for (int x0 = 0; x0 < ow; x0 += chunk)
                        {
                            int left = ow - x0;
                            int vectors = Math.Min(4, (left + count - 1) / count);
                            bool whole = left >= vectors * count;
                            float* dst0 = whole ? row0 + x0 : tail, dst1 = whole && pair ? row1 + x0 : tail + 64;
                            if (pair) Chunk<TVec, TOps, Two>(vectors, source + x0, weights0, weights1, offsets, start0, start1, dst0, dst1);
                            else Chunk<TVec, TOps, One>(vectors, source + x0, weights0, weights1, offsets, start0, start1, dst0, dst1);
                            if (!whole)
                            {
                                new ReadOnlySpan<float>(tail, left).CopyTo(new Span<float>(row0 + x0, left));
                                if (pair) new ReadOnlySpan<float>(tail + 64, left).CopyTo(new Span<float>(row1 + x0, left));
                            }
                        }
                    }
                    if (activation != ActivationKind.Identity)
                    {
                        var output = new Span<float>(plane0, (pair ? 2 : 1) * g.OutputPlane);
                        Activations.Forward(activation, output, output, alpha, width);
                    }
                }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Chunk<TVec, TOps, TC>(int vectors, float* source, float* weights0, float* weights1, ReadOnlySpan<int> offsets,
        TVec start0, TVec start1, float* dst0, float* dst1)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TC : struct, IVectorCount
    {
        switch (vectors)
        {
            case 4: Chunk<TVec, TOps, Four, TC>(source, weights0, weights1, offsets, start0, start1, dst0, dst1); break;
            case 3: Chunk<TVec, TOps, Three, TC>(source, weights0, weights1, offsets, start0, start1, dst0, dst1); break;
            case 2: Chunk<TVec, TOps, Two, TC>(source, weights0, weights1, offsets, start0, start1, dst0, dst1); break;
            default: Chunk<TVec, TOps, One, TC>(source, weights0, weights1, offsets, start0, start1, dst0, dst1); break;
        }
    }

    /// <summary>Up to four vectors (TN) of one or two output rows (TC) over every tap, held in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Chunk<TVec, TOps, TN, TC>(float* source, float* weights0, float* weights1, ReadOnlySpan<int> offsets,
        TVec start0, TVec start1, float* dst0, float* dst1)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TN : struct, IVectorCount where TC : struct, IVectorCount
    {
        int count = TOps.Count;
        bool two = TC.Value == 2;
        TVec a0 = start0, a1 = start0, a2 = start0, a3 = start0;
        TVec b0 = start1, b1 = start1, b2 = start1, b3 = start1;
        for (int r = 0; r < offsets.Length; r++)
        {
            TVec u = TOps.Create(weights0[r]), v = two ? TOps.Create(weights1[r]) : u;
            float* s = source + offsets[r];
            TVec x0 = TOps.Load(s);
            a0 = TOps.MultiplyAdd(x0, u, a0);
            if (two) b0 = TOps.MultiplyAdd(x0, v, b0);
            if (TN.Value > 1) { TVec x1 = TOps.Load(s + count); a1 = TOps.MultiplyAdd(x1, u, a1); if (two) b1 = TOps.MultiplyAdd(x1, v, b1); }
            if (TN.Value > 2) { TVec x2 = TOps.Load(s + 2 * count); a2 = TOps.MultiplyAdd(x2, u, a2); if (two) b2 = TOps.MultiplyAdd(x2, v, b2); }
            if (TN.Value > 3) { TVec x3 = TOps.Load(s + 3 * count); a3 = TOps.MultiplyAdd(x3, u, a3); if (two) b3 = TOps.MultiplyAdd(x3, v, b3); }
        }
        TOps.Store(a0, dst0);
        if (TN.Value > 1) TOps.Store(a1, dst0 + count);
        if (TN.Value > 2) TOps.Store(a2, dst0 + 2 * count);
        if (TN.Value > 3) TOps.Store(a3, dst0 + 3 * count);
        if (!two) return;
        TOps.Store(b0, dst1);
        if (TN.Value > 1) TOps.Store(b1, dst1 + count);
        if (TN.Value > 2) TOps.Store(b2, dst1 + 2 * count);
        if (TN.Value > 3) TOps.Store(b3, dst1 + 3 * count);
    }

    private interface IVectorCount { static abstract int Value { get; } }
    private readonly struct One : IVectorCount { public static int Value => 1; }
    private readonly struct Two : IVectorCount { public static int Value => 2; }
    private readonly struct Three : IVectorCount { public static int Value => 3; }
    private readonly struct Four : IVectorCount { public static int Value => 4; }
}
