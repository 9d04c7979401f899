namespace Simd.Runtime.Intrinsics;

/// <summary>
/// im2col and col2im over a panel of output positions: rows are the (channel, ky, kx) taps of one group, columns
/// the output positions p0 … p0 + count − 1 in row-major (oy, ox) order. Panels bound the column matrix, so the
/// workspace stays <see cref="Conv2D.MaxPanelElements"/>-ish however large the image (a whole ResNet layer's
/// matrix would be C·9 times the input).
/// </summary>
internal static unsafe class Conv2DColumns
{
    /// <summary>Columns per panel: all positions when the matrix fits the bound, else a multiple of 16 (at least 16).</summary>
    public static int PanelColumns(in Conv2DGeometry g)
    {
        int rows = g.ColumnRows, plane = g.OutputPlane;
        if ((long)rows * plane <= Conv2D.MaxPanelElements) return plane;
        int columns = Math.Max(16, Conv2D.MaxPanelElements / rows / 16 * 16);
        return Math.Min(columns, plane);
    }

    /// <summary>col[r, j] = x[c, iy, ix] of tap r at position p0 + j, 0 where the tap falls in the padding.</summary>
    public static void Gather(in Conv2DGeometry g, float* x, int p0, int count, float* col)
    {
        int h = g.InputHeight, w = g.InputWidth, ow = g.OutputWidth;
        int r = 0;
        for (int c = 0; c < g.InputChannelsPerGroup; c++)
        {
            float* channel = x + (long)c * h * w;
            for (int ky = 0; ky < g.KernelHeight; ky++)
                for (int kx = 0; kx < g.KernelWidth; kx++, r++)
                {
                    float* row = col + (long)r * count;
                    int oy = p0 / ow, ox = p0 % ow;
                    for (int j = 0; j < count; oy++, ox = 0)
                    {
                        int run = Math.Min(ow - ox, count - j);
                        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        float* dst = row + j;
                        if ((uint)iy >= (uint)h) new Span<float>(dst, run).Clear();
                        else
                        {
                            float* src = channel + (long)iy * w;
                            int ix0 = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if (g.StrideWidth == 1)
                            {
                                var (lo, hi) = Inside(ix0, w, run);
                                new Span<float>(dst, lo).Clear();
                                new ReadOnlySpan<float>(src + ix0 + lo, hi - lo).CopyTo(new Span<float>(dst + lo, hi - lo));
                                new Span<float>(dst + hi, run - hi).Clear();
                            }
                            else
                                for (int t = 0, ix = ix0; t < run; t++, ix += g.StrideWidth)
                                    dst[t] = (uint)ix < (uint)w ? src[ix] : 0;
                        }
                        j += run;
                    }
                }
        }
    }

    /// <summary>The adjoint of <see cref="Gather"/>: x[c, iy, ix] += col[r, j] for every tap inside the input.</summary>
    public static void ScatterAdd(in Conv2DGeometry g, float* col, int p0, int count, float* x, SimdWidth width)
    {
        int h = g.InputHeight, w = g.InputWidth, ow = g.OutputWidth;
        int r = 0;
        for (int c = 0; c < g.InputChannelsPerGroup; c++)
        {
            float* channel = x + (long)c * h * w;
            for (int ky = 0; ky < g.KernelHeight; ky++)
                for (int kx = 0; kx < g.KernelWidth; kx++, r++)
                {
                    float* row = col + (long)r * count;
                    int oy = p0 / ow, ox = p0 % ow;
                    for (int j = 0; j < count; oy++, ox = 0)
                    {
                        int run = Math.Min(ow - ox, count - j);
                        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        if ((uint)iy < (uint)h)
                        {
                            float* src = row + j, dst = channel + (long)iy * w;
                            int ix0 = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if (g.StrideWidth == 1)
                            {
                                var (lo, hi) = Inside(ix0, w, run);
                                PlaneMath.AddInto(new ReadOnlySpan<float>(src + lo, hi - lo), new Span<float>(dst + ix0 + lo, hi - lo), width);
                            }
                            else
                                for (int t = 0, ix = ix0; t < run; t++, ix += g.StrideWidth)
                                    if ((uint)ix < (uint)w) dst[ix] += src[t];
                        }
                        j += run;
                    }
                }
        }
    }

    /// <summary>The t in [lo, hi) ⊆ [0, run) for which start + t lies in [0, length).</summary>
    private static (int Lo, int Hi) Inside(int start, int length, int run)
    {
        int lo = Math.Clamp(-start, 0, run), hi = Math.Clamp(length - start, 0, run);
        return (lo, Math.Max(lo, hi));
    }
}
