using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// Every activation, forward and backward, at every width against the double-precision reference.
/// Tolerance: |error| ≤ 2e-6·|expected| + 2e-7·(1 + |x|) (backward: times |dy|). The relative part is ~17 float ulps,
/// room for exp, a division and a few roundings of the formulas (measured: ≤ 2.5e-7 away from zeros). The absolute
/// part covers outputs that pass through 0 by cancellation (HardSigmoid near −3, GELU/SiLU/Mish derivatives at
/// their minima, SELU/ELU derivatives read from y ≈ −scale·alpha) and GELU-erf, whose erf fit (the one PyTorch's
/// vectorised GELU uses) is good to 1.5e-7 absolute, i.e. ≤ 1.5e-7·|x| on GELU: measured 1.7e-7.
/// </summary>
[Trait("Category", "Kernels")]
public class ActivationTests
{
    private const double Rtol = 2e-6;
    private const double Atol = 2e-7;

    public static IEnumerable<object[]> Widths() => KernelTestData.WidthCases();

    private static readonly ActivationKind[] Kinds = Enum.GetValues<ActivationKind>();

    [Theory, MemberData(nameof(Widths))]
    public void ForwardMatchesReferenceAtEveryLength(SimdWidth width)
    {
        int max = KernelTestData.MaxLength;
        foreach (ActivationKind kind in Kinds)
        {
            float alpha = Activations.DefaultAlpha(kind);
            float[] x = KernelTestData.Inputs(max, seed: (int)kind);
            double[] expected = x.Select(v => ActivationReference.Forward(kind, v, alpha)).ToArray();
            var y = new float[max + 1];
            for (int n = 0; n <= max; n++)
            {
                y[n] = 12345f;
                Activations.Forward(kind, x.AsSpan(0, n), y, alpha, width);
                for (int i = 0; i < n; i++)
                    KernelTestData.Check(y[i], expected[i], Rtol, Atol * (1 + Math.Abs(x[i])), () => $"{kind} forward {width} n={n} x[{i}]={x[i]:R}");
                Assert.Equal(12345f, y[n]);
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void BackwardMatchesReferenceAtEveryLength(SimdWidth width)
    {
        int max = KernelTestData.MaxLength;
        foreach (ActivationKind kind in Kinds)
        {
            float alpha = Activations.DefaultAlpha(kind);
            float[] x = KernelTestData.Inputs(max, seed: 100 + (int)kind);
            float[] dy = KernelTestData.Uniform(max, 200 + (int)kind, -2, 2);
            var y = new float[max];
            Activations.Forward(kind, x, y, alpha, width);
            double[] expected = Expected(kind, x, y, dy, alpha);
            var dx = new float[max + 1];
            for (int n = 0; n <= max; n++)
            {
                dx[n] = 12345f;
                Activations.Backward(kind, x.AsSpan(0, n), y.AsSpan(0, n), dy.AsSpan(0, n), dx, alpha, width);
                for (int i = 0; i < n; i++)
                    KernelTestData.Check(dx[i], expected[i], Rtol, Atol * Math.Abs(dy[i]) * (1 + Math.Abs(x[i])),
                        () => $"{kind} backward {width} n={n} x[{i}]={x[i]:R} y={y[i]:R} dy={dy[i]:R}");
                Assert.Equal(12345f, dx[n]);
            }
        }
    }

    private static double[] Expected(ActivationKind kind, float[] x, float[] y, float[] dy, float alpha) =>
        Enumerable.Range(0, x.Length).Select(i => dy[i] * (Activations.ReadsOutput(kind)
            ? ActivationReference.DerivativeFromOutput(kind, y[i], alpha)
            : ActivationReference.Derivative(kind, x[i], alpha))).ToArray();

    [Theory]
    [InlineData(ActivationKind.LeakyRelu, 0.2f)]
    [InlineData(ActivationKind.LeakyRelu, 0f)]
    [InlineData(ActivationKind.Elu, 0.5f)]
    [InlineData(ActivationKind.Elu, 2f)]
    public void ParameterIsUsedAtEveryWidth(ActivationKind kind, float alpha)
    {
        float[] x = KernelTestData.Inputs(77, seed: 9);
        float[] dy = KernelTestData.Uniform(77, 10, -1, 1);
        foreach (SimdWidth width in KernelTestData.Widths)
        {
            var y = new float[x.Length];
            var dx = new float[x.Length];
            Activations.Forward(kind, x, y, alpha, width);
            Activations.Backward(kind, x, y, dy, dx, alpha, width);
            double[] expected = Expected(kind, x, y, dy, alpha);
            for (int i = 0; i < x.Length; i++)
            {
                KernelTestData.Check(y[i], ActivationReference.Forward(kind, x[i], alpha), Rtol, Atol * (1 + Math.Abs(x[i])), () => $"{kind}({alpha}) {width} forward x={x[i]}");
                KernelTestData.Check(dx[i], expected[i], Rtol, Atol * Math.Abs(dy[i]), () => $"{kind}({alpha}) {width} backward x={x[i]}");
            }
        }
    }

    [Fact]
    public void PublicOverloadsUseDefaultAlpha()
    {
        float[] x = KernelTestData.Inputs(50, seed: 3);
        float[] dy = KernelTestData.Uniform(50, 4, -1, 1);
        foreach (ActivationKind kind in Kinds)
        {
            var y1 = new float[50]; var y2 = new float[50]; var d1 = new float[50]; var d2 = new float[50];
            Activations.Forward(kind, x, y1);
            Activations.Forward(kind, x, y2, Activations.DefaultAlpha(kind), Isa.Width);
            Activations.Backward(kind, x, y1, dy, d1);
            Activations.Backward(kind, x, y1, dy, d2, Activations.DefaultAlpha(kind), Isa.Width);
            Assert.Equal(y2, y1);
            Assert.Equal(d2, d1);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void InPlaceEqualsOutOfPlace(SimdWidth width)
    {
        foreach (ActivationKind kind in Kinds)
        {
            float alpha = Activations.DefaultAlpha(kind);
            for (int n = 0; n <= 70; n += 1 + n / 8)
            {
                float[] x = KernelTestData.Inputs(n, seed: n);
                float[] dy = KernelTestData.Uniform(n, n + 1, -1, 1);
                var y = new float[n];
                Activations.Forward(kind, x, y, alpha, width);
                float[] buf = (float[])x.Clone();
                Activations.Forward(kind, buf, buf, alpha, width);
                Assert.Equal(y, buf);

                var dx = new float[n];
                Activations.Backward(kind, x, y, dy, dx, alpha, width);
                float[] g = (float[])dy.Clone();
                Activations.Backward(kind, x, y, g, g, alpha, width);
                Assert.Equal(dx, g);
                // The backward input may also be overwritten by its own gradient.
                float[] v = (float[])(Activations.ReadsOutput(kind) ? y : x).Clone();
                if (Activations.ReadsOutput(kind)) Activations.Backward(kind, x, v, dy, v, alpha, width);
                else Activations.Backward(kind, v, y, dy, v, alpha, width);
                Assert.Equal(dx, v);
            }
        }
    }

    [Fact]
    public void NaNPropagatesThroughForward()
    {
        foreach (SimdWidth width in KernelTestData.Widths)
        foreach (ActivationKind kind in Kinds)
        {
            float[] x = Enumerable.Repeat(float.NaN, 19).ToArray();
            x[3] = 1; x[10] = -2;
            var y = new float[x.Length];
            Activations.Forward(kind, x, y, Activations.DefaultAlpha(kind), width);
            for (int i = 0; i < x.Length; i++)
                if (float.IsNaN(x[i])) Assert.True(float.IsNaN(y[i]), $"{kind} {width}: f(NaN) = {y[i]}");
        }
    }

    public static IEnumerable<object[]> Limits() =>
    [
        [ActivationKind.Identity, float.PositiveInfinity, float.NegativeInfinity],
        [ActivationKind.Relu, float.PositiveInfinity, 0f],
        [ActivationKind.LeakyRelu, float.PositiveInfinity, float.NegativeInfinity],
        [ActivationKind.Elu, float.PositiveInfinity, -1f],
        [ActivationKind.Selu, float.PositiveInfinity, (float)(-1.0507009873554804934193349852946 * 1.6732632423543772848170429916717)],
        [ActivationKind.Sigmoid, 1f, 0f],
        [ActivationKind.Tanh, 1f, -1f],
        [ActivationKind.GeluErf, float.PositiveInfinity, 0f],
        [ActivationKind.GeluTanh, float.PositiveInfinity, 0f],
        [ActivationKind.Silu, float.PositiveInfinity, 0f],
        [ActivationKind.Softplus, float.PositiveInfinity, 0f],
        [ActivationKind.Softsign, 1f, -1f],
        [ActivationKind.HardSigmoid, 1f, 0f],
        [ActivationKind.HardSwish, float.PositiveInfinity, 0f],
        [ActivationKind.Mish, float.PositiveInfinity, 0f],
    ];

    /// <summary>±Inf give the limits of f (IEEE functions such as tanh do the same), and the backward pass no NaN.</summary>
    [Theory, MemberData(nameof(Limits))]
    public void InfinitiesGiveLimitsNotNaN(ActivationKind kind, float atPlusInf, float atMinusInf)
    {
        foreach (SimdWidth width in KernelTestData.Widths)
        {
            float[] x = new float[21];
            for (int i = 0; i < x.Length; i++) x[i] = i % 2 == 0 ? float.PositiveInfinity : float.NegativeInfinity;
            var y = new float[x.Length];
            float alpha = Activations.DefaultAlpha(kind);
            Activations.Forward(kind, x, y, alpha, width);
            for (int i = 0; i < x.Length; i++)
                Assert.Equal(i % 2 == 0 ? atPlusInf : atMinusInf, y[i], 6);
            float[] dy = Enumerable.Repeat(1f, x.Length).ToArray();
            var dx = new float[x.Length];
            Activations.Backward(kind, x, y, dy, dx, alpha, width);
            for (int i = 0; i < x.Length; i++)
            {
                Assert.False(float.IsNaN(dx[i]), $"{kind} {width}: f'({x[i]}) is NaN");
                double expected = ActivationReference.Derivative(kind, x[i], alpha);
                if (!double.IsNaN(expected)) Assert.Equal(expected, dx[i], 6);
            }
        }
    }

    /// <summary>Huge magnitudes never turn an activation or its gradient into NaN (exp overflow is clamped or harmless).</summary>
    [Fact]
    public void HugeMagnitudesNeverGiveNaN()
    {
        float[] x = [1e30f, -1e30f, 88.8f, -88.8f, 89.5f, -89.5f, 1e4f, -1e4f, 104f, -104f, 200f, -200f, float.MaxValue, -float.MaxValue, 3e38f];
        foreach (SimdWidth width in KernelTestData.Widths)
        foreach (ActivationKind kind in Kinds)
        {
            var y = new float[x.Length];
            var dx = new float[x.Length];
            float alpha = Activations.DefaultAlpha(kind);
            Activations.Forward(kind, x, y, alpha, width);
            Activations.Backward(kind, x, y, Enumerable.Repeat(1f, x.Length).ToArray(), dx, alpha, width);
            for (int i = 0; i < x.Length; i++)
            {
                Assert.False(float.IsNaN(y[i]), $"{kind} {width}: f({x[i]}) is NaN");
                Assert.False(float.IsNaN(dx[i]), $"{kind} {width}: f'({x[i]}) is NaN");
            }
        }
    }

    /// <summary>The backward kernels agree with central differences of the double-precision forward, away from kinks.</summary>
    [Fact]
    public void BackwardMatchesFiniteDifferences()
    {
        double[] points = [-4.3, -2.2, -1.1, -0.45, 0.07, 0.6, 1.7, 2.4, 5.1];
        const double h = 1e-5;
        foreach (SimdWidth width in KernelTestData.Widths)
        foreach (ActivationKind kind in Kinds)
        {
            float alpha = Activations.DefaultAlpha(kind);
            float[] x = points.Select(p => (float)p).ToArray();
            var y = new float[x.Length];
            Activations.Forward(kind, x, y, alpha, width);
            var dx = new float[x.Length];
            Activations.Backward(kind, x, y, Enumerable.Repeat(1f, x.Length).ToArray(), dx, alpha, width);
            for (int i = 0; i < x.Length; i++)
            {
                double fd = (ActivationReference.Forward(kind, x[i] + h, alpha) - ActivationReference.Forward(kind, x[i] - h, alpha)) / (2 * h);
                // Central differences are good to ~h² ≈ 1e-10; the float kernel to ~1e-6, more for the y-based ones.
                Assert.True(Math.Abs(dx[i] - fd) <= 2e-5 * Math.Abs(fd) + 2e-6, $"{kind} {width} x={x[i]}: backward {dx[i]} vs finite difference {fd}");
            }
        }
    }

    [Fact]
    public void KinksFollowPyTorch()
    {
        float[] x = [0f, -3f, 3f];
        float[] dy = [1f, 1f, 1f];
        foreach (SimdWidth width in KernelTestData.Widths)
        {
            Assert.Equal(0f, Backward(ActivationKind.Relu, x, dy, width)[0]);
            Assert.Equal(0.01f, Backward(ActivationKind.LeakyRelu, x, dy, width)[0]);
            Assert.Equal(1f, Backward(ActivationKind.Elu, x, dy, width)[0]);
            float[] hs = Backward(ActivationKind.HardSigmoid, x, dy, width);
            Assert.Equal([1f / 6, 0f, 0f], hs);
            float[] hw = Backward(ActivationKind.HardSwish, x, dy, width);
            Assert.Equal([0.5f, -0.5f, 1.5f], hw);
        }
    }

    private static float[] Backward(ActivationKind kind, float[] x, float[] dy, SimdWidth width)
    {
        var y = new float[x.Length];
        var dx = new float[x.Length];
        Activations.Forward(kind, x, y, Activations.DefaultAlpha(kind), width);
        Activations.Backward(kind, x, y, dy, dx, Activations.DefaultAlpha(kind), width);
        return dx;
    }

    [Fact]
    public void CallsAllocateNothing()
    {
        float[] x = KernelTestData.Inputs(1000, 1);
        float[] dy = KernelTestData.Uniform(1000, 2, -1, 1);
        var y = new float[1000];
        var dx = new float[1000];
        foreach (ActivationKind kind in Kinds)
        {
            long bytes = Allocations.OnThisThread(() =>
            {
                Activations.Forward(kind, x, y);
                Activations.Backward(kind, x, y, dy, dx);
                foreach (SimdWidth w in KernelTestData.Widths)
                {
                    Activations.Forward(kind, x.AsSpan(0, 37), y, 0.1f, w);
                    Activations.Backward(kind, x.AsSpan(0, 37), y.AsSpan(0, 37), dy.AsSpan(0, 37), dx, 0.1f, w);
                }
            });
            Assert.Equal(0, bytes);
        }
    }

    [Fact]
    public void BadSpansNameExpectedAndActual()
    {
        var x = new float[10];
        var e = Assert.Throws<ArgumentException>(() => Activations.Forward(ActivationKind.Relu, x, new float[9]));
        Assert.Contains("9", e.Message);
        Assert.Contains("10", e.Message);
        Assert.Equal("y", e.ParamName);

        e = Assert.Throws<ArgumentException>(() => Activations.Backward(ActivationKind.Relu, x, x, new float[10], new float[8]));
        Assert.Contains("8", e.Message);
        Assert.Equal("dx", e.ParamName);

        // Sigmoid reads y, GELU reads x: the span read must be long enough, the other may be empty.
        e = Assert.Throws<ArgumentException>(() => Activations.Backward(ActivationKind.Sigmoid, x, new float[3], new float[10], new float[10]));
        Assert.Equal("y", e.ParamName);
        Activations.Backward(ActivationKind.Sigmoid, default, x, new float[10], new float[10]);
        e = Assert.Throws<ArgumentException>(() => Activations.Backward(ActivationKind.GeluErf, new float[3], x, new float[10], new float[10]));
        Assert.Equal("x", e.ParamName);
        Activations.Backward(ActivationKind.GeluErf, x, default, new float[10], new float[10]);

        var buffer = new float[20];
        e = Assert.Throws<ArgumentException>(() => Activations.Forward(ActivationKind.Tanh, buffer.AsSpan(0, 10), buffer.AsSpan(3, 10)));
        Assert.Contains("overlaps", e.Message);

        e = Assert.Throws<ArgumentException>(() => Activations.Backward(ActivationKind.Elu, x, x, x, new float[10], -1f));
        Assert.Equal("alpha", e.ParamName);
    }
}
