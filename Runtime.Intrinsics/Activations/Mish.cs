using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// x·tanh(softplus(x)) with tanh(log(1 + e)) = n/(n + 2), n = e(e + 2), e = eˣ: one exp and no cancellation for
/// x &lt; 0. Evaluated on x clamped to [−110, 20]: the product has underflowed to 0 below and equals x above.
/// </summary>
internal readonly struct MishForward : IUnaryOperator
{
    public const float Low = -110f, High = 20f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x)
    {
        if (x > High) return x;
        float c = x < Low ? Low : x;
        float e = MathF.Exp(c);
        float n = e * (e + 2);
        return c * (n / (n + 2));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<float> c = ElementMath.Clamp(x, Low, High);
        Vector128<float> e = ElementMath.Exp(c);
        Vector128<float> n = e * (e + Vector128.Create(2f));
        Vector128<float> y = c * n / (n + Vector128.Create(2f));
        return Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(High)), x, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> c = ElementMath.Clamp(x, Low, High);
        Vector256<float> e = ElementMath.Exp(c);
        Vector256<float> n = e * (e + Vector256.Create(2f));
        Vector256<float> y = c * n / (n + Vector256.Create(2f));
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(High)), x, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> c = ElementMath.Clamp(x, Low, High);
        Vector512<float> e = ElementMath.Exp(c);
        Vector512<float> n = e * (e + Vector512.Create(2f));
        Vector512<float> y = c * n / (n + Vector512.Create(2f));
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(High)), x, y);
    }
}

/// <summary>
/// dx = dy·(t + x·σ(x)·(1 − t²)) with t = n/(n + 2) and 1 − t² = 4(n + 1)/(n + 2)² (no cancellation), on x clamped
/// to [−110, 20]. Reads x.
/// </summary>
internal readonly struct MishBackward : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float dy)
    {
        float c = Math.Clamp(x, MishForward.Low, MishForward.High);
        float e = MathF.Exp(c);
        float n = e * (e + 2);
        float inv = 1 / (n + 2);
        float t = n * inv;
        float s = e / (1 + e);
        return dy * (t + c * s * (4 * (n + 1) * inv * inv));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
    {
        Vector128<float> one = Vector128<float>.One, two = Vector128.Create(2f);
        Vector128<float> c = ElementMath.Clamp(x, MishForward.Low, MishForward.High);
        Vector128<float> e = ElementMath.Exp(c);
        Vector128<float> n = e * (e + two);
        Vector128<float> inv = one / (n + two);
        Vector128<float> t = n * inv;
        Vector128<float> s = e / (one + e);
        Vector128<float> dt = Vector128.Create(4f) * (n + one) * inv * inv;
        return dy * Vector128.MultiplyAddEstimate(c * s, dt, t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
    {
        Vector256<float> one = Vector256<float>.One, two = Vector256.Create(2f);
        Vector256<float> c = ElementMath.Clamp(x, MishForward.Low, MishForward.High);
        Vector256<float> e = ElementMath.Exp(c);
        Vector256<float> n = e * (e + two);
        Vector256<float> inv = one / (n + two);
        Vector256<float> t = n * inv;
        Vector256<float> s = e / (one + e);
        Vector256<float> dt = Vector256.Create(4f) * (n + one) * inv * inv;
        return dy * Vector256.MultiplyAddEstimate(c * s, dt, t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
    {
        Vector512<float> one = Vector512<float>.One, two = Vector512.Create(2f);
        Vector512<float> c = ElementMath.Clamp(x, MishForward.Low, MishForward.High);
        Vector512<float> e = ElementMath.Exp(c);
        Vector512<float> n = e * (e + two);
        Vector512<float> inv = one / (n + two);
        Vector512<float> t = n * inv;
        Vector512<float> s = e / (one + e);
        Vector512<float> dt = Vector512.Create(4f) * (n + one) * inv * inv;
        return dy * Vector512.MultiplyAddEstimate(c * s, dt, t);
    }
}
