using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>x·hardsigmoid(x): 0 for x ≤ −3, x for x ≥ 3 (so ±Inf give 0 and +Inf).</summary>
internal readonly struct HardSwishForward : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => x <= -3 ? 0 : x >= 3 ? x : x * (x * (1f / 6) + 0.5f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<float> mid = x * Vector128.MultiplyAddEstimate(x, Vector128.Create(1f / 6), Vector128.Create(0.5f));
        mid = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128.Create(3f)), x, mid);
        return Vector128.ConditionalSelect(Vector128.LessThanOrEqual(x, Vector128.Create(-3f)), Vector128<float>.Zero, mid);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> mid = x * Vector256.MultiplyAddEstimate(x, Vector256.Create(1f / 6), Vector256.Create(0.5f));
        mid = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256.Create(3f)), x, mid);
        return Vector256.ConditionalSelect(Vector256.LessThanOrEqual(x, Vector256.Create(-3f)), Vector256<float>.Zero, mid);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> mid = x * Vector512.MultiplyAddEstimate(x, Vector512.Create(1f / 6), Vector512.Create(0.5f));
        mid = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512.Create(3f)), x, mid);
        return Vector512.ConditionalSelect(Vector512.LessThanOrEqual(x, Vector512.Create(-3f)), Vector512<float>.Zero, mid);
    }
}

/// <summary>dx = 0 for x &lt; −3, dy·(x/3 + 1/2) for x ≤ 3, dy above (PyTorch's choice at the kinks). Reads x.</summary>
internal readonly struct HardSwishBackward : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float dy) => x < -3 ? 0 : x <= 3 ? dy * (x * (1f / 3) + 0.5f) : dy;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
    {
        Vector128<float> mid = dy * Vector128.MultiplyAddEstimate(x, Vector128.Create(1f / 3), Vector128.Create(0.5f));
        mid = Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(3f)), dy, mid);
        return Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(-3f)), Vector128<float>.Zero, mid);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
    {
        Vector256<float> mid = dy * Vector256.MultiplyAddEstimate(x, Vector256.Create(1f / 3), Vector256.Create(0.5f));
        mid = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(3f)), dy, mid);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(-3f)), Vector256<float>.Zero, mid);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
    {
        Vector512<float> mid = dy * Vector512.MultiplyAddEstimate(x, Vector512.Create(1f / 3), Vector512.Create(0.5f));
        mid = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(3f)), dy, mid);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(-3f)), Vector512<float>.Zero, mid);
    }
}
