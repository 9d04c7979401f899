using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// <see cref="UnaryMath"/> forward and backward at every width and length 0..300, on inputs with NaN, ±Inf, ±0,
/// subnormals and huge values: each width equals the scalar reference bit for bit where one rounding decides the
/// result (abs, negate, sqrt, reciprocal, clip and the gradients of those), and is held, as the scalar reference is,
/// to the double result otherwise (exp 2 ulp, log 4 ulp, erf 5e-7 relative, the gradients a few ulp more).
/// </summary>
[Trait("Category", "Kernels")]
public class UnaryMathTests
{
    private const double Ulp = 1.0 / (1 << 23);
    private const float Lo = -2.5f, Hi = 3.25f;

    public static IEnumerable<object[]> Widths() => KernelTestData.WidthCases();

    public static TheoryData<UnaryFunction, SimdWidth> FunctionWidths()
    {
        var data = new TheoryData<UnaryFunction, SimdWidth>();
        foreach (UnaryFunction f in Enum.GetValues<UnaryFunction>())
            foreach (SimdWidth w in KernelTestData.Widths) data.Add(f, w);
        return data;
    }

    /// <summary>The double reference and its tolerance (relative, absolute) per function.</summary>
    private static (Func<double, double> F, Func<double, double, double> Slope, double Rtol, bool Exact) Reference(UnaryFunction f) => f switch
    {
        UnaryFunction.Abs => (Math.Abs, (x, _) => x > 0 ? 1 : x < 0 ? -1 : 0, 0, true),
        UnaryFunction.Negate => (x => -x, (_, _) => -1, 0, true),
        UnaryFunction.Exp => (Math.Exp, (_, y) => y, 2 * Ulp, false),
        UnaryFunction.Log => (Math.Log, (x, _) => 1 / x, 4 * Ulp, false),
        UnaryFunction.Sqrt => (Math.Sqrt, (_, y) => 0.5 / y, 0.5 * Ulp, true),
        UnaryFunction.Reciprocal => (x => 1 / x, (_, y) => -y * y, 0.5 * Ulp, true),
        UnaryFunction.Erf => (ActivationReference.Erf, (x, _) => 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x), 5e-7, false),
        UnaryFunction.Clip => (x => double.IsNaN(x) ? x : Math.Min(Math.Max(x, Lo), Hi), (x, _) => x >= Lo && x <= Hi ? 1 : 0, 0, true),
        _ => throw new ArgumentOutOfRangeException(nameof(f)),
    };

    /// <summary>The swept inputs plus the values every kernel must get right; Log and Sqrt also see positives only.</summary>
    private static float[] Inputs(int n, int seed, UnaryFunction f)
    {
        float[] x = KernelTestData.Inputs(n, seed);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, 1e-40f, -1e-40f, 0f, -0f, Lo, Hi, 0.4999f, 0.5f, -0.5f];
        var rng = new Random(seed);
        for (int i = 0; i < n; i++)
        {
            if (rng.Next(8) == 0) x[i] = specials[rng.Next(specials.Length)];
            if (f is UnaryFunction.Log or UnaryFunction.Sqrt && rng.Next(4) != 0) x[i] = MathF.Abs(x[i]);
        }
        return x;
    }

    [Theory, MemberData(nameof(FunctionWidths))]
    public void ForwardMatchesTheScalarReferenceAndDouble(UnaryFunction f, SimdWidth width)
    {
        var (reference, _, rtol, exact) = Reference(f);
        for (int n = 0; n <= KernelTestData.MaxLength; n++)
        {
            float[] x = Inputs(n, n, f);
            var y = new float[n + 1];
            var s = new float[n];
            y[n] = 7;
            UnaryMath.Forward(f, x, y, Lo, Hi, width);
            UnaryMath.Forward(f, x, s, Lo, Hi, SimdWidth.Scalar);
            Assert.Equal(7, y[n]);
            for (int i = 0; i < n; i++)
            {
                if (exact && !float.IsNaN(s[i])) Assert.True(BitConverter.SingleToInt32Bits(s[i]) == BitConverter.SingleToInt32Bits(y[i]), $"{f} {width} n={n}: {y[i]:R} vs scalar {s[i]:R} at x = {x[i]:R}");
                double e = reference(x[i]);
                double atol = Math.Abs(e) < 1.18e-38 ? 1.5e-45 : 0;
                KernelTestData.Check(y[i], e, rtol, atol, () => $"{f} {width} n={n} x={x[i]:R}");
                KernelTestData.Check(s[i], e, rtol, atol, () => $"{f} scalar n={n} x={x[i]:R}");
            }
        }
    }

    [Theory, MemberData(nameof(FunctionWidths))]
    public void BackwardMatchesTheScalarReferenceAndDouble(UnaryFunction f, SimdWidth width)
    {
        var (reference, slope, rtol, exact) = Reference(f);
        for (int n = 0; n <= KernelTestData.MaxLength; n++)
        {
            float[] x = Inputs(n, 1000 + n, f);
            float[] dy = KernelTestData.Uniform(n, 2000 + n, -3, 3);
            var y = new float[n];
            UnaryMath.Forward(f, x, y, Lo, Hi, SimdWidth.Scalar);
            var dx = new float[n];
            var s = new float[n];
            UnaryMath.Backward(f, x, y, dy, dx, Lo, Hi, width);
            UnaryMath.Backward(f, x, y, dy, s, Lo, Hi, SimdWidth.Scalar);
            for (int i = 0; i < n; i++)
            {
                if (exact && !float.IsNaN(s[i])) Assert.True(BitConverter.SingleToInt32Bits(s[i]) == BitConverter.SingleToInt32Bits(dx[i]), $"{f}′ {width} n={n}: {dx[i]:R} vs scalar {s[i]:R} at x = {x[i]:R}");
                // The slope at the float forward's own y, as the kernel sees it; one or two roundings more than the forward.
                double e = dy[i] * slope(x[i], y[i]);
                // erf′'s e^{−x²} inherits x²'s rounding, 2x²·ulp relative.
                double tol = Math.Max(rtol, Ulp) * 3 + (f == UnaryFunction.Erf ? (4 + 2.0 * Math.Min(x[i] * x[i], 100)) * Ulp : 0);
                // A subnormal slope is rounded to a few units of 2⁻¹⁴⁹ before dy scales it.
                double atol = Math.Abs(e) < 1.18e-38 ? 1.5e-45 * 4 * Math.Max(1, Math.Abs(dy[i])) : 0;
                KernelTestData.Check(dx[i], e, tol, atol, () => $"{f}′ {width} n={n} x={x[i]:R} dy={dy[i]:R}");
                KernelTestData.Check(s[i], e, tol, atol, () => $"{f}′ scalar n={n} x={x[i]:R} dy={dy[i]:R}");
            }
        }
    }

    /// <summary>Erf densely over [−6, 6] and near 0, against the double series: within 5e-7 relative at every width.</summary>
    [Theory, MemberData(nameof(Widths))]
    public void ErfIsAccurateOverTheWholeRange(SimdWidth width)
    {
        float[] x = [.. KernelTestData.Uniform(60000, 11, -6, 6), .. KernelTestData.Uniform(5000, 12, -1e-3f, 1e-3f), .. KernelTestData.Uniform(5000, 13, 0.9f, 1.1f)];
        var y = new float[x.Length];
        UnaryMath.Forward(UnaryFunction.Erf, x, y, 0, 0, width);
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double e = ActivationReference.Erf(x[i]);
            worst = Math.Max(worst, Math.Abs(y[i] - e) / Math.Max(Math.Abs(e), 1e-30));
        }
        Assert.True(worst <= 5e-7, $"erf at {width}: worst relative error {worst:E3}");
    }

    /// <summary>y = f(x) in place, and dx = dy's own span.</summary>
    [Theory, MemberData(nameof(Widths))]
    public void InPlaceGivesTheSameValues(SimdWidth width)
    {
        foreach (UnaryFunction f in Enum.GetValues<UnaryFunction>())
        {
            float[] x = Inputs(67, 5, f);
            var y = new float[67];
            UnaryMath.Forward(f, x, y, Lo, Hi, width);
            float[] inPlace = (float[])x.Clone();
            UnaryMath.Forward(f, inPlace, inPlace, Lo, Hi, width);
            Assert.Equal(y, inPlace);
            float[] dy = KernelTestData.Uniform(67, 6, -1, 1);
            var dx = new float[67];
            UnaryMath.Backward(f, x, y, dy, dx, Lo, Hi, width);
            UnaryMath.Backward(f, x, y, dy, dy, Lo, Hi, width);
            Assert.Equal(dx, dy);
        }
    }

    [Fact]
    public void ShiftedOverlapIsRefused()
    {
        var buffer = new float[10];
        var e = Assert.Throws<ArgumentException>(() => UnaryMath.Forward(UnaryFunction.Exp, buffer.AsSpan(0, 8), buffer.AsSpan(1, 8)));
        Assert.StartsWith("y overlaps x at an offset of 1 elements", e.Message);
    }
}
