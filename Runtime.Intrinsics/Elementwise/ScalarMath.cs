namespace Simd.Runtime.Intrinsics;

/// <summary>Scalar special functions the kernels need and MathF lacks (or computes with cancellation).</summary>
internal static class ScalarMath
{
    private const float HalfLn2 = 0.34657359027997265470861606072909f;

    /// <summary>1/(1+e⁻ˣ): e⁻ˣ overflowing to +Inf gives 0, never NaN.</summary>
    public static float Sigmoid(float x) => 1 / (1 + MathF.Exp(-x));

    /// <summary>eˣ − 1 without cancellation near 0 (Taylor series where |x| &lt; ln2/2).</summary>
    public static float Expm1(float x)
    {
        if (!(MathF.Abs(x) < HalfLn2)) return MathF.Exp(x) - 1;
        // Taylor terms to x⁸/8!: the next one is below 2e-9 relative at |x| = ln2/2.
        float p = 1f / 40320;
        p = p * x + 1f / 5040;
        p = p * x + 1f / 720;
        p = p * x + 1f / 120;
        p = p * x + 1f / 24;
        p = p * x + 1f / 6;
        p = p * x + 0.5f;
        return x + x * x * p;
    }

    /// <summary>log(1 + eˣ) = max(x, 0) + log1p(e^−|x|); x itself above PyTorch's threshold 20.</summary>
    public static float Softplus(float x)
    {
        if (x > 20) return x;
        return MathF.Max(x, 0) + Log1p(MathF.Exp(-MathF.Abs(x)));
    }

    /// <summary>log(1 + u), exact to rounding for small u: the rounding error of 1 + u is divided back out.</summary>
    public static float Log1p(float u)
    {
        float w = 1 + u;
        return w == 1 ? u : MathF.Log(w) * (u / (w - 1));
    }

    /// <summary>
    /// Φ(x), the standard normal CDF, as ½·erfc(−x/√2) with the Abramowitz–Stegun 7.1.26 fit (|error of erf| ≤ 1.5e-7,
    /// the same fit PyTorch's vectorised GELU uses). The tail x &lt; 0 is computed from erfc directly, without 1 − erf.
    /// </summary>
    public static float NormalCdf(float x)
    {
        float z = MathF.Abs(x) * ActivationScalar.InvSqrt2;
        float t = 1 / (1 + 0.3275911f * z);
        float p = 1.061405429f;
        p = p * t - 1.453152027f;
        p = p * t + 1.421413741f;
        p = p * t - 0.284496736f;
        p = p * t + 0.254829592f;
        float halfErfc = 0.5f * t * p * MathF.Exp(-z * z);
        return x < 0 ? halfErfc : 1 - halfErfc;
    }
}
