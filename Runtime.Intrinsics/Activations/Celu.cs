using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// CELU, max(0, x) + min(0, α·(e^(x/α) − 1)) with α &gt; 0 (ONNX's Celu, PyTorch's <c>celu</c>), forward and
/// backward. Backward reads the output: for x ≤ 0 the slope e^(x/α) is y/α + 1, so no exp. y may be the same span
/// as x, dx as dy.
/// </summary>
public static class Celu
{
    /// <summary>y = celu(x) over x.Length elements.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, float alpha) => Forward(x, y, alpha, Isa.Width);

    /// <summary>dx = celu′(x)·dy over dy.Length elements, from the forward's output y.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float alpha) => Backward(y, dy, dx, alpha, Isa.Width);

    internal static void Forward(ReadOnlySpan<float> x, Span<float> y, float alpha, SimdWidth width)
    {
        CheckAlpha(alpha);
        SpanChecks.AtLeast(y.Length, x.Length, nameof(y));
        SpanChecks.SameOrDisjoint(x, y, nameof(x), nameof(y));
        UnaryDriver.Run(new CeluForward(alpha), x, y, width);
    }

    internal static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float alpha, SimdWidth width)
    {
        CheckAlpha(alpha);
        SpanChecks.AtLeast(y.Length, dy.Length, nameof(y));
        SpanChecks.AtLeast(dx.Length, dy.Length, nameof(dx));
        SpanChecks.SameOrDisjoint(y, dx, nameof(y), nameof(dx));
        SpanChecks.SameOrDisjoint(dy, dx, nameof(dy), nameof(dx));
        BinaryDriver.Run(new CeluBackward(alpha), y.Slice(0, dy.Length), dy, dx, width);
    }

    private static void CheckAlpha(float alpha)
    {
        if (!(alpha > 0) || float.IsInfinity(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "CELU's alpha must be a positive finite number.");
    }
}

/// <summary>x for x &gt; 0, α·expm1(x/α) otherwise.</summary>
internal readonly struct CeluForward(float alpha) : IUnaryOperator
{
    private readonly float _inverse = 1 / alpha;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => x > 0 ? x : alpha * ElementMath.Expm1(x * _inverse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, Vector128.Create(alpha) * ElementMath.Expm1(x * Vector128.Create(_inverse)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, Vector256.Create(alpha) * ElementMath.Expm1(x * Vector256.Create(_inverse)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, Vector512.Create(alpha) * ElementMath.Expm1(x * Vector512.Create(_inverse)));
}

/// <summary>dx = dy for y &gt; 0, dy·(y/α + 1) otherwise (y &gt; 0 exactly when x &gt; 0, as α &gt; 0).</summary>
internal readonly struct CeluBackward(float alpha) : IBinaryOperator
{
    private readonly float _inverse = 1 / alpha;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float y, float dy) => y > 0 ? dy : dy * (y * _inverse + 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(y, Vector128<float>.Zero), dy, dy * (y * Vector128.Create(_inverse) + Vector128<float>.One));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<float>.Zero), dy, dy * (y * Vector256.Create(_inverse) + Vector256<float>.One));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<float>.Zero), dy, dy * (y * Vector512.Create(_inverse) + Vector512<float>.One));
}
