using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// x·σ(x) (Swish). σ is evaluated on x clamped to [−110, 20]: x·σ(x) has underflowed to 0 below and equals x above
/// (σ rounds to 1 from 17), and the clamp keeps −Inf from meeting 0.
/// </summary>
internal readonly struct SiluForward : IUnaryOperator
{
    public const float Low = -110f, High = 20f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x)
    {
        if (x > High) return x;
        float c = x < Low ? Low : x;
        return c * ElementMath.Sigmoid(c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<float> c = ElementMath.Clamp(x, Low, High);
        return Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(High)), x, c * ElementMath.Sigmoid(c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> c = ElementMath.Clamp(x, Low, High);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(High)), x, c * ElementMath.Sigmoid(c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> c = ElementMath.Clamp(x, Low, High);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(High)), x, c * ElementMath.Sigmoid(c));
    }
}

/// <summary>dx = dy·(σ(x) + x·σ(x)(1 − σ(x))), on x clamped to [−110, 20]. Reads x.</summary>
internal readonly struct SiluBackward : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float dy)
    {
        float c = Math.Clamp(x, SiluForward.Low, SiluForward.High);
        float s = ElementMath.SigmoidAndSlope(c, out float slope);
        return dy * (s + c * slope);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
    {
        Vector128<float> c = ElementMath.Clamp(x, SiluForward.Low, SiluForward.High);
        Vector128<float> s = ElementMath.SigmoidAndSlope(c, out Vector128<float> slope);
        return dy * Vector128.MultiplyAddEstimate(c, slope, s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
    {
        Vector256<float> c = ElementMath.Clamp(x, SiluForward.Low, SiluForward.High);
        Vector256<float> s = ElementMath.SigmoidAndSlope(c, out Vector256<float> slope);
        return dy * Vector256.MultiplyAddEstimate(c, slope, s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
    {
        Vector512<float> c = ElementMath.Clamp(x, SiluForward.Low, SiluForward.High);
        Vector512<float> s = ElementMath.SigmoidAndSlope(c, out Vector512<float> slope);
        return dy * Vector512.MultiplyAddEstimate(c, slope, s);
    }
}
