using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>max(0, min(1, x/6 + 1/2)), as PyTorch defines it.</summary>
internal readonly struct HardSigmoidForward : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => x <= -3 ? 0 : x >= 3 ? 1 : x * (1f / 6) + 0.5f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<float> mid = Vector128.MultiplyAddEstimate(x, Vector128.Create(1f / 6), Vector128.Create(0.5f));
        mid = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128.Create(3f)), Vector128<float>.One, mid);
        return Vector128.ConditionalSelect(Vector128.LessThanOrEqual(x, Vector128.Create(-3f)), Vector128<float>.Zero, mid);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> mid = Vector256.MultiplyAddEstimate(x, Vector256.Create(1f / 6), Vector256.Create(0.5f));
        mid = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256.Create(3f)), Vector256<float>.One, mid);
        return Vector256.ConditionalSelect(Vector256.LessThanOrEqual(x, Vector256.Create(-3f)), Vector256<float>.Zero, mid);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> mid = Vector512.MultiplyAddEstimate(x, Vector512.Create(1f / 6), Vector512.Create(0.5f));
        mid = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512.Create(3f)), Vector512<float>.One, mid);
        return Vector512.ConditionalSelect(Vector512.LessThanOrEqual(x, Vector512.Create(-3f)), Vector512<float>.Zero, mid);
    }
}

/// <summary>dx = dy/6 strictly inside (−3, 3), else 0 (PyTorch's choice at the kinks). Reads x.</summary>
internal readonly struct HardSigmoidBackward : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float dy) => x > -3 && x < 3 ? dy * (1f / 6) : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy) =>
        Vector128.GreaterThan(x, Vector128.Create(-3f)) & Vector128.LessThan(x, Vector128.Create(3f)) & (dy * Vector128.Create(1f / 6));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) =>
        Vector256.GreaterThan(x, Vector256.Create(-3f)) & Vector256.LessThan(x, Vector256.Create(3f)) & (dy * Vector256.Create(1f / 6));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) =>
        Vector512.GreaterThan(x, Vector512.Create(-3f)) & Vector512.LessThan(x, Vector512.Create(3f)) & (dy * Vector512.Create(1f / 6));
}
