using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// Bias add, scale and axpy at every width. AddBias and Scale are one rounding per element, so they must equal the
/// float computation exactly; Axpy may fuse the multiply-add, so it is held to 1 ulp of the double result.
/// </summary>
[Trait("Category", "Kernels")]
public class ElementwiseTests
{
    public static IEnumerable<object[]> Widths() => KernelTestData.WidthCases();

    [Theory, MemberData(nameof(Widths))]
    public void AddBiasAddsToEveryRow(SimdWidth width)
    {
        for (int cols = 0; cols <= KernelTestData.MaxLength; cols++)
        {
            int rows = 1 + cols % 3;
            float[] x = KernelTestData.Uniform(rows * cols, cols, -5, 5);
            float[] bias = KernelTestData.Uniform(cols + 2, cols + 1, -5, 5);
            float[] expected = new float[x.Length];
            for (int i = 0; i < x.Length; i++) expected[i] = x[i] + bias[i % Math.Max(cols, 1)];
            Elementwise.AddBias(x, rows, cols, bias, width);
            Assert.Equal(expected, x);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void ScaleAndAxpyMatchReference(SimdWidth width)
    {
        float[] x = KernelTestData.Uniform(KernelTestData.MaxLength, 1, -10, 10);
        float[] y0 = KernelTestData.Uniform(KernelTestData.MaxLength + 1, 2, -10, 10);
        const float a = -0.37f;
        for (int n = 0; n <= KernelTestData.MaxLength; n++)
        {
            var y = new float[n + 1];
            y[n] = 7f;
            Elementwise.Scale(x.AsSpan(0, n), a, y, width);
            for (int i = 0; i < n; i++) Assert.Equal(a * x[i], y[i]);
            Assert.Equal(7f, y[n]);

            float[] z = (float[])y0.Clone();
            Elementwise.Axpy(a, x.AsSpan(0, n), z, width);
            for (int i = 0; i < n; i++)
            {
                double e = (double)a * x[i] + y0[i];
                KernelTestData.Check(z[i], e, 1.2e-7, 1e-6 * Math.Abs(y0[i]) + 1e-30, () => $"axpy {width} n={n} i={i}");
            }
            Assert.Equal(y0[n], z[n]);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void ScaleInPlace(SimdWidth width)
    {
        for (int n = 0; n < 40; n++)
        {
            float[] x = KernelTestData.Uniform(n, n, -3, 3);
            float[] expected = x.Select(v => 2.5f * v).ToArray();
            Elementwise.Scale(x, 2.5f, x, width);
            Assert.Equal(expected, x);
        }
    }

    [Fact]
    public void SpecialValuesPropagate()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1, 2, 3, 4, 5, 6];
        foreach (SimdWidth w in KernelTestData.Widths)
        {
            var y = new float[x.Length];
            Elementwise.Scale(x, 2, y, w);
            Assert.True(float.IsNaN(y[0]));
            Assert.Equal(float.PositiveInfinity, y[1]);
            Assert.Equal(float.NegativeInfinity, y[2]);
        }
    }

    [Fact]
    public void CallsAllocateNothing()
    {
        var x = new float[64 * 10];
        var y = new float[64 * 10];
        var bias = new float[64];
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            Elementwise.AddBias(x, 10, 64, bias);
            Elementwise.Scale(x, 0.5f, y);
            Elementwise.Axpy(0.5f, x, y);
        }));
    }

    [Fact]
    public void BadSpansNameExpectedAndActual()
    {
        var e = Assert.Throws<ArgumentException>(() => Elementwise.AddBias(new float[11], 3, 4, new float[4]));
        Assert.Contains("11", e.Message);
        Assert.Contains("12", e.Message);
        e = Assert.Throws<ArgumentException>(() => Elementwise.AddBias(new float[12], 3, 4, new float[3]));
        Assert.Equal("bias", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Elementwise.Scale(new float[5], 1, new float[4]));
        Assert.Contains("expected at least 5", e.Message);
        e = Assert.Throws<ArgumentException>(() => Elementwise.Axpy(1, new float[5], new float[4]));
        Assert.Equal("y", e.ParamName);
    }
}
