using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

internal readonly struct TanhForward : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => ElementMath.Tanh(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) => ElementMath.Tanh(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => ElementMath.Tanh(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => ElementMath.Tanh(x);
}

/// <summary>dx = dy·(1 − y)(1 + y), factored so y near ±1 does not cancel. Reads the output y.</summary>
internal readonly struct TanhBackward : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float y, float dy) => dy * ((1 - y) * (1 + y));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) =>
        dy * ((Vector128<float>.One - y) * (Vector128<float>.One + y));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) =>
        dy * ((Vector256<float>.One - y) * (Vector256<float>.One + y));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) =>
        dy * ((Vector512<float>.One - y) * (Vector512<float>.One + y));
}
