using System.Runtime.Intrinsics;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// The vector special functions (own exp, expm1, tanh, log1p) at every width against double precision, including
/// overflow, underflow through the subnormals, ±Inf and NaN. Tolerances in float ulps of the result (2⁻²³ relative):
/// exp 2 ulp (Taylor tail ≤ 0.1 ulp plus the rounding of 8 FMAs and 2 scalings; measured ≤ 1.2 ulp);
/// the others 3 ulp (exp plus one or two further roundings).
/// </summary>
[Trait("Category", "Kernels")]
public class ElementMathTests
{
    private const double Ulp = 1.0 / (1 << 23);

    public static IEnumerable<object[]> Widths() => KernelTestData.WidthCases();

    private readonly struct ExpOp : IUnaryOperator
    {
        public float Invoke(float x) => ElementMath.Exp(x);
        public Vector128<float> Invoke(Vector128<float> x) => ElementMath.Exp(x);

        public Vector256<float> Invoke(Vector256<float> x) => ElementMath.Exp(x);

        public Vector512<float> Invoke(Vector512<float> x) => ElementMath.Exp(x);
    }

    private readonly struct Expm1Op : IUnaryOperator
    {
        public float Invoke(float x) => ElementMath.Expm1(x);
        public Vector128<float> Invoke(Vector128<float> x) => ElementMath.Expm1(x);

        public Vector256<float> Invoke(Vector256<float> x) => ElementMath.Expm1(x);

        public Vector512<float> Invoke(Vector512<float> x) => ElementMath.Expm1(x);
    }

    private readonly struct TanhOp : IUnaryOperator
    {
        public float Invoke(float x) => ElementMath.Tanh(x);
        public Vector128<float> Invoke(Vector128<float> x) => ElementMath.Tanh(x);

        public Vector256<float> Invoke(Vector256<float> x) => ElementMath.Tanh(x);

        public Vector512<float> Invoke(Vector512<float> x) => ElementMath.Tanh(x);
    }

    private readonly struct Log1pOp : IUnaryOperator
    {
        public float Invoke(float x) => ElementMath.Log1p(x);
        public Vector128<float> Invoke(Vector128<float> x) => ElementMath.Log1pUnit(x);

        public Vector256<float> Invoke(Vector256<float> x) => ElementMath.Log1pUnit(x);

        public Vector512<float> Invoke(Vector512<float> x) => ElementMath.Log1pUnit(x);
    }

    private static float[] Run<TOp>(TOp op, float[] x, SimdWidth width) where TOp : struct, IUnaryOperator
    {
        var y = new float[x.Length];
        UnaryDriver.Run(op, x, y, width);
        return y;
    }

    private static void CheckAll(string name, float[] x, float[] y, Func<double, double> reference, double ulps, double atol)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double e = reference(x[i]);
            double allowed = Math.Abs(e) < 1.18e-38 ? Math.Max(atol, 1.5e-45) : atol; // subnormal results: one unit
            KernelTestData.Check(y[i], e, ulps * Ulp, allowed, () => $"{name}({x[i]:R})");
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void ExpIsAccurateOverTheWholeRange(SimdWidth width)
    {
        float[] x = [.. KernelTestData.Uniform(2000, 1, -104, 89), .. KernelTestData.Uniform(500, 2, -1, 1),
            88.72f, 88.73f, -87.33f, -87.34f, -103.9f, -104f, -110f, 90f, 0f, -0f, 1e-30f];
        CheckAll($"exp {width}", x, Run(new ExpOp(), x, width), Math.Exp, 2, 0);
    }

    [Fact]
    public void ExpSpecialValues()
    {
        float[] x = [float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e30f, -1e30f, 89f, -105f, 0, 1, 2, 3, 4, 5];
        foreach (SimdWidth w in KernelTestData.Widths)
        {
            float[] y = Run(new ExpOp(), x, w);
            Assert.Equal(float.PositiveInfinity, y[0]);
            Assert.Equal(0f, y[1]);
            Assert.True(float.IsNaN(y[2]));
            Assert.Equal(float.PositiveInfinity, y[3]);
            Assert.Equal(0f, y[4]);
            Assert.Equal(float.PositiveInfinity, y[5]);
            Assert.Equal(0f, y[6]);
            Assert.Equal(1f, y[7]);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void Expm1AndTanhAreAccurate(SimdWidth width)
    {
        float[] x = [.. KernelTestData.Uniform(1500, 3, -12, 12), .. KernelTestData.Uniform(500, 4, -0.7f, 0.7f),
            1e-7f, -1e-7f, 1e-30f, 0.55f, -0.55f, 0.5499f, 0.3465f, -0.3466f, 50f, -50f, 1e30f, -1e30f];
        CheckAll($"expm1 {width}", x, Run(new Expm1Op(), x, width), v => v > 88 ? Math.Exp(v) - 1 : Math.Abs(v) < 1e-5 ? v + v * v / 2 : Math.Exp(v) - 1, 3, 0);
        CheckAll($"tanh {width}", x, Run(new TanhOp(), x, width), Math.Tanh, 3, 0);
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0, -0f];
        float[] t = Run(new TanhOp(), special, width);
        Assert.True(float.IsNaN(t[0]));
        Assert.Equal([1f, -1f], t[1..3]);
        Assert.Equal(0f, t[3]);
    }

    [Theory, MemberData(nameof(Widths))]
    public void Log1pIsAccurateOnTheUnitInterval(SimdWidth width)
    {
        float[] u = [.. KernelTestData.Uniform(1000, 5, 0, 1), 0f, 1f, 1e-30f, 1e-7f, 1e-3f, 0.41421356f, 0.4142136f];
        CheckAll($"log1p {width}", u, Run(new Log1pOp(), u, width), v => v < 1e-8 ? v - v * v / 2 : Math.Log(1 + v), 3, 0);
    }
}
