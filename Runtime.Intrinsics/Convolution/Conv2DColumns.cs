namespace Simd.Runtime.Intrinsics;

/// <summary>
/// im2col and col2im over a panel of columns: rows are the (channel, ky, kx) taps of one group, columns the output
/// positions in (sample, oy, ox) order, so a panel may span several samples of small planes. Panels bound the column
/// matrix (<see cref="Conv2DPanel"/>), so the workspace stays bounded however large the image (a whole ResNet layer's
/// matrix would be C·9 times the input) or the batch.
/// </summary>
internal static unsafe class Conv2DColumns
{
    /// <summary>
    /// col[r, j] = x[s, c, iy, ix] of tap r at column q0 + j (sample s = column / outH·outW), 0 where the tap falls in
    /// the padding. <paramref name="x"/> is the group's first channel of sample 0; samples are InputLength apart.
    /// </summary>
    public static void Gather(in Conv2DGeometry g, float* x, int q0, int count, float* col)
    {
        int h = g.InputHeight, w = g.InputWidth, oh = g.OutputHeight, ow = g.OutputWidth, plane = g.OutputPlane;
        int sh = g.StrideHeight, sw = g.StrideWidth, padTop = g.PadTop, padLeft = g.PadLeft;
        int dh = g.DilationHeight, dw = g.DilationWidth, kh = g.KernelHeight, kw = g.KernelWidth;
        int cin = g.InputChannelsPerGroup;
        long sample = g.InputLength, channelLength = (long)h * w;
        int s0 = q0 / plane, oy0 = q0 % plane / ow, ox0 = q0 % plane % ow;
        float* row = col;
        for (int c = 0; c < cin; c++)
            for (int ky = 0; ky < kh; ky++)
                for (int kx = 0; kx < kw; kx++, row += count)
                {
                    float* channel = x + c * channelLength + (long)s0 * sample;
                    int oy = oy0, ox = ox0, yOffset = ky * dh - padTop, ixBase = kx * dw - padLeft;
                    for (int j = 0; j < count;)
                    {
                        int run = Math.Min(ow - ox, count - j);
                        int iy = oy * sh + yOffset;
                        float* dst = row + j;
                        if ((uint)iy >= (uint)h) Conv2DRuns.Clear(dst, run);
                        else
                        {
                            float* src = channel + (long)iy * w;
                            int ix0 = ox * sw + ixBase;
                            if (sw == 1)
                            {
                                int lo = Math.Clamp(-ix0, 0, run), hi = Math.Max(lo, Math.Clamp(w - ix0, 0, run));
                                if (lo > 0) Conv2DRuns.Clear(dst, lo);
                                Conv2DRuns.Copy(src + ix0 + lo, dst + lo, hi - lo);
                                if (hi < run) Conv2DRuns.Clear(dst + hi, run - hi);
                            }
                            else
                                for (int t = 0, ix = ix0; t < run; t++, ix += sw)
                                    dst[t] = (uint)ix < (uint)w ? src[ix] : 0;
                        }
                        j += run;
                        ox = 0;
                        if (++oy == oh)
                        {
                            oy = 0;
                            channel += sample;
                        }
                    }
                }
    }

    /// <summary>The adjoint of <see cref="Gather"/>: x[s, c, iy, ix] += col[r, j] for every tap inside the input.</summary>
    public static void ScatterAdd(in Conv2DGeometry g, float* col, int q0, int count, float* x)
    {
        int h = g.InputHeight, w = g.InputWidth, oh = g.OutputHeight, ow = g.OutputWidth, plane = g.OutputPlane;
        int sh = g.StrideHeight, sw = g.StrideWidth, padTop = g.PadTop, padLeft = g.PadLeft;
        int dh = g.DilationHeight, dw = g.DilationWidth, kh = g.KernelHeight, kw = g.KernelWidth;
        int cin = g.InputChannelsPerGroup;
        long sample = g.InputLength, channelLength = (long)h * w;
        int s0 = q0 / plane, oy0 = q0 % plane / ow, ox0 = q0 % plane % ow;
        float* row = col;
        for (int c = 0; c < cin; c++)
            for (int ky = 0; ky < kh; ky++)
                for (int kx = 0; kx < kw; kx++, row += count)
                {
                    float* channel = x + c * channelLength + (long)s0 * sample;
                    int oy = oy0, ox = ox0, yOffset = ky * dh - padTop, ixBase = kx * dw - padLeft;
                    for (int j = 0; j < count;)
                    {
                        int run = Math.Min(ow - ox, count - j);
                        int iy = oy * sh + yOffset;
                        if ((uint)iy < (uint)h)
                        {
                            float* src = row + j, dst = channel + (long)iy * w;
                            int ix0 = ox * sw + ixBase;
                            if (sw == 1)
                            {
                                int lo = Math.Clamp(-ix0, 0, run), hi = Math.Max(lo, Math.Clamp(w - ix0, 0, run));
                                Conv2DRuns.Add(src + lo, dst + ix0 + lo, hi - lo);
                            }
                            else
                                for (int t = 0, ix = ix0; t < run; t++, ix += sw)
                                    if ((uint)ix < (uint)w) dst[ix] += src[t];
                        }
                        j += run;
                        ox = 0;
                        if (++oy == oh)
                        {
                            oy = 0;
                            channel += sample;
                        }
                    }
                }
    }
}
