using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

internal static partial class ElementMath
{
    public const float InvSqrt2 = 0.70710678118654752440f;
    public const float InvSqrt2Pi = 0.39894228040143267794f;
    // Abramowitz–Stegun 7.1.26: erfc(z) ≈ t·P(t)·e^{−z²}, t = 1/(1 + p·z), |error| ≤ 1.5e-7 (the fit PyTorch's
    // vectorised GELU uses too).
    private const float ErfP = 0.3275911f;
    private const float ErfA1 = 0.254829592f, ErfA2 = -0.284496736f, ErfA3 = 1.421413741f, ErfA4 = -1.453152027f, ErfA5 = 1.061405429f;

    /// <summary>
    /// Φ(x), the standard normal CDF, as ½·erfc(−x/√2); also returns φ(x) = e^{−x²/2}/√(2π), which shares the exp.
    /// The tail x &lt; 0 comes from erfc directly, without 1 − erf.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float NormalCdf(float x, out float pdf)
    {
        float z = MathF.Abs(x) * InvSqrt2;
        float t = 1 / (1 + ErfP * z);
        float p = ErfA5;
        p = p * t + ErfA4;
        p = p * t + ErfA3;
        p = p * t + ErfA2;
        p = p * t + ErfA1;
        float g = MathF.Exp(-z * z);
        pdf = InvSqrt2Pi * g;
        float halfErfc = 0.5f * t * p * g;
        return x < 0 ? halfErfc : 1 - halfErfc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> NormalCdf(Vector128<float> x, out Vector128<float> pdf)
    {
        Vector128<float> one = Vector128<float>.One;
        Vector128<float> z = Vector128.Abs(x) * Vector128.Create(InvSqrt2);
        Vector128<float> t = one / Vector128.MultiplyAddEstimate(z, Vector128.Create(ErfP), one);
        Vector128<float> p = Vector128.Create(ErfA5);
        p = Vector128.MultiplyAddEstimate(p, t, Vector128.Create(ErfA4));
        p = Vector128.MultiplyAddEstimate(p, t, Vector128.Create(ErfA3));
        p = Vector128.MultiplyAddEstimate(p, t, Vector128.Create(ErfA2));
        p = Vector128.MultiplyAddEstimate(p, t, Vector128.Create(ErfA1));
        Vector128<float> g = Exp(-(z * z));
        pdf = Vector128.Create(InvSqrt2Pi) * g;
        Vector128<float> halfErfc = Vector128.Create(0.5f) * t * p * g;
        return Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), halfErfc, one - halfErfc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NormalCdf(Vector256<float> x, out Vector256<float> pdf)
    {
        Vector256<float> one = Vector256<float>.One;
        Vector256<float> z = Vector256.Abs(x) * Vector256.Create(InvSqrt2);
        Vector256<float> t = one / Vector256.MultiplyAddEstimate(z, Vector256.Create(ErfP), one);
        Vector256<float> p = Vector256.Create(ErfA5);
        p = Vector256.MultiplyAddEstimate(p, t, Vector256.Create(ErfA4));
        p = Vector256.MultiplyAddEstimate(p, t, Vector256.Create(ErfA3));
        p = Vector256.MultiplyAddEstimate(p, t, Vector256.Create(ErfA2));
        p = Vector256.MultiplyAddEstimate(p, t, Vector256.Create(ErfA1));
        Vector256<float> g = Exp(-(z * z));
        pdf = Vector256.Create(InvSqrt2Pi) * g;
        Vector256<float> halfErfc = Vector256.Create(0.5f) * t * p * g;
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), halfErfc, one - halfErfc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> NormalCdf(Vector512<float> x, out Vector512<float> pdf)
    {
        Vector512<float> one = Vector512<float>.One;
        Vector512<float> z = Vector512.Abs(x) * Vector512.Create(InvSqrt2);
        Vector512<float> t = one / Vector512.MultiplyAddEstimate(z, Vector512.Create(ErfP), one);
        Vector512<float> p = Vector512.Create(ErfA5);
        p = Vector512.MultiplyAddEstimate(p, t, Vector512.Create(ErfA4));
        p = Vector512.MultiplyAddEstimate(p, t, Vector512.Create(ErfA3));
        p = Vector512.MultiplyAddEstimate(p, t, Vector512.Create(ErfA2));
        p = Vector512.MultiplyAddEstimate(p, t, Vector512.Create(ErfA1));
        Vector512<float> g = Exp(-(z * z));
        pdf = Vector512.Create(InvSqrt2Pi) * g;
        Vector512<float> halfErfc = Vector512.Create(0.5f) * t * p * g;
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), halfErfc, one - halfErfc);
    }
}
