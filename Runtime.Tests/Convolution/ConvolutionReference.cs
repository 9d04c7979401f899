using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Convolution;

/// <summary>The definitions as plain double-precision loops, independent of the kernels' own scalar paths.</summary>
internal static class ConvolutionReference
{
    public static double[] Forward(in Conv2DGeometry g, int batch, float[] x, float[] w, float[] bias)
    {
        var y = new double[batch * g.OutputLength];
        int cg = g.InputChannelsPerGroup, mg = g.OutputChannelsPerGroup;
        for (int n = 0; n < batch; n++)
            for (int m = 0; m < g.OutputChannels; m++)
                for (int oy = 0; oy < g.OutputHeight; oy++)
                    for (int ox = 0; ox < g.OutputWidth; ox++)
                    {
                        double sum = bias.Length == 0 ? 0 : bias[m];
                        for (int c = 0; c < cg; c++)
                            for (int ky = 0; ky < g.KernelHeight; ky++)
                                for (int kx = 0; kx < g.KernelWidth; kx++)
                                    if (InputAt(g, oy, ox, ky, kx, out int iy, out int ix))
                                        sum += (double)w[((m * cg + c) * g.KernelHeight + ky) * g.KernelWidth + kx] *
                                            x[((n * g.InputChannels + m / mg * cg + c) * g.InputHeight + iy) * g.InputWidth + ix];
                        y[((n * g.OutputChannels + m) * g.OutputHeight + oy) * g.OutputWidth + ox] = sum;
                    }
        return y;
    }

    public static (double[] Dx, double[] Dw, double[] Db) Backward(in Conv2DGeometry g, int batch, float[] x, float[] w, float[] dy)
    {
        var dx = new double[x.Length];
        var dw = new double[w.Length];
        var db = new double[g.OutputChannels];
        int cg = g.InputChannelsPerGroup, mg = g.OutputChannelsPerGroup;
        for (int n = 0; n < batch; n++)
            for (int m = 0; m < g.OutputChannels; m++)
                for (int oy = 0; oy < g.OutputHeight; oy++)
                    for (int ox = 0; ox < g.OutputWidth; ox++)
                    {
                        double d = dy[((n * g.OutputChannels + m) * g.OutputHeight + oy) * g.OutputWidth + ox];
                        db[m] += d;
                        for (int c = 0; c < cg; c++)
                            for (int ky = 0; ky < g.KernelHeight; ky++)
                                for (int kx = 0; kx < g.KernelWidth; kx++)
                                    if (InputAt(g, oy, ox, ky, kx, out int iy, out int ix))
                                    {
                                        int wi = ((m * cg + c) * g.KernelHeight + ky) * g.KernelWidth + kx;
                                        int xi = ((n * g.InputChannels + m / mg * cg + c) * g.InputHeight + iy) * g.InputWidth + ix;
                                        dx[xi] += w[wi] * d;
                                        dw[wi] += x[xi] * d;
                                    }
                    }
        return (dx, dw, db);
    }

    private static bool InputAt(in Conv2DGeometry g, int oy, int ox, int ky, int kx, out int iy, out int ix)
    {
        iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
        ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
        return iy >= 0 && iy < g.InputHeight && ix >= 0 && ix < g.InputWidth;
    }

    public static float[] Random(Random random, int n, float scale = 1)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = scale * (float)(random.NextDouble() * 2 - 1);
        return a;
    }

    /// <summary>
    /// |expected − actual| ≤ tolerance·(1 + Σ|terms|)-ish: the caller passes a magnitude per element (the sum of the
    /// absolute products), so sums that cancel are not held to a relative bound they cannot meet in float.
    /// </summary>
    public static void Near(double[] expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e)) { if (!double.IsNaN(a)) Assert.Fail($"{what}[{i}]: expected NaN, got {a}"); continue; }
            if (double.IsInfinity(e)) { if (e != a) Assert.Fail($"{what}[{i}]: expected {e}, got {a}"); continue; }
            if (!(Math.Abs(e - a) <= tolerance * (1 + Math.Abs(e)))) Assert.Fail($"{what}[{i}]: expected {e}, got {a}");
        }
    }
}
