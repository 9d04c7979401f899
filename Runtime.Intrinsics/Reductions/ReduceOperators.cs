using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>a + |b|: accumulates an L1 norm.</summary>
internal readonly struct AddAbsOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float a, float b) => a + MathF.Abs(b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => a + Vector128.Abs(b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a + Vector256.Abs(b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a + Vector512.Abs(b);
}

/// <summary>a + b²: accumulates a sum of squares.</summary>
internal readonly struct AddSquareOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float a, float b) => a + b * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => a + b * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a + b * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a + b * b;
}

/// <summary>b where it is finite, else 0 (a unused): log-sum-exp's shift, which an infinite maximum must not be.</summary>
internal readonly struct FiniteOrZeroSecondOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float a, float b) => float.IsInfinity(b) ? 0 : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(Vector128.Equals(Vector128.Abs(b), Vector128.Create(float.PositiveInfinity)), Vector128<float>.Zero, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.ConditionalSelect(Vector256.Equals(Vector256.Abs(b), Vector256.Create(float.PositiveInfinity)), Vector256<float>.Zero, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.ConditionalSelect(Vector512.Equals(Vector512.Abs(b), Vector512.Create(float.PositiveInfinity)), Vector512<float>.Zero, b);
}

/// <summary>exp(x − r): log-sum-exp's terms and its gradient's weights.</summary>
internal readonly struct ExpDifferenceOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float r) => MathF.Exp(x - r);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> r) => ElementMath.Exp(x - r);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> r) => ElementMath.Exp(x - r);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> r) => ElementMath.Exp(x - r);
}

/// <summary>a + log b: log-sum-exp from its shift and its sum of terms.</summary>
internal readonly struct LogAddOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float a, float b) => a + MathF.Log(b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => a + Vector128.Log(b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => a + Vector256.Log(b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => a + Vector512.Log(b);
}

/// <summary>b (a unused): broadcasts the gradient of a sum.</summary>
internal readonly struct SecondOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float a, float b) => b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => b;
}

/// <summary>2·x·r: the gradient of a sum of squares.</summary>
internal readonly struct TwiceProductOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float r) => 2 * x * r;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> r) => Vector128.Create(2f) * x * r;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> r) => Vector256.Create(2f) * x * r;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> r) => Vector512.Create(2f) * x * r;
}

/// <summary>1 where x equals the extreme r (NaN matching NaN), else 0: the ties a max or min gradient is shared among.</summary>
internal readonly struct TieMaskOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float r) => x == r || (float.IsNaN(x) && float.IsNaN(r)) ? 1 : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> r) => (Vector128.Equals(x, r) | (Vector128.IsNaN(x) & Vector128.IsNaN(r))) & Vector128.Create(1f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> r) => (Vector256.Equals(x, r) | (Vector256.IsNaN(x) & Vector256.IsNaN(r))) & Vector256.Create(1f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> r) => (Vector512.Equals(x, r) | (Vector512.IsNaN(x) & Vector512.IsNaN(r))) & Vector512.Create(1f);
}

/// <summary>r / x where x ≠ 0, else 0: the gradient weight of an L2 norm (dy / norm) and of a product (dy·Π / x).</summary>
internal readonly struct GuardedQuotientOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float r) => x != 0 ? r / x : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> r) => Vector128.ConditionalSelect(Vector128.Equals(x, Vector128<float>.Zero), Vector128<float>.Zero, r / x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> r) => Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<float>.Zero), Vector256<float>.Zero, r / x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> r) => Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<float>.Zero), Vector512<float>.Zero, r / x);
}

/// <summary>r where x = 0, else 0: the gradient of a product at its one zero factor.</summary>
internal readonly struct AtZeroOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float r) => x == 0 ? r : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> r) => Vector128.Equals(x, Vector128<float>.Zero) & r;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> r) => Vector256.Equals(x, Vector256<float>.Zero) & r;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> r) => Vector512.Equals(x, Vector512<float>.Zero) & r;
}

/// <summary>1 where b = 0, else 0 (a unused): counts a product's zero factors.</summary>
internal readonly struct ZeroIndicatorOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float a, float b) => b == 0 ? 1 : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.Equals(b, Vector128<float>.Zero) & Vector128.Create(1f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.Equals(b, Vector256<float>.Zero) & Vector256.Create(1f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.Equals(b, Vector512<float>.Zero) & Vector512.Create(1f);
}

/// <summary>b, with 1 for 0 (a unused): the product of the factors other than zeros.</summary>
internal readonly struct OneForZeroOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float a, float b) => b == 0 ? 1 : b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(Vector128.Equals(b, Vector128<float>.Zero), Vector128.Create(1f), b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> b) => Vector256.ConditionalSelect(Vector256.Equals(b, Vector256<float>.Zero), Vector256.Create(1f), b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> b) => Vector512.ConditionalSelect(Vector512.Equals(b, Vector512<float>.Zero), Vector512.Create(1f), b);
}
