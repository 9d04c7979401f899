using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// CELU and PReLU at every width against double references on every length 0..300 (the inputs include ±1e30,
/// values past exp's overflow and ±0), and against the scalar width; NaN and infinities; PReLU with one slope,
/// a slope per channel and a slope per element, its slope gradient summed over the values that share each slope.
/// </summary>
[Trait("Category", "Kernels")]
public class CeluPReluTests
{
    public static IEnumerable<object[]> Widths() => KernelTestData.WidthCases();

    private static double CeluReference(double x, double alpha) => x > 0 ? x : alpha * (Math.Exp(x / alpha) - 1);

    [Theory, MemberData(nameof(Widths))]
    public void CeluForwardAndBackwardAtEveryLength(SimdWidth width)
    {
        foreach (float alpha in new[] { 1f, 0.5f, 2.5f })
        {
            int max = KernelTestData.MaxLength;
            float[] x = KernelTestData.Inputs(max, seed: 7), dy = KernelTestData.Uniform(max, 8, -2, 2);
            var y = new float[max + 1];
            var dx = new float[max + 1];
            var scalar = new float[max];
            for (int n = 0; n <= max; n += n < 40 ? 1 : 13)
            {
                y[n] = dx[n] = 12345f;
                Celu.Forward(x.AsSpan(0, n), y, alpha, width);
                Celu.Forward(x.AsSpan(0, n), scalar, alpha, SimdWidth.Scalar);
                Celu.Backward(y.AsSpan(0, n), dy.AsSpan(0, n), dx, alpha, width);
                for (int i = 0; i < n; i++)
                {
                    double slope = x[i] > 0 ? 1 : Math.Exp(x[i] / (double)alpha);
                    KernelTestData.Check(y[i], CeluReference(x[i], alpha), 2e-6, 2e-7 * (1 + Math.Abs(x[i])), () => $"celu({alpha}) {width} n={n} x={x[i]:R}");
                    KernelTestData.Check(y[i], scalar[i], 2e-6, 2e-7 * (1 + Math.Abs(x[i])), () => $"celu({alpha}) {width} against the scalar width, x={x[i]:R}");
                    KernelTestData.Check(dx[i], slope * dy[i], 2e-6, 2e-7 * Math.Abs(dy[i]) * alpha, () => $"celu({alpha}) backward {width} n={n} x={x[i]:R}");
                }
                Assert.Equal(12345f, y[n]);
                Assert.Equal(12345f, dx[n]);
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void CeluSpecialValues(SimdWidth width)
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-30f, .. new float[16]];
        var y = new float[x.Length];
        Celu.Forward(x, y, 2, width);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal([float.PositiveInfinity, -2f, 0f, 0f, 1e-30f], y[1..6]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Celu.Forward(x, y, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Celu.Forward(x, y, float.NaN));
    }

    public static TheoryData<int[], bool[]> SlopeLayouts() => new()
    {
        { [5, 300], [true, true] },                 // one slope
        { [3, 4, 37], [true, false, true] },         // one per channel
        { [2, 3, 1, 19], [true, false, true, false] }, // per channel and column
        { [4, 129], [true, false] },                 // one per element
        { [0, 7], [true, false] },
    };

    [Theory, MemberData(nameof(SlopeLayouts))]
    public void PReluAtEveryWidthWithItsSlopeGradient(int[] dims, bool[] broadcast)
    {
        int n = dims.Aggregate(1, (a, d) => a * d), m = AxisReductionReference.OutputLength(dims, broadcast);
        int[] target = AxisReductionReference.OutputIndex(dims, broadcast);
        float[] x = KernelTestData.Inputs(n, 3), dy = KernelTestData.Uniform(n, 4, -2, 2), slope = KernelTestData.Uniform(m, 5, -1, 1);
        if (n > 2) { x[1] = float.NaN; x[2] = float.NegativeInfinity; }
        var expectedGradient = new double[m];
        for (int i = 0; i < n; i++)
            if (!(x[i] > 0)) expectedGradient[target[i]] += (double)x[i] * dy[i];
        foreach (SimdWidth width in KernelTestData.Widths)
        {
            var y = new float[n + 1];
            var dx = new float[n + 1];
            var gradient = new float[m + 1];
            y[n] = dx[n] = gradient[m] = 12345f;
            PRelu.Forward(x, slope, dims, broadcast, y, width);
            PRelu.Backward(x, slope, dy, dx, gradient, dims, broadcast, new float[n], width);
            for (int i = 0; i < n; i++)
            {
                float s = slope[target[i]];
                Assert.Equal(x[i] > 0 ? x[i] : s * x[i], y[i]);
                Assert.Equal(x[i] > 0 ? dy[i] : s * dy[i], dx[i]);
            }
            double scale = n == 0 ? 0 : x.Zip(dy, (a, b) => float.IsFinite(a) ? Math.Abs((double)a * b) : 0).Max();
            for (int j = 0; j < m; j++)
                KernelTestData.Check(gradient[j], expectedGradient[j], 1e-5, 1e-6 * n * scale, () => $"slope gradient {j} {width}");
            Assert.Equal(12345f, y[n]);
            Assert.Equal(12345f, dx[n]);
            Assert.Equal(12345f, gradient[m]);
        }
    }
}
