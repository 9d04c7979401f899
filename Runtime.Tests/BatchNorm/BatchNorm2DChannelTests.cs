using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.BatchNorm;

/// <summary>
/// BatchNorm2D's channel-by-channel passes: at every width and on planes around each vector width, a channel's
/// results are those of that channel normalised alone (bit for bit: nothing of another channel enters), the vector
/// widths agree with the scalar loops, in place equals out of place, ±∞ and NaN stay in their channel, and a call
/// allocates nothing.
/// </summary>
[Trait("Category", "Kernels")]
public class BatchNorm2DChannelTests
{
    private static readonly SimdWidth[] Widths = [SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];
    private const float Epsilon = 1e-5f;

    private static float[] Random(Random random, int n, float offset)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = offset + (float)(random.NextDouble() * 2 - 1);
        return a;
    }

    /// <summary>Channel c of every sample, as its own [batch, 1, plane] tensor.</summary>
    private static float[] Channel(float[] x, int batch, int channels, int plane, int c)
    {
        var one = new float[batch * plane];
        for (int b = 0; b < batch; b++) x.AsSpan((b * channels + c) * plane, plane).CopyTo(one.AsSpan(b * plane));
        return one;
    }

    private static void Bitwise(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]) && !(float.IsNaN(expected[i]) && float.IsNaN(actual[i])))
                Assert.Fail($"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(196)]
    public void EachChannelIsItsOwnAtEveryWidth(int plane)
    {
        const int batch = 3, channels = 4;
        var random = new Random(plane);
        float[] x = Random(random, batch * channels * plane, 5), dy = Random(random, x.Length, 0);
        float[] gamma = Random(random, channels, 1), beta = Random(random, channels, 0);
        x[2 * plane + 1] = float.PositiveInfinity; // channel 2 of sample 0
        x[(channels + 3) * plane] = float.NaN;     // channel 3 of sample 1
        float[]? scalarY = null, scalarDx = null;
        foreach (var width in Widths)
        {
            string at = $"{width} plane {plane}";
            var (y, mean, inv) = (new float[x.Length], new float[channels], new float[channels]);
            BatchNorm2D.ForwardTraining(width, x, batch, channels, plane, gamma, beta, Epsilon, y, mean, inv);
            var (dx, dg, db) = (new float[x.Length], new float[channels], new float[channels]);
            BatchNorm2D.Backward(width, x, dy, batch, channels, plane, gamma, mean, inv, dx, dg, db);
            for (int c = 0; c < channels; c++)
            {
                float[] xc = Channel(x, batch, channels, plane, c), dyc = Channel(dy, batch, channels, plane, c);
                var (yc, mc, ic) = (new float[xc.Length], new float[1], new float[1]);
                BatchNorm2D.ForwardTraining(width, xc, batch, 1, plane, gamma.AsSpan(c, 1), beta.AsSpan(c, 1), Epsilon, yc, mc, ic);
                Bitwise([mean[c], inv[c]], [mc[0], ic[0]], $"statistics of channel {c} {at}");
                Bitwise(yc, Channel(y, batch, channels, plane, c), $"y of channel {c} {at}");
                var (dxc, dgc, dbc) = (new float[xc.Length], new float[1], new float[1]);
                BatchNorm2D.Backward(width, xc, dyc, batch, 1, plane, gamma.AsSpan(c, 1), mc, ic, dxc, dgc, dbc);
                Bitwise([dg[c], db[c]], [dgc[0], dbc[0]], $"dGamma, dBeta of channel {c} {at}");
                Bitwise(dxc, Channel(dx, batch, channels, plane, c), $"dx of channel {c} {at}");
            }
            Assert.False(float.IsNaN(mean[0]) || float.IsNaN(mean[1]) || float.IsNaN(inv[0]) || float.IsNaN(inv[1]));
            Assert.True(float.IsNaN(mean[3]));
            // In place: y over x, dx over dy.
            var xCopy = (float[])x.Clone();
            BatchNorm2D.ForwardTraining(width, xCopy, batch, channels, plane, gamma, beta, Epsilon, xCopy, mean, inv);
            Bitwise(y, xCopy, $"y in place {at}");
            var dyCopy = (float[])dy.Clone();
            BatchNorm2D.Backward(width, x, dyCopy, batch, channels, plane, gamma, mean, inv, dyCopy, dg, db);
            Bitwise(dx, dyCopy, $"dx in place {at}");
            // The finite channels against the scalar loops: the vector sums add in another order.
            scalarY ??= y;
            scalarDx ??= dx;
            for (int b = 0; b < batch; b++)
                for (int i = 0; i < 2 * plane; i++)
                {
                    int o = b * channels * plane + i;
                    Assert.True(Math.Abs(scalarY[o] - y[o]) <= 1e-4 * (1 + Math.Abs(scalarY[o])), $"y[{o}] {at}: {scalarY[o]} vs {y[o]}");
                    Assert.True(Math.Abs(scalarDx[o] - dx[o]) <= 1e-3 * (1 + Math.Abs(scalarDx[o])), $"dx[{o}] {at}: {scalarDx[o]} vs {dx[o]}");
                }
        }
    }

    [Fact]
    public void AllocatesNothing()
    {
        const int batch = 4, channels = 16, plane = 196;
        var x = new float[batch * channels * plane];
        var y = new float[x.Length];
        var dx = new float[x.Length];
        float[] gamma = new float[channels], beta = new float[channels], mean = new float[channels], inv = new float[channels];
        float[] dg = new float[channels], db = new float[channels];
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            BatchNorm2D.ForwardTraining(x, batch, channels, plane, gamma, beta, Epsilon, y, mean, inv);
            BatchNorm2D.Backward(x, y, batch, channels, plane, gamma, mean, inv, dx, dg, db);
            BatchNorm2D.ForwardInference(x, batch, channels, plane, gamma, beta, y);
        }));
    }
}
