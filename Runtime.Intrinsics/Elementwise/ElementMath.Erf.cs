using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

internal static partial class ElementMath
{
    /// <summary>2/√π, erf's slope at 0.</summary>
    public const float TwoOverSqrtPi = 1.12837916709551257390f;

    // Below |x| = 1, erf's Taylor series to x²¹ (truncation ≤ 1.5e-9 relative); the Abramowitz–Stegun fit of the
    // normal CDF alone has an absolute error of 1.5e-7, which near 0, where erf(x) ≈ 1.13x, is no relative bound at
    // all. From 1 on erf ≥ 0.84, so that fit's 1.5e-7 is under 2e-7 relative.
    private const float ErfSmall = 1f;
    private const float ErfT1 = -0.37612638903183754f, ErfT2 = 0.11283791670955126f, ErfT3 = -0.026866170645131252f,
        ErfT4 = 0.005223977625442188f, ErfT5 = -0.0008548327023450852f, ErfT6 = 0.00012055332981789664f,
        ErfT7 = -1.492565035840625e-05f, ErfT8 = 1.6462114365889246e-06f, ErfT9 = -1.6365844691234924e-07f, ErfT10 = 1.4807192815879218e-08f;

    /// <summary>erf(x), odd, ±1 beyond |x| ≈ 4, NaN for NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Erf(float x)
    {
        float z = MathF.Abs(x);
        float r;
        if (z < ErfSmall)
        {
            float s = z * z;
            float p = ErfT10;
            p = p * s + ErfT9;
            p = p * s + ErfT8;
            p = p * s + ErfT7;
            p = p * s + ErfT6;
            p = p * s + ErfT5;
            p = p * s + ErfT4;
            p = p * s + ErfT3;
            p = p * s + ErfT2;
            p = p * s + ErfT1;
            p = p * s + TwoOverSqrtPi;
            r = z * p;
        }
        else
        {
            float t = 1 / (1 + ErfP * z);
            float p = ErfA5;
            p = p * t + ErfA4;
            p = p * t + ErfA3;
            p = p * t + ErfA2;
            p = p * t + ErfA1;
            r = 1 - t * p * MathF.Exp(-z * z);
        }
        return MathF.CopySign(r, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Erf(Vector128<float> x)
    {
        Vector128<float> one = Vector128<float>.One;
        Vector128<float> z = Vector128.Abs(x);
        Vector128<float> s = z * z;
        Vector128<float> p = Vector128.Create(ErfT10);
        p = Vector128.MultiplyAddEstimate(p, s, Vector128.Create(ErfT9));
        p = Vector128.MultiplyAddEstimate(p, s, Vector128.Create(ErfT8));
        p = Vector128.MultiplyAddEstimate(p, s, Vector128.Create(ErfT7));
        p = Vector128.MultiplyAddEstimate(p, s, Vector128.Create(ErfT6));
        p = Vector128.MultiplyAddEstimate(p, s, Vector128.Create(ErfT5));
        p = Vector128.MultiplyAddEstimate(p, s, Vector128.Create(ErfT4));
        p = Vector128.MultiplyAddEstimate(p, s, Vector128.Create(ErfT3));
        p = Vector128.MultiplyAddEstimate(p, s, Vector128.Create(ErfT2));
        p = Vector128.MultiplyAddEstimate(p, s, Vector128.Create(ErfT1));
        p = Vector128.MultiplyAddEstimate(p, s, Vector128.Create(TwoOverSqrtPi));
        Vector128<float> small = z * p;
        Vector128<float> t = one / Vector128.MultiplyAddEstimate(z, Vector128.Create(ErfP), one);
        Vector128<float> q = Vector128.Create(ErfA5);
        q = Vector128.MultiplyAddEstimate(q, t, Vector128.Create(ErfA4));
        q = Vector128.MultiplyAddEstimate(q, t, Vector128.Create(ErfA3));
        q = Vector128.MultiplyAddEstimate(q, t, Vector128.Create(ErfA2));
        q = Vector128.MultiplyAddEstimate(q, t, Vector128.Create(ErfA1));
        Vector128<float> large = one - t * q * Exp(-s);
        Vector128<float> r = Vector128.ConditionalSelect(Vector128.LessThan(z, Vector128.Create(ErfSmall)), small, large);
        return r | (x & Vector128.Create(-0f));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Erf(Vector256<float> x)
    {
        Vector256<float> one = Vector256<float>.One;
        Vector256<float> z = Vector256.Abs(x);
        Vector256<float> s = z * z;
        Vector256<float> p = Vector256.Create(ErfT10);
        p = Vector256.MultiplyAddEstimate(p, s, Vector256.Create(ErfT9));
        p = Vector256.MultiplyAddEstimate(p, s, Vector256.Create(ErfT8));
        p = Vector256.MultiplyAddEstimate(p, s, Vector256.Create(ErfT7));
        p = Vector256.MultiplyAddEstimate(p, s, Vector256.Create(ErfT6));
        p = Vector256.MultiplyAddEstimate(p, s, Vector256.Create(ErfT5));
        p = Vector256.MultiplyAddEstimate(p, s, Vector256.Create(ErfT4));
        p = Vector256.MultiplyAddEstimate(p, s, Vector256.Create(ErfT3));
        p = Vector256.MultiplyAddEstimate(p, s, Vector256.Create(ErfT2));
        p = Vector256.MultiplyAddEstimate(p, s, Vector256.Create(ErfT1));
        p = Vector256.MultiplyAddEstimate(p, s, Vector256.Create(TwoOverSqrtPi));
        Vector256<float> small = z * p;
        Vector256<float> t = one / Vector256.MultiplyAddEstimate(z, Vector256.Create(ErfP), one);
        Vector256<float> q = Vector256.Create(ErfA5);
        q = Vector256.MultiplyAddEstimate(q, t, Vector256.Create(ErfA4));
        q = Vector256.MultiplyAddEstimate(q, t, Vector256.Create(ErfA3));
        q = Vector256.MultiplyAddEstimate(q, t, Vector256.Create(ErfA2));
        q = Vector256.MultiplyAddEstimate(q, t, Vector256.Create(ErfA1));
        Vector256<float> large = one - t * q * Exp(-s);
        Vector256<float> r = Vector256.ConditionalSelect(Vector256.LessThan(z, Vector256.Create(ErfSmall)), small, large);
        return r | (x & Vector256.Create(-0f));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Erf(Vector512<float> x)
    {
        Vector512<float> one = Vector512<float>.One;
        Vector512<float> z = Vector512.Abs(x);
        Vector512<float> s = z * z;
        Vector512<float> p = Vector512.Create(ErfT10);
        p = Vector512.MultiplyAddEstimate(p, s, Vector512.Create(ErfT9));
        p = Vector512.MultiplyAddEstimate(p, s, Vector512.Create(ErfT8));
        p = Vector512.MultiplyAddEstimate(p, s, Vector512.Create(ErfT7));
        p = Vector512.MultiplyAddEstimate(p, s, Vector512.Create(ErfT6));
        p = Vector512.MultiplyAddEstimate(p, s, Vector512.Create(ErfT5));
        p = Vector512.MultiplyAddEstimate(p, s, Vector512.Create(ErfT4));
        p = Vector512.MultiplyAddEstimate(p, s, Vector512.Create(ErfT3));
        p = Vector512.MultiplyAddEstimate(p, s, Vector512.Create(ErfT2));
        p = Vector512.MultiplyAddEstimate(p, s, Vector512.Create(ErfT1));
        p = Vector512.MultiplyAddEstimate(p, s, Vector512.Create(TwoOverSqrtPi));
        Vector512<float> small = z * p;
        Vector512<float> t = one / Vector512.MultiplyAddEstimate(z, Vector512.Create(ErfP), one);
        Vector512<float> q = Vector512.Create(ErfA5);
        q = Vector512.MultiplyAddEstimate(q, t, Vector512.Create(ErfA4));
        q = Vector512.MultiplyAddEstimate(q, t, Vector512.Create(ErfA3));
        q = Vector512.MultiplyAddEstimate(q, t, Vector512.Create(ErfA2));
        q = Vector512.MultiplyAddEstimate(q, t, Vector512.Create(ErfA1));
        Vector512<float> large = one - t * q * Exp(-s);
        Vector512<float> r = Vector512.ConditionalSelect(Vector512.LessThan(z, Vector512.Create(ErfSmall)), small, large);
        return r | (x & Vector512.Create(-0f));
    }
}
