namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Plain loops over the definition: the scalar-width path and the reference the vector paths are tested against.
/// Callers have checked the spans.
/// </summary>
internal static class Conv2DScalar
{
    public static void Forward(in Conv2DGeometry g, int batch, ReadOnlySpan<float> x, ReadOnlySpan<float> w,
        ReadOnlySpan<float> bias, Span<float> y)
    {
        int cin = g.InputChannelsPerGroup, cout = g.OutputChannelsPerGroup, kh = g.KernelHeight, kw = g.KernelWidth;
        int h = g.InputHeight, wd = g.InputWidth, oh = g.OutputHeight, ow = g.OutputWidth;
        for (int n = 0; n < batch; n++)
            for (int m = 0; m < g.OutputChannels; m++)
            {
                int group = m / cout;
                int xBase = n * g.InputLength + group * cin * h * wd, wBase = m * g.ColumnRows;
                int yBase = n * g.OutputLength + m * g.OutputPlane;
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        float sum = bias.IsEmpty ? 0 : bias[m];
                        for (int c = 0; c < cin; c++)
                            for (int ky = 0; ky < kh; ky++)
                            {
                                int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                                if ((uint)iy >= (uint)h) continue;
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                                    if ((uint)ix >= (uint)wd) continue;
                                    sum += w[wBase + (c * kh + ky) * kw + kx] * x[xBase + (c * h + iy) * wd + ix];
                                }
                            }
                        y[yBase + oy * ow + ox] = sum;
                    }
            }
    }

    public static void BackwardData(in Conv2DGeometry g, int batch, ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx)
    {
        int cin = g.InputChannelsPerGroup, cout = g.OutputChannelsPerGroup, kh = g.KernelHeight, kw = g.KernelWidth;
        int h = g.InputHeight, wd = g.InputWidth, oh = g.OutputHeight, ow = g.OutputWidth;
        dx.Slice(0, batch * g.InputLength).Clear();
        for (int n = 0; n < batch; n++)
            for (int m = 0; m < g.OutputChannels; m++)
            {
                int group = m / cout;
                int xBase = n * g.InputLength + group * cin * h * wd, wBase = m * g.ColumnRows;
                int yBase = n * g.OutputLength + m * g.OutputPlane;
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        float d = dy[yBase + oy * ow + ox];
                        for (int c = 0; c < cin; c++)
                            for (int ky = 0; ky < kh; ky++)
                            {
                                int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                                if ((uint)iy >= (uint)h) continue;
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                                    if ((uint)ix >= (uint)wd) continue;
                                    dx[xBase + (c * h + iy) * wd + ix] += w[wBase + (c * kh + ky) * kw + kx] * d;
                                }
                            }
                    }
            }
    }

    public static void BackwardWeights(in Conv2DGeometry g, int batch, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw)
    {
        int cin = g.InputChannelsPerGroup, cout = g.OutputChannelsPerGroup, kh = g.KernelHeight, kw = g.KernelWidth;
        int h = g.InputHeight, wd = g.InputWidth, oh = g.OutputHeight, ow = g.OutputWidth;
        dw.Slice(0, g.WeightLength).Clear();
        for (int n = 0; n < batch; n++)
            for (int m = 0; m < g.OutputChannels; m++)
            {
                int group = m / cout;
                int xBase = n * g.InputLength + group * cin * h * wd, wBase = m * g.ColumnRows;
                int yBase = n * g.OutputLength + m * g.OutputPlane;
                for (int c = 0; c < cin; c++)
                    for (int ky = 0; ky < kh; ky++)
                        for (int kx = 0; kx < kw; kx++)
                        {
                            float sum = 0;
                            for (int oy = 0; oy < oh; oy++)
                            {
                                int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                                if ((uint)iy >= (uint)h) continue;
                                for (int ox = 0; ox < ow; ox++)
                                {
                                    int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                                    if ((uint)ix >= (uint)wd) continue;
                                    sum += dy[yBase + oy * ow + ox] * x[xBase + (c * h + iy) * wd + ix];
                                }
                            }
                            dw[wBase + (c * kh + ky) * kw + kx] += sum;
                        }
            }
    }
}
