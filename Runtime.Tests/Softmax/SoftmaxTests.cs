using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// Softmax and log-softmax at every width against a double reference. Tolerances: probabilities within
/// 4e-6 relative + 1e-9 absolute (exp to ~2 ulp, a float row sum of up to 300 terms and one division; measured
/// ≤ 1e-6); log-softmax within 2e-6·(1 + |max − x|) absolute, since it is a difference of the input and a log.
/// </summary>
[Trait("Category", "Kernels")]
public class SoftmaxTests
{
    public static IEnumerable<object[]> Widths() => KernelTestData.WidthCases();

    [Theory, MemberData(nameof(Widths))]
    public void ForwardMatchesReferenceAtEveryLength(SimdWidth width)
    {
        for (int cols = 0; cols <= KernelTestData.MaxLength; cols++)
        {
            int rows = 1 + cols % 2;
            float[] x = KernelTestData.Uniform(rows * cols, cols, -20, 20);
            var y = new float[rows * cols + 1];
            var ly = new float[rows * cols + 1];
            y[^1] = ly[^1] = 5f;
            Softmax.Forward(x, y, rows, cols, width);
            Softmax.LogForward(x, ly, rows, cols, width);
            for (int r = 0; r < rows; r++)
            {
                double[] e = ReferenceLogSoftmax(x.AsSpan(r * cols, cols));
                double sum = 0;
                for (int c = 0; c < cols; c++)
                {
                    int i = r * cols + c;
                    KernelTestData.Check(y[i], Math.Exp(e[c]), 4e-6, 1e-9, () => $"softmax {width} cols={cols} [{r},{c}]");
                    KernelTestData.Check(ly[i], e[c], 0, 2e-6 * (1 + Math.Abs(e[c])), () => $"log-softmax {width} cols={cols} [{r},{c}]");
                    sum += y[i];
                }
                if (cols > 0) Assert.Equal(1.0, sum, 5);
            }
            Assert.Equal(5f, y[^1]);
            Assert.Equal(5f, ly[^1]);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void BackwardMatchesReference(SimdWidth width)
    {
        for (int cols = 0; cols <= KernelTestData.MaxLength; cols += 1 + cols / 16)
        {
            const int rows = 2;
            float[] x = KernelTestData.Uniform(rows * cols, cols, -6, 6);
            float[] dy = KernelTestData.Uniform(rows * cols, cols + 7, -1, 1);
            var y = new float[rows * cols];
            var ly = new float[rows * cols];
            var dx = new float[rows * cols];
            var ldx = new float[rows * cols];
            Softmax.Forward(x, y, rows, cols, width);
            Softmax.LogForward(x, ly, rows, cols, width);
            Softmax.Backward(y, dy, dx, rows, cols, width);
            Softmax.LogBackward(ly, dy, ldx, rows, cols, width);
            for (int r = 0; r < rows; r++)
            {
                double dot = 0, sum = 0;
                for (int c = 0; c < cols; c++) { dot += (double)dy[r * cols + c] * y[r * cols + c]; sum += dy[r * cols + c]; }
                for (int c = 0; c < cols; c++)
                {
                    int i = r * cols + c;
                    // Both are sums of up to 300 products followed by one subtraction: the absolute error scales with the row.
                    KernelTestData.Check(dx[i], y[i] * (dy[i] - dot), 1e-5, 1e-6 * y[i], () => $"softmax backward {width} cols={cols} [{r},{c}]");
                    KernelTestData.Check(ldx[i], dy[i] - Math.Exp(ly[i]) * sum, 1e-5, 2e-6 * (1 + Math.Abs(sum)), () => $"log-softmax backward {width} cols={cols} [{r},{c}]");
                }
            }
        }
    }

    /// <summary>Backward agrees with central differences of the double reference of L = Σ dy·softmax(x).</summary>
    [Fact]
    public void BackwardMatchesFiniteDifferences()
    {
        float[] x = [0.3f, -1.2f, 2.5f, 0.9f, -0.4f, 1.1f];
        float[] dy = [0.5f, -1f, 0.25f, 2f, -0.75f, 1f];
        const double h = 1e-6;
        foreach (SimdWidth width in KernelTestData.Widths)
        foreach (bool log in new[] { false, true })
        {
            var y = new float[6];
            var dx = new float[6];
            if (log) { Softmax.LogForward(x, y, 1, 6, width); Softmax.LogBackward(y, dy, dx, 1, 6, width); }
            else { Softmax.Forward(x, y, 1, 6, width); Softmax.Backward(y, dy, dx, 1, 6, width); }
            for (int j = 0; j < 6; j++)
            {
                double Loss(double shift)
                {
                    double[] xs = x.Select((v, k) => k == j ? v + shift : (double)v).ToArray();
                    double m = xs.Max(), s = xs.Sum(v => Math.Exp(v - m));
                    return xs.Select((v, k) => dy[k] * (log ? v - m - Math.Log(s) : Math.Exp(v - m) / s)).Sum();
                }
                double fd = (Loss(h) - Loss(-h)) / (2 * h);
                Assert.True(Math.Abs(dx[j] - fd) < 1e-5 + 1e-5 * Math.Abs(fd), $"{(log ? "log-" : "")}softmax {width} j={j}: {dx[j]} vs {fd}");
            }
        }
    }

    [Fact]
    public void HugeLogitsNeverGiveNaN()
    {
        float[] x = [1e30f, -1e30f, 88.8f, -88.8f, 1e4f, -1e4f, 3e38f, -3e38f, 0f, 1f, 100f, -100f];
        foreach (SimdWidth w in KernelTestData.Widths)
        {
            var y = new float[x.Length];
            var ly = new float[x.Length];
            Softmax.Forward(x, y, 1, x.Length, w);
            Softmax.LogForward(x, ly, 1, x.Length, w);
            Assert.All(y, v => Assert.False(float.IsNaN(v)));
            Assert.All(ly, v => Assert.False(float.IsNaN(v)));
            Assert.Equal(1f, y[6]);
            Assert.Equal(1f, y.Sum(), 6);
            Assert.Equal(0f, ly[6]);
            // Rows of equal huge values are uniform.
            float[] same = Enumerable.Repeat(3e38f, 9).ToArray();
            Softmax.Forward(same, same, 1, 9, w);
            Assert.All(same, v => Assert.Equal(1f / 9, v, 6));
        }
    }

    [Fact]
    public void NaNOrPlusInfinityInARowGivesNaNThere()
    {
        foreach (SimdWidth w in KernelTestData.Widths)
        {
            float[] x = [1, 2, float.NaN, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9];
            var y = new float[x.Length];
            Softmax.Forward(x, y, 2, 9, w);
            Assert.All(y[..9], v => Assert.True(float.IsNaN(v)));
            Assert.All(y[9..], v => Assert.False(float.IsNaN(v)));
            x[2] = float.PositiveInfinity;
            Softmax.LogForward(x, y, 2, 9, w);
            Assert.True(float.IsNaN(y[2]));
            Assert.All(y[9..], v => Assert.False(float.IsNaN(v)));
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void InPlaceEqualsOutOfPlace(SimdWidth width)
    {
        foreach (int cols in new[] { 1, 3, 4, 7, 8, 15, 16, 17, 33, 100 })
        {
            float[] x = KernelTestData.Uniform(3 * cols, cols, -5, 5);
            float[] dy = KernelTestData.Uniform(3 * cols, cols + 1, -1, 1);
            var y = new float[x.Length];
            Softmax.Forward(x, y, 3, cols, width);
            float[] b = (float[])x.Clone();
            Softmax.Forward(b, b, 3, cols, width);
            Assert.Equal(y, b);
            Softmax.LogForward(x, y, 3, cols, width);
            b = (float[])x.Clone();
            Softmax.LogForward(b, b, 3, cols, width);
            Assert.Equal(y, b);
            var dx = new float[x.Length];
            Softmax.LogBackward(y, dy, dx, 3, cols, width);
            float[] g = (float[])dy.Clone();
            Softmax.LogBackward(y, g, g, 3, cols, width);
            Assert.Equal(dx, g);
            float[] yy = (float[])y.Clone();
            Softmax.LogBackward(yy, dy, yy, 3, cols, width);
            Assert.Equal(dx, yy);
            Softmax.Backward(y, dy, dx, 3, cols, width);
            g = (float[])dy.Clone();
            Softmax.Backward(y, g, g, 3, cols, width);
            Assert.Equal(dx, g);
        }
    }

    [Fact]
    public void CallsAllocateNothing()
    {
        float[] x = KernelTestData.Uniform(640, 1, -1, 1);
        var y = new float[640];
        var dx = new float[640];
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            Softmax.Forward(x, y, 10, 64);
            Softmax.Backward(y, x, dx, 10, 64);
            Softmax.LogForward(x, y, 10, 64);
            Softmax.LogBackward(y, x, dx, 10, 64);
        }));
    }

    [Fact]
    public void BadShapesNameExpectedAndActual()
    {
        var e = Assert.Throws<ArgumentException>(() => Softmax.Forward(new float[10], new float[12], 3, 4));
        Assert.Contains("10", e.Message);
        Assert.Contains("12", e.Message);
        Assert.Equal("x", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Softmax.LogForward(new float[12], new float[11], 3, 4));
        Assert.Equal("y", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Softmax.Backward(new float[12], new float[13], new float[12], 3, 4));
        Assert.Equal("dy", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Softmax.LogBackward(new float[12], new float[12], new float[2], 3, 4));
        Assert.Equal("dx", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Softmax.Forward([], [], -1, 0));
    }

    private static double[] ReferenceLogSoftmax(ReadOnlySpan<float> x)
    {
        double max = double.NegativeInfinity;
        foreach (float v in x) max = Math.Max(max, v);
        double s = 0;
        foreach (float v in x) s += Math.Exp(v - max);
        var r = new double[x.Length];
        for (int i = 0; i < x.Length; i++) r[i] = x[i] - max - Math.Log(s);
        return r;
    }
}
