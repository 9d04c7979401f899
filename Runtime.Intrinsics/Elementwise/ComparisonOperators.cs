using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

// The comparisons give 1 where they hold and 0 elsewhere (a boolean held as a float, as ONNX's bool tensors are
// inside a graph of float32 values). A vector comparison's lane is all ones or all zeros, so the lane ANDed with
// 1.0's bits is exactly 1 or +0. NaN compares false with everything, as IEEE 754 and C# do; +0 equals −0.

/// <summary>a == b as 1 or 0.</summary>
internal readonly struct EqualOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Invoke(float a, float b) => a == b ? 1 : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.Equals(a, b) & Vector128<float>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b) & Vector256<float>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.Equals(a, b) & Vector512<float>.One;
}

/// <summary>a &lt; b as 1 or 0.</summary>
internal readonly struct LessOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Invoke(float a, float b) => a < b ? 1 : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b) & Vector128<float>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b) & Vector256<float>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.LessThan(a, b) & Vector512<float>.One;
}

/// <summary>a ≤ b as 1 or 0.</summary>
internal readonly struct LessOrEqualOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Invoke(float a, float b) => a <= b ? 1 : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.LessThanOrEqual(a, b) & Vector128<float>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.LessThanOrEqual(a, b) & Vector256<float>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.LessThanOrEqual(a, b) & Vector512<float>.One;
}

/// <summary>a &gt; b as 1 or 0.</summary>
internal readonly struct GreaterOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Invoke(float a, float b) => a > b ? 1 : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThan(a, b) & Vector128<float>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThan(a, b) & Vector256<float>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThan(a, b) & Vector512<float>.One;
}

/// <summary>a ≥ b as 1 or 0.</summary>
internal readonly struct GreaterOrEqualOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Invoke(float a, float b) => a >= b ? 1 : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThanOrEqual(a, b) & Vector128<float>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThanOrEqual(a, b) & Vector256<float>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThanOrEqual(a, b) & Vector512<float>.One;
}
