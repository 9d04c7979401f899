using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³), computed as x·σ(2u): the same function, without the cancellation
/// of 1 + tanh u for x &lt; 0. Clamped to [−15, 10] like <see cref="GeluErfForward"/>.
/// </summary>
internal readonly struct GeluTanhForward : IUnaryOperator
{
    public const float Low = -15f, High = 10f;
    public const float TwoSqrt2OverPi = 1.5957691216057307117597842397375f;
    public const float Cubic = 0.044715f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x)
    {
        if (x > High) return x;
        float c = x < Low ? Low : x;
        return c * ElementMath.Sigmoid(TwoSqrt2OverPi * (c + Cubic * c * c * c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<float> c = ElementMath.Clamp(x, Low, High);
        Vector128<float> twoU = Vector128.Create(TwoSqrt2OverPi) * Vector128.MultiplyAddEstimate(Vector128.Create(Cubic) * c * c, c, c);
        return Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(High)), x, c * ElementMath.Sigmoid(twoU));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> c = ElementMath.Clamp(x, Low, High);
        Vector256<float> twoU = Vector256.Create(TwoSqrt2OverPi) * Vector256.MultiplyAddEstimate(Vector256.Create(Cubic) * c * c, c, c);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(High)), x, c * ElementMath.Sigmoid(twoU));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> c = ElementMath.Clamp(x, Low, High);
        Vector512<float> twoU = Vector512.Create(TwoSqrt2OverPi) * Vector512.MultiplyAddEstimate(Vector512.Create(Cubic) * c * c, c, c);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(High)), x, c * ElementMath.Sigmoid(twoU));
    }
}

/// <summary>dx = dy·(σ(2u) + x·σ'(2u)·2u'), on x clamped to [−15, 10]. Reads x.</summary>
internal readonly struct GeluTanhBackward : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float dy)
    {
        float c = Math.Clamp(x, GeluTanhForward.Low, GeluTanhForward.High);
        float c2 = c * c;
        float s = ElementMath.SigmoidAndSlope(GeluTanhForward.TwoSqrt2OverPi * (c + GeluTanhForward.Cubic * c2 * c), out float slope);
        float du = GeluTanhForward.TwoSqrt2OverPi * (1 + 3 * GeluTanhForward.Cubic * c2);
        return dy * (s + c * slope * du);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
    {
        Vector128<float> c = ElementMath.Clamp(x, GeluTanhForward.Low, GeluTanhForward.High);
        Vector128<float> c2 = c * c;
        Vector128<float> k = Vector128.Create(GeluTanhForward.TwoSqrt2OverPi);
        Vector128<float> twoU = k * Vector128.MultiplyAddEstimate(Vector128.Create(GeluTanhForward.Cubic) * c2, c, c);
        Vector128<float> s = ElementMath.SigmoidAndSlope(twoU, out Vector128<float> slope);
        Vector128<float> du = k * Vector128.MultiplyAddEstimate(Vector128.Create(3 * GeluTanhForward.Cubic), c2, Vector128<float>.One);
        return dy * Vector128.MultiplyAddEstimate(c * slope, du, s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
    {
        Vector256<float> c = ElementMath.Clamp(x, GeluTanhForward.Low, GeluTanhForward.High);
        Vector256<float> c2 = c * c;
        Vector256<float> k = Vector256.Create(GeluTanhForward.TwoSqrt2OverPi);
        Vector256<float> twoU = k * Vector256.MultiplyAddEstimate(Vector256.Create(GeluTanhForward.Cubic) * c2, c, c);
        Vector256<float> s = ElementMath.SigmoidAndSlope(twoU, out Vector256<float> slope);
        Vector256<float> du = k * Vector256.MultiplyAddEstimate(Vector256.Create(3 * GeluTanhForward.Cubic), c2, Vector256<float>.One);
        return dy * Vector256.MultiplyAddEstimate(c * slope, du, s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
    {
        Vector512<float> c = ElementMath.Clamp(x, GeluTanhForward.Low, GeluTanhForward.High);
        Vector512<float> c2 = c * c;
        Vector512<float> k = Vector512.Create(GeluTanhForward.TwoSqrt2OverPi);
        Vector512<float> twoU = k * Vector512.MultiplyAddEstimate(Vector512.Create(GeluTanhForward.Cubic) * c2, c, c);
        Vector512<float> s = ElementMath.SigmoidAndSlope(twoU, out Vector512<float> slope);
        Vector512<float> du = k * Vector512.MultiplyAddEstimate(Vector512.Create(3 * GeluTanhForward.Cubic), c2, Vector512<float>.One);
        return dy * Vector512.MultiplyAddEstimate(c * slope, du, s);
    }
}
