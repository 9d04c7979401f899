using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// x·Φ(x). Φ is evaluated on x clamped to [−15, 10]: beyond, x·Φ(x) is x or underflows to 0 in float, and the
/// clamp keeps ±Inf from meeting 0 (so GELU(−Inf) = 0, GELU(+Inf) = +Inf).
/// </summary>
internal readonly struct GeluErfForward : IUnaryOperator
{
    public const float Low = -15f, High = 10f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x)
    {
        if (x > High) return x;
        float c = x < Low ? Low : x;
        return c * ElementMath.NormalCdf(c, out _);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<float> c = ElementMath.Clamp(x, Low, High);
        return Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(High)), x, c * ElementMath.NormalCdf(c, out _));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> c = ElementMath.Clamp(x, Low, High);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(High)), x, c * ElementMath.NormalCdf(c, out _));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> c = ElementMath.Clamp(x, Low, High);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(High)), x, c * ElementMath.NormalCdf(c, out _));
    }
}

/// <summary>dx = dy·(Φ(x) + x·φ(x)), on x clamped to [−15, 10] where the derivative is exactly 0 or 1 in float. Reads x.</summary>
internal readonly struct GeluErfBackward : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float dy)
    {
        float c = Math.Clamp(x, GeluErfForward.Low, GeluErfForward.High);
        float cdf = ElementMath.NormalCdf(c, out float pdf);
        return dy * (cdf + c * pdf);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
    {
        Vector128<float> c = ElementMath.Clamp(x, GeluErfForward.Low, GeluErfForward.High);
        Vector128<float> cdf = ElementMath.NormalCdf(c, out Vector128<float> pdf);
        return dy * Vector128.MultiplyAddEstimate(c, pdf, cdf);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
    {
        Vector256<float> c = ElementMath.Clamp(x, GeluErfForward.Low, GeluErfForward.High);
        Vector256<float> cdf = ElementMath.NormalCdf(c, out Vector256<float> pdf);
        return dy * Vector256.MultiplyAddEstimate(c, pdf, cdf);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
    {
        Vector512<float> c = ElementMath.Clamp(x, GeluErfForward.Low, GeluErfForward.High);
        Vector512<float> cdf = ElementMath.NormalCdf(c, out Vector512<float> pdf);
        return dy * Vector512.MultiplyAddEstimate(c, pdf, cdf);
    }
}
