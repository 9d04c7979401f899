using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

internal static partial class ElementMath
{
    /// <summary>1/(1+e⁻ˣ): e⁻ˣ overflowing to +Inf gives 0, never NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => 1 / (1 + MathF.Exp(-x));

    /// <summary>
    /// σ(x) and σ(x)·(1 − σ(x)) from one exp of −|x| ≤ 0, which cannot overflow: with e = e^−|x| and q = 1/(1+e),
    /// σ(|x|) = q, σ(−|x|) = e·q and the product is e·q². Forming 1 − σ directly would cancel for large x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SigmoidAndSlope(float x, out float slope)
    {
        float e = MathF.Exp(-MathF.Abs(x));
        float q = 1 / (1 + e);
        slope = e * q * q;
        return x >= 0 ? q : e * q;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Exp(-x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SigmoidAndSlope(Vector128<float> x, out Vector128<float> slope)
    {
        Vector128<float> e = Exp(-Vector128.Abs(x));
        Vector128<float> q = Vector128<float>.One / (Vector128<float>.One + e);
        Vector128<float> eq = e * q;
        slope = eq * q;
        return Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), q, eq);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SigmoidAndSlope(Vector256<float> x, out Vector256<float> slope)
    {
        Vector256<float> e = Exp(-Vector256.Abs(x));
        Vector256<float> q = Vector256<float>.One / (Vector256<float>.One + e);
        Vector256<float> eq = e * q;
        slope = eq * q;
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), q, eq);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SigmoidAndSlope(Vector512<float> x, out Vector512<float> slope)
    {
        Vector512<float> e = Exp(-Vector512.Abs(x));
        Vector512<float> q = Vector512<float>.One / (Vector512<float>.One + e);
        Vector512<float> eq = e * q;
        slope = eq * q;
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), q, eq);
    }
}
