using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>x/(1 + |x|), on x clamped to ±1e30 so ±Inf gives ±1 rather than Inf/Inf.</summary>
internal readonly struct SoftsignForward : IUnaryOperator
{
    private const float Limit = 1e30f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x)
    {
        float c = Math.Clamp(x, -Limit, Limit);
        return c / (1 + MathF.Abs(c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<float> c = ElementMath.Clamp(x, -Limit, Limit);
        return c / (Vector128<float>.One + Vector128.Abs(c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> c = ElementMath.Clamp(x, -Limit, Limit);
        return c / (Vector256<float>.One + Vector256.Abs(c));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> c = ElementMath.Clamp(x, -Limit, Limit);
        return c / (Vector512<float>.One + Vector512.Abs(c));
    }
}

/// <summary>dx = dy/(1 + |x|)²; the square overflowing to +Inf gives 0. Reads x.</summary>
internal readonly struct SoftsignBackward : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float dy)
    {
        float d = 1 + MathF.Abs(x);
        return dy / (d * d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
    {
        Vector128<float> d = Vector128<float>.One + Vector128.Abs(x);
        return dy / (d * d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
    {
        Vector256<float> d = Vector256<float>.One + Vector256.Abs(x);
        return dy / (d * d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
    {
        Vector512<float> d = Vector512<float>.One + Vector512.Abs(x);
        return dy / (d * d);
    }
}
