using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

// Booleans held as floats: any value other than ±0 is true (NaN included, as a C cast to bool reads it), and the
// result is 1 or 0. A lane that equals zero compares all ones, so "true" is the complement of that mask.

/// <summary>a and b as 1 or 0.</summary>
internal readonly struct AndOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Invoke(float a, float b) => a != 0 && b != 0 ? 1 : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.AndNot(Vector128<float>.One, Vector128.Equals(a, Vector128<float>.Zero) | Vector128.Equals(b, Vector128<float>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.AndNot(Vector256<float>.One, Vector256.Equals(a, Vector256<float>.Zero) | Vector256.Equals(b, Vector256<float>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.AndNot(Vector512<float>.One, Vector512.Equals(a, Vector512<float>.Zero) | Vector512.Equals(b, Vector512<float>.Zero));
}

/// <summary>a or b as 1 or 0.</summary>
internal readonly struct OrOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Invoke(float a, float b) => a != 0 || b != 0 ? 1 : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.AndNot(Vector128<float>.One, Vector128.Equals(a, Vector128<float>.Zero) & Vector128.Equals(b, Vector128<float>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.AndNot(Vector256<float>.One, Vector256.Equals(a, Vector256<float>.Zero) & Vector256.Equals(b, Vector256<float>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.AndNot(Vector512<float>.One, Vector512.Equals(a, Vector512<float>.Zero) & Vector512.Equals(b, Vector512<float>.Zero));
}

/// <summary>a xor b as 1 or 0: exactly one of them is true, i.e. their "is zero" masks differ.</summary>
internal readonly struct XorOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Invoke(float a, float b) => (a != 0) != (b != 0) ? 1 : 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => (Vector128.Equals(a, Vector128<float>.Zero) ^ Vector128.Equals(b, Vector128<float>.Zero)) & Vector128<float>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => (Vector256.Equals(a, Vector256<float>.Zero) ^ Vector256.Equals(b, Vector256<float>.Zero)) & Vector256<float>.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => (Vector512.Equals(a, Vector512<float>.Zero) ^ Vector512.Equals(b, Vector512<float>.Zero)) & Vector512<float>.One;
}
