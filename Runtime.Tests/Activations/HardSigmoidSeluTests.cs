using System.Runtime.Intrinsics;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// HardSigmoid and SELU with ONNX's parameters at every width against double references on lengths 0..300 and
/// against the scalar width; NaN and infinities; and PyTorch's constants, which <see cref="ActivationKind.HardSigmoid"/>
/// and <see cref="ActivationKind.Selu"/> run, bit for bit what the fixed kernels computed before the parameters.
/// </summary>
[Trait("Category", "Kernels")]
public class HardSigmoidSeluTests
{
    public static IEnumerable<object[]> Widths() => KernelTestData.WidthCases();

    private static readonly (float Alpha, float Beta)[] HardSigmoidCases = [(0.2f, 0.5f), (0.5f, 0.6f), (1f / 6, 0.5f), (-0.3f, 0.4f), (0f, 0.7f), (0f, 1.5f), (4f, -2f)];

    private static double HardSigmoidReference(double x, double alpha, double beta) => Math.Max(0, Math.Min(1, alpha * x + beta));

    [Theory, MemberData(nameof(Widths))]
    public void HardSigmoidForwardAndBackwardAtEveryLength(SimdWidth width)
    {
        foreach (var (alpha, beta) in HardSigmoidCases)
        {
            int max = KernelTestData.MaxLength;
            float[] x = KernelTestData.Inputs(max, seed: 11), dy = KernelTestData.Uniform(max, 12, -2, 2);
            var y = new float[max + 1];
            var dx = new float[max + 1];
            var scalar = new float[max];
            for (int n = 0; n <= max; n += n < 40 ? 1 : 13)
            {
                y[n] = dx[n] = 12345f;
                HardSigmoid.Forward(x.AsSpan(0, n), y, alpha, beta, width);
                HardSigmoid.Forward(x.AsSpan(0, n), scalar, alpha, beta, SimdWidth.Scalar);
                HardSigmoid.Backward(x.AsSpan(0, n), dy.AsSpan(0, n), dx, alpha, beta, width);
                for (int i = 0; i < n; i++)
                {
                    double line = (double)alpha * x[i] + beta;
                    KernelTestData.Check(y[i], HardSigmoidReference(x[i], alpha, beta), 2e-6, 2e-7 * (1 + Math.Abs(alpha * x[i])), () => $"hardsigmoid({alpha}, {beta}) {width} n={n} x={x[i]:R}");
                    KernelTestData.Check(y[i], scalar[i], 2e-6, 2e-7 * (1 + Math.Abs(alpha * x[i])), () => $"hardsigmoid({alpha}, {beta}) {width} against the scalar width, x={x[i]:R}");
                    // At the kinks (within rounding of 0 or 1) either side's slope is right.
                    if (Math.Abs(line) < 1e-6 || Math.Abs(line - 1) < 1e-6) continue;
                    double slope = line > 0 && line < 1 ? alpha : 0;
                    KernelTestData.Check(dx[i], slope * dy[i], 1e-6, 0, () => $"hardsigmoid({alpha}, {beta}) backward {width} n={n} x={x[i]:R}");
                }
                Assert.Equal(12345f, y[n]);
                Assert.Equal(12345f, dx[n]);
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void HardSigmoidSpecialValues(SimdWidth width)
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, .. new float[16]];
        var y = new float[x.Length];
        var dx = new float[x.Length];
        HardSigmoid.Forward(x, y, 0.5f, 0.6f, width);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal([1f, 0f, 0.6f], y[1..4]);
        HardSigmoid.Forward(x, y, -0.5f, 0.6f, width);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal([0f, 1f, 0.6f], y[1..4]);
        HardSigmoid.Forward(x, y, 0f, 0.25f, width);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal([0.25f, 0.25f, 0.25f], y[1..4]);
        HardSigmoid.Backward(x, Enumerable.Repeat(1f, x.Length).ToArray(), dx, 0.5f, 0.6f, width);
        Assert.Equal([0f, 0f, 0f, 0.5f], dx[..4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => HardSigmoid.Forward(x, y, float.NaN, 0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => HardSigmoid.Forward(x, y, 0.2f, float.PositiveInfinity));
    }

    /// <summary>Every float within 4096 ulps of ±3 and 0, where the kinks are, and random ones: PyTorch's constants give exactly the fixed kernel's bits.</summary>
    [Theory, MemberData(nameof(Widths))]
    public void HardSigmoidWithPyTorchsConstantsIsTheFixedKernelBitForBit(SimdWidth width)
    {
        var values = new List<float>();
        foreach (float centre in new[] { 3f, -3f, 0f })
        {
            int bits = BitConverter.SingleToInt32Bits(centre);
            for (int d = -4096; d <= 4096; d++) values.Add(BitConverter.Int32BitsToSingle(centre == 0 ? d : bits + d));
        }
        values.AddRange(KernelTestData.Inputs(4096, seed: 5));
        values.AddRange([float.NaN, float.PositiveInfinity, float.NegativeInfinity]);
        float[] x = [.. values];
        float[] dy = KernelTestData.Uniform(x.Length, 6, -2, 2);
        var y = new float[x.Length];
        var dx = new float[x.Length];
        Activations.Forward(ActivationKind.HardSigmoid, x, y, 0, width);
        Activations.Backward(ActivationKind.HardSigmoid, x, y, dy, dx, 0, width);
        // The kernel before the parameters: thresholds at ∓3 around x/6 + 1/2, one multiply-add per vector lane.
        for (int i = 0; i < x.Length; i++)
        {
            float mid = width == SimdWidth.Scalar ? x[i] * (1f / 6) + 0.5f
                : Vector128.MultiplyAddEstimate(Vector128.Create(x[i]), Vector128.Create(1f / 6), Vector128.Create(0.5f)).ToScalar();
            float expected = x[i] <= -3 ? 0 : x[i] >= 3 ? 1 : mid;
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(y[i]));
            float slope = x[i] > -3 && x[i] < 3 ? dy[i] * (1f / 6) : 0;
            Assert.Equal(BitConverter.SingleToInt32Bits(slope), BitConverter.SingleToInt32Bits(dx[i]));
        }
        var line = new HardSigmoidLine(HardSigmoid.DefaultAlpha, HardSigmoid.DefaultBeta);
        Assert.Equal((-3f, 3f), (line.Low, line.High));
    }

    private static readonly (float Alpha, float Gamma)[] SeluCases = [(2f, 3f), (Selu.DefaultAlpha, Selu.DefaultGamma), (0f, 1f), (0.5f, 0.25f)];

    private static double SeluReference(double x, double alpha, double gamma) => gamma * (x > 0 ? x : alpha * (Math.Exp(x) - 1));

    [Theory, MemberData(nameof(Widths))]
    public void SeluForwardAndBackwardAtEveryLength(SimdWidth width)
    {
        foreach (var (alpha, gamma) in SeluCases)
        {
            int max = KernelTestData.MaxLength;
            float[] x = KernelTestData.Inputs(max, seed: 21), dy = KernelTestData.Uniform(max, 22, -2, 2);
            var y = new float[max + 1];
            var dx = new float[max + 1];
            var scalar = new float[max];
            for (int n = 0; n <= max; n += n < 40 ? 1 : 13)
            {
                y[n] = dx[n] = 12345f;
                Selu.Forward(x.AsSpan(0, n), y, alpha, gamma, width);
                Selu.Forward(x.AsSpan(0, n), scalar, alpha, gamma, SimdWidth.Scalar);
                Selu.Backward(y.AsSpan(0, n), dy.AsSpan(0, n), dx, alpha, gamma, width);
                for (int i = 0; i < n; i++)
                {
                    double slope = x[i] > 0 ? gamma : gamma * alpha * Math.Exp(x[i]);
                    double scale = gamma * (1 + alpha);
                    KernelTestData.Check(y[i], SeluReference(x[i], alpha, gamma), 2e-6, 2e-7 * (1 + Math.Abs(x[i])) * scale, () => $"selu({alpha}, {gamma}) {width} n={n} x={x[i]:R}");
                    KernelTestData.Check(y[i], scalar[i], 2e-6, 2e-7 * (1 + Math.Abs(x[i])) * scale, () => $"selu({alpha}, {gamma}) {width} against the scalar width, x={x[i]:R}");
                    KernelTestData.Check(dx[i], slope * dy[i], 2e-6, 4e-7 * Math.Abs(dy[i]) * scale, () => $"selu({alpha}, {gamma}) backward {width} n={n} x={x[i]:R}");
                }
                Assert.Equal(12345f, y[n]);
                Assert.Equal(12345f, dx[n]);
            }
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void SeluSpecialValuesAndPyTorchsConstants(SimdWidth width)
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, .. KernelTestData.Inputs(300, 3)];
        var y = new float[x.Length];
        Selu.Forward(x, y, 2, 3, width);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal([float.PositiveInfinity, -6f, 0f], y[1..4]);

        // PyTorch's constants through the kind and through the parameters: the same bits, forward and backward.
        var fixedY = new float[x.Length];
        var fixedDx = new float[x.Length];
        var dx = new float[x.Length];
        float[] dy = KernelTestData.Uniform(x.Length, 4, -2, 2);
        Activations.Forward(ActivationKind.Selu, x, fixedY, 0, width);
        Activations.Backward(ActivationKind.Selu, x, fixedY, dy, fixedDx, 0, width);
        Selu.Forward(x, y, Selu.DefaultAlpha, Selu.DefaultGamma, width);
        Selu.Backward(y, dy, dx, Selu.DefaultAlpha, Selu.DefaultGamma, width);
        Assert.Equal(fixedY.Select(BitConverter.SingleToInt32Bits), y.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(fixedDx.Select(BitConverter.SingleToInt32Bits), dx.Select(BitConverter.SingleToInt32Bits));

        Assert.Throws<ArgumentOutOfRangeException>(() => Selu.Forward(x, y, -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Selu.Forward(x, y, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Selu.Forward(x, y, float.NaN, 1));
        Assert.NotNull(Selu.Problem(1, -2));
        Assert.Null(Selu.Problem(2, 3));
    }
}
