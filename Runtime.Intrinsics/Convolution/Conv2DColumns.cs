using System.Runtime.CompilerServices;

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
    public static void Gather(in Conv2DGeometry g, float* x, int q0, int count, float* col) => Walk<GatherRuns>(g, x, q0, count, col);

    /// <summary>The adjoint of <see cref="Gather"/>: x[s, c, iy, ix] += col[r, j] for every tap inside the input.</summary>
    public static void ScatterAdd(in Conv2DGeometry g, float* col, int q0, int count, float* x) => Walk<ScatterAddRuns>(g, x, q0, count, col);

    /// <summary>
    /// The one walk both directions share: for every tap row and every run of columns along one output row, hands
    /// <typeparamref name="TRuns"/> the run in the column matrix and the input row it meets (or says it lies in the
    /// vertical padding), with the input columns [lo, hi) of the run that fall inside the image at stride width 1.
    /// </summary>
    private static void Walk<TRuns>(in Conv2DGeometry g, float* x, int q0, int count, float* col) where TRuns : struct, IColumnRuns
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
                        float* columns = row + j;
                        if ((uint)iy >= (uint)h) TRuns.Padding(columns, run);
                        else
                        {
                            float* input = channel + (long)iy * w;
                            int ix0 = ox * sw + ixBase;
                            if (sw == 1)
                            {
                                int lo = Math.Clamp(-ix0, 0, run), hi = Math.Max(lo, Math.Clamp(w - ix0, 0, run));
                                TRuns.Contiguous(columns, input + ix0, lo, hi, run);
                            }
                            else TRuns.Strided(columns, input, ix0, sw, w, run);
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

    /// <summary>What a run of columns does with the input row it meets; <c>input</c> in Contiguous is the run's first tap.</summary>
    private interface IColumnRuns
    {
        static abstract void Padding(float* columns, int run);
        static abstract void Contiguous(float* columns, float* input, int lo, int hi, int run);
        static abstract void Strided(float* columns, float* input, int ix0, int stride, int width, int run);
    }

    private readonly struct GatherRuns : IColumnRuns
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Padding(float* columns, int run) => Conv2DRuns.Clear(columns, run);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Contiguous(float* columns, float* input, int lo, int hi, int run)
        {
            if (lo > 0) Conv2DRuns.Clear(columns, lo);
            Conv2DRuns.Copy(input + lo, columns + lo, hi - lo);
            if (hi < run) Conv2DRuns.Clear(columns + hi, run - hi);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Strided(float* columns, float* input, int ix0, int stride, int width, int run)
        {
            for (int t = 0, ix = ix0; t < run; t++, ix += stride)
                columns[t] = (uint)ix < (uint)width ? input[ix] : 0;
        }
    }

    private readonly struct ScatterAddRuns : IColumnRuns
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Padding(float* columns, int run) { }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Contiguous(float* columns, float* input, int lo, int hi, int run) =>
            Conv2DRuns.Add(columns + lo, input + lo, hi - lo);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Strided(float* columns, float* input, int ix0, int stride, int width, int run)
        {
            for (int t = 0, ix = ix0; t < run; t++, ix += stride)
                if ((uint)ix < (uint)width) input[ix] += columns[t];
        }
    }
}
