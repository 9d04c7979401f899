using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Direct convolution for few taps per output (LeNet's first layer: 1 channel, 5×5) at stride width 1: each group's
/// input is copied once into a zero-bordered workspace, so every tap of an output row reads one unclipped run; an
/// output row is computed in chunks of up to four vectors kept in registers across all taps (one broadcast weight,
/// one load and one FMA per vector and tap). The padded rows are long enough that the last chunk's extra lanes read
/// zeros, not the next row; they are computed and dropped.
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

    public static void Forward(SimdWidth width, in Conv2DGeometry g, int batch, float* x, float* w, float* bias,
        float* y, float* workspace, ActivationKind activation, float alpha)
    {
        switch (FloatVectorWidth.Fit(width, g.OutputWidth))
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
        float* tail = stackalloc float[64];
        for (int n = 0; n < batch; n++)
            for (int group = 0; group < g.Groups; group++)
            {
                float* xg = x + (long)n * g.InputLength + (long)group * cin * h * iw;
                new Span<float>(pad, cin * ph * pw).Clear();
                for (int c = 0; c < cin; c++)
                    for (int iy = 0; iy < h; iy++)
                        new ReadOnlySpan<float>(xg + ((long)c * h + iy) * iw, iw)
                            .CopyTo(new Span<float>(pad + (c * ph + iy + g.PadTop) * pw + g.PadLeft, iw));
                for (int mg = 0; mg < cout; mg++)
                {
                    int m = group * cout + mg;
                    float* weights = w + (long)m * taps, plane = y + (long)n * g.OutputLength + (long)m * g.OutputPlane;
                    TVec start = TOps.Create(bias == null ? 0 : bias[m]);
                    for (int oy = 0; oy < oh; oy++)
                    {
                        float* source = pad + oy * g.StrideHeight * pw, row = plane + oy * ow;
                        for (int x0 = 0; x0 < ow; x0 += chunk)
                        {
                            int left = ow - x0;
                            int vectors = Math.Min(4, (left + count - 1) / count);
                            float* dst = left >= vectors * count ? row + x0 : tail;
                            switch (vectors)
                            {
                                case 4: Chunk<TVec, TOps, Four>(source + x0, weights, offsets, start, dst); break;
                                case 3: Chunk<TVec, TOps, Three>(source + x0, weights, offsets, start, dst); break;
                                case 2: Chunk<TVec, TOps, Two>(source + x0, weights, offsets, start, dst); break;
                                default: Chunk<TVec, TOps, One>(source + x0, weights, offsets, start, dst); break;
                            }
                            if (dst == tail) new ReadOnlySpan<float>(tail, left).CopyTo(new Span<float>(row + x0, left));
                        }
                    }
                    if (activation != ActivationKind.Identity)
                    {
                        var output = new Span<float>(plane, g.OutputPlane);
                        Activations.Forward(activation, output, output, alpha, width);
                    }
                }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Chunk<TVec, TOps, TN>(float* source, float* weights, ReadOnlySpan<int> offsets, TVec start, float* dst)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TN : struct, IVectorCount
    {
        int count = TOps.Count;
        TVec a0 = start, a1 = start, a2 = start, a3 = start;
        for (int r = 0; r < offsets.Length; r++)
        {
            TVec wv = TOps.Create(weights[r]);
            float* s = source + offsets[r];
            a0 = TOps.MultiplyAdd(TOps.Load(s), wv, a0);
            if (TN.Value > 1) a1 = TOps.MultiplyAdd(TOps.Load(s + count), wv, a1);
            if (TN.Value > 2) a2 = TOps.MultiplyAdd(TOps.Load(s + 2 * count), wv, a2);
            if (TN.Value > 3) a3 = TOps.MultiplyAdd(TOps.Load(s + 3 * count), wv, a3);
        }
        TOps.Store(a0, dst);
        if (TN.Value > 1) TOps.Store(a1, dst + count);
        if (TN.Value > 2) TOps.Store(a2, dst + 2 * count);
        if (TN.Value > 3) TOps.Store(a3, dst + 3 * count);
    }

    private interface IVectorCount { static abstract int Value { get; } }
    private readonly struct One : IVectorCount { public static int Value => 1; }
    private readonly struct Two : IVectorCount { public static int Value => 2; }
    private readonly struct Three : IVectorCount { public static int Value => 3; }
    private readonly struct Four : IVectorCount { public static int Value => 4; }
}
