using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

internal static partial class ElementMath
{
    /// <summary>PyTorch's softplus threshold: above it softplus(x) = x (it already is, to float precision, from 17).</summary>
    public const float SoftplusThreshold = 20f;
    private const float Ln2 = 0.69314718055994530942f;
    private const float Sqrt2Minus1 = 0.41421356237309504880f;

    /// <summary>log(1 + eˣ) = max(x, 0) + log1p(e^−|x|), which neither overflows nor cancels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Softplus(float x)
    {
        if (x > SoftplusThreshold) return x;
        return MathF.Max(x, 0) + Log1p(MathF.Exp(-MathF.Abs(x)));
    }

    /// <summary>log(1 + u), exact to rounding for small u: the rounding error of 1 + u is divided back out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Log1p(float u)
    {
        float w = 1 + u;
        return w == 1 ? u : MathF.Log(w) * (u / (w - 1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Softplus(Vector128<float> x)
    {
        Vector128<float> zero = Vector128<float>.Zero;
        Vector128<float> y = Vector128.ConditionalSelect(Vector128.GreaterThan(x, zero), x, zero) + Log1pUnit(Exp(-Vector128.Abs(x)));
        return Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(SoftplusThreshold)), x, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Softplus(Vector256<float> x)
    {
        Vector256<float> zero = Vector256<float>.Zero;
        Vector256<float> y = Vector256.ConditionalSelect(Vector256.GreaterThan(x, zero), x, zero) + Log1pUnit(Exp(-Vector256.Abs(x)));
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(SoftplusThreshold)), x, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Softplus(Vector512<float> x)
    {
        Vector512<float> zero = Vector512<float>.Zero;
        Vector512<float> y = Vector512.ConditionalSelect(Vector512.GreaterThan(x, zero), x, zero) + Log1pUnit(Exp(-Vector512.Abs(x)));
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(SoftplusThreshold)), x, y);
    }

    /// <summary>
    /// log(1 + u) for u in [0, 1] as 2·atanh(s) = 2(s + s³/3 + …): s = u/(2+u) below √2−1, otherwise
    /// ln2 + 2·atanh((u−1)/(u+3)), so |s| ≤ 0.172 and terms to s¹¹ leave under 1e-9 relative. s is formed without
    /// cancellation, so tiny u keeps full relative precision.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log1pUnit(Vector128<float> u)
    {
        Vector128<float> one = Vector128<float>.One;
        Vector128<float> high = Vector128.GreaterThan(u, Vector128.Create(Sqrt2Minus1));
        Vector128<float> num = Vector128.ConditionalSelect(high, u - one, u);
        Vector128<float> den = u + Vector128.ConditionalSelect(high, Vector128.Create(3f), Vector128.Create(2f));
        Vector128<float> s = num / den;
        Vector128<float> s2 = s * s;
        Vector128<float> p = Vector128.Create(2f / 11);
        p = Vector128.MultiplyAddEstimate(p, s2, Vector128.Create(2f / 9));
        p = Vector128.MultiplyAddEstimate(p, s2, Vector128.Create(2f / 7));
        p = Vector128.MultiplyAddEstimate(p, s2, Vector128.Create(2f / 5));
        p = Vector128.MultiplyAddEstimate(p, s2, Vector128.Create(2f / 3));
        Vector128<float> log = Vector128.MultiplyAddEstimate(s * s2, p, s + s);
        return log + (Vector128.Create(Ln2) & high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log1pUnit(Vector256<float> u)
    {
        Vector256<float> one = Vector256<float>.One;
        Vector256<float> high = Vector256.GreaterThan(u, Vector256.Create(Sqrt2Minus1));
        Vector256<float> num = Vector256.ConditionalSelect(high, u - one, u);
        Vector256<float> den = u + Vector256.ConditionalSelect(high, Vector256.Create(3f), Vector256.Create(2f));
        Vector256<float> s = num / den;
        Vector256<float> s2 = s * s;
        Vector256<float> p = Vector256.Create(2f / 11);
        p = Vector256.MultiplyAddEstimate(p, s2, Vector256.Create(2f / 9));
        p = Vector256.MultiplyAddEstimate(p, s2, Vector256.Create(2f / 7));
        p = Vector256.MultiplyAddEstimate(p, s2, Vector256.Create(2f / 5));
        p = Vector256.MultiplyAddEstimate(p, s2, Vector256.Create(2f / 3));
        Vector256<float> log = Vector256.MultiplyAddEstimate(s * s2, p, s + s);
        return log + (Vector256.Create(Ln2) & high);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log1pUnit(Vector512<float> u)
    {
        Vector512<float> one = Vector512<float>.One;
        Vector512<float> high = Vector512.GreaterThan(u, Vector512.Create(Sqrt2Minus1));
        Vector512<float> num = Vector512.ConditionalSelect(high, u - one, u);
        Vector512<float> den = u + Vector512.ConditionalSelect(high, Vector512.Create(3f), Vector512.Create(2f));
        Vector512<float> s = num / den;
        Vector512<float> s2 = s * s;
        Vector512<float> p = Vector512.Create(2f / 11);
        p = Vector512.MultiplyAddEstimate(p, s2, Vector512.Create(2f / 9));
        p = Vector512.MultiplyAddEstimate(p, s2, Vector512.Create(2f / 7));
        p = Vector512.MultiplyAddEstimate(p, s2, Vector512.Create(2f / 5));
        p = Vector512.MultiplyAddEstimate(p, s2, Vector512.Create(2f / 3));
        Vector512<float> log = Vector512.MultiplyAddEstimate(s * s2, p, s + s);
        return log + (Vector512.Create(Ln2) & high);
    }
}
