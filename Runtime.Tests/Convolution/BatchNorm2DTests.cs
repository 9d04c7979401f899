using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Convolution;

using BN = Simd.Runtime.Intrinsics.BatchNorm;

/// <summary>
/// The NCHW kernels against <see cref="BN"/>'s scalar reference on the same values laid out as [N·H·W × C]: the
/// same statistics, outputs and gradients, at every width.
/// </summary>
[Trait("Category", "Kernels")]
public class BatchNorm2DTests
{
    private static readonly SimdWidth[] Widths = [SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];
    private const float Epsilon = 1e-5f;

    private static float[] ToRows(float[] x, int batch, int channels, int plane)
    {
        var rows = new float[x.Length];
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
                for (int p = 0; p < plane; p++) rows[(b * plane + p) * channels + c] = x[(b * channels + c) * plane + p];
        return rows;
    }

    private static void Near(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e)) { if (!double.IsNaN(a)) Assert.Fail($"{what}[{i}]: expected NaN, got {a}"); continue; }
            if (!(Math.Abs(e - a) <= tolerance * (1 + Math.Abs(e)))) Assert.Fail($"{what}[{i}]: expected {e}, got {a}");
        }
    }

    private static float[] Channels(Random random, int batch, int channels, int plane)
    {
        var x = new float[batch * channels * plane];
        for (int c = 0; c < channels; c++)
        {
            float offset = (float)(random.NextDouble() * 16 - 8), spread = (float)(0.1 + random.NextDouble() * 1.9);
            for (int b = 0; b < batch; b++)
                for (int p = 0; p < plane; p++) x[(b * channels + c) * plane + p] = offset + spread * (float)(random.NextDouble() * 2 - 1);
        }
        return x;
    }

    [Theory]
    [InlineData(1, 3, 1)]
    [InlineData(1, 6, 784)]
    [InlineData(2, 5, 7)]
    [InlineData(3, 4, 49)]
    [InlineData(32, 2, 25)]
    [InlineData(4, 16, 33)]
    public void MatchesRowMajorBatchNormAtEveryWidth(int batch, int channels, int plane)
    {
        var random = new Random(batch * 1000 + channels * 10 + plane);
        float[] x = Channels(random, batch, channels, plane), dy = ConvolutionReference.Random(random, x.Length);
        float[] gamma = ConvolutionReference.Random(random, channels), beta = ConvolutionReference.Random(random, channels);
        int rows = batch * plane;
        float[] xr = ToRows(x, batch, channels, plane), dyr = ToRows(dy, batch, channels, plane);
        var (yr, mean0, inv0) = (new float[x.Length], new float[channels], new float[channels]);
        BN.ForwardTraining(SimdWidth.Scalar, xr, rows, channels, gamma, beta, Epsilon, yr, mean0, inv0);
        var (dxr, dg0, db0) = (new float[x.Length], new float[channels], new float[channels]);
        BN.Backward(SimdWidth.Scalar, xr, dyr, rows, channels, gamma, mean0, inv0, dxr, dg0, db0);
        var scale = new float[channels];
        var shift = new float[channels];
        BN.FoldInference(gamma, beta, mean0, ConvolutionReference.Random(random, channels).Select(v => v + 1.5f).ToArray(), Epsilon, scale, shift);
        var yInfer = new float[x.Length];
        BN.ForwardInference(SimdWidth.Scalar, xr, rows, channels, scale, shift, yInfer);
        foreach (var width in Widths)
        {
            string at = $"{width} {batch}x{channels}x{plane}";
            var (y, mean, inv) = (new float[x.Length], new float[channels], new float[channels]);
            BatchNorm2D.ForwardTraining(width, x, batch, channels, plane, gamma, beta, Epsilon, y, mean, inv);
            Near(mean0, mean, 2e-6, "mean " + at);
            Near(inv0, inv, 2e-4, "invStd " + at);
            Near(yr, ToRows(y, batch, channels, plane), 2e-4, "y " + at);
            var (dx, dg, db) = (new float[x.Length], new float[channels], new float[channels]);
            BatchNorm2D.Backward(width, x, dy, batch, channels, plane, gamma, mean, inv, dx, dg, db);
            Near(db0, db, 2e-4, "dBeta " + at);
            Near(dg0, dg, 2e-4, "dGamma " + at);
            Near(dxr, ToRows(dx, batch, channels, plane), 2e-3, "dx " + at);
            var yi = new float[x.Length];
            BatchNorm2D.ForwardInference(width, x, batch, channels, plane, scale, shift, yi);
            Near(yInfer, ToRows(yi, batch, channels, plane), 1e-6, "inference " + at);
            // In place: y over x, dx over dy.
            var xCopy = (float[])x.Clone();
            BatchNorm2D.ForwardTraining(width, xCopy, batch, channels, plane, gamma, beta, Epsilon, xCopy, mean, inv);
            Assert.Equal(y, xCopy);
            var dyCopy = (float[])dy.Clone();
            BatchNorm2D.Backward(width, x, dyCopy, batch, channels, plane, gamma, mean, inv, dyCopy, dg, db);
            Assert.Equal(dx, dyCopy);
        }
    }

    [Fact]
    public void NaNStaysInItsChannelAndAConstantChannelHasZeroVariance()
    {
        const int batch = 2, channels = 3, plane = 20;
        var x = new float[batch * channels * plane];
        for (int i = 0; i < x.Length; i++) x[i] = 1000 + i % 7;
        for (int b = 0; b < batch; b++) x.AsSpan((b * channels + 2) * plane, plane).Fill(3.25f);
        x[plane + 5] = float.NaN; // channel 1 of sample 0
        float[] gamma = [1, 1, 1], beta = [0, 0, 0];
        foreach (var width in Widths)
        {
            var (y, mean, inv) = (new float[x.Length], new float[channels], new float[channels]);
            BatchNorm2D.ForwardTraining(width, x, batch, channels, plane, gamma, beta, Epsilon, y, mean, inv);
            Assert.True(float.IsNaN(mean[1]) && float.IsNaN(inv[1]));
            Assert.False(float.IsNaN(mean[0]) || float.IsNaN(inv[0]));
            Assert.Equal(3.25f, mean[2]);
            Assert.Equal(1 / MathF.Sqrt(Epsilon), inv[2], 1e-3f);
            Assert.All(y.AsSpan(2 * plane, plane).ToArray(), v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void RunningStatisticsUseTheRowMajorUpdateWithNHWRows()
    {
        // The NCHW pass saves mean and invStd exactly as BatchNorm does; the update takes rows = N·H·W.
        const int batch = 2, channels = 2, plane = 3;
        float[] x = [1, 2, 3, 10, 10, 10, 4, 5, 6, 10, 10, 10];
        var (y, mean, inv) = (new float[x.Length], new float[channels], new float[channels]);
        BatchNorm2D.ForwardTraining(x, batch, channels, plane, [1, 1], [0, 0], Epsilon, y, mean, inv);
        float[] runningMean = [0, 0], runningVariance = [1, 1];
        BN.UpdateRunningStatistics(runningMean, runningVariance, mean, inv, Epsilon, 0.1f, batch * plane);
        Assert.Equal(0.1f * 3.5f, runningMean[0], 1e-6f);
        Assert.Equal(0.9f + 0.1f * 3.5f, runningVariance[0], 1e-4f); // unbiased variance of 1…6 is 3.5
        Assert.Equal(0.9f, runningVariance[1], 1e-4f);
    }

    [Fact]
    public void WrongShapesAreNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => BatchNorm2D.ForwardTraining(new float[5], 1, 2, 3, new float[2], new float[2], Epsilon, new float[6], new float[2], new float[2]));
        Assert.Equal("BatchNorm2D: input has 5 elements; expected N·C·H·W = 6.", e.Message);
        e = Assert.Throws<ArgumentException>(() => BatchNorm2D.Backward(new float[6], new float[6], 0, 2, 3, new float[2], new float[2], new float[2], new float[6], new float[2], new float[2]));
        Assert.Contains("must hold at least 1 sample(s); got 0", e.Message);
    }
}
