using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// SELU, γ·(x for x &gt; 0, α·(eˣ − 1) otherwise) with γ &gt; 0 and α ≥ 0 (ONNX's Selu), forward and backward.
/// PyTorch's constants (<see cref="DefaultAlpha"/>, <see cref="DefaultGamma"/>, also ONNX's defaults) are what
/// <see cref="ActivationKind.Selu"/> runs. Backward reads the output: for x ≤ 0, γ·α·eˣ = y + γ·α, so no exp; that
/// needs y &gt; 0 exactly when x &gt; 0, hence the signs. y may be the same span as x, dx as dy.
/// </summary>
public static class Selu
{
    public const float DefaultGamma = 1.0507009873554804934193349852946f;
    public const float DefaultAlpha = 1.6732632423543772848170429916717f;

    /// <summary>y = selu(x) over x.Length elements.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, float alpha, float gamma) => Forward(x, y, alpha, gamma, Isa.Width);

    /// <summary>dx = selu′(x)·dy over dy.Length elements, from the forward's output y.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float alpha, float gamma) =>
        Backward(y, dy, dx, alpha, gamma, Isa.Width);

    /// <summary>Why (α, γ) cannot run, or null: both finite, γ &gt; 0, α ≥ 0.</summary>
    public static string? Problem(float alpha, float gamma) =>
        !float.IsFinite(alpha) || !float.IsFinite(gamma) ? "alpha and gamma must be finite numbers"
        : !(gamma > 0) ? "gamma must be positive (the backward pass reads the output, whose sign must be the input's)"
        : !(alpha >= 0) ? "alpha must not be negative (the backward pass reads the output, whose sign must be the input's)"
        : null;

    internal static void Forward(ReadOnlySpan<float> x, Span<float> y, float alpha, float gamma, SimdWidth width)
    {
        Check(alpha, gamma);
        SpanChecks.AtLeast(y.Length, x.Length, nameof(y));
        SpanChecks.SameOrDisjoint(x, y, nameof(x), nameof(y));
        UnaryDriver.Run(new SeluForward(alpha, gamma), x, y, width);
    }

    internal static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float alpha, float gamma, SimdWidth width)
    {
        Check(alpha, gamma);
        SpanChecks.AtLeast(y.Length, dy.Length, nameof(y));
        SpanChecks.AtLeast(dx.Length, dy.Length, nameof(dx));
        SpanChecks.SameOrDisjoint(y, dx, nameof(y), nameof(dx));
        SpanChecks.SameOrDisjoint(dy, dx, nameof(dy), nameof(dx));
        BinaryDriver.Run(new SeluBackward(alpha, gamma), y.Slice(0, dy.Length), dy, dx, width);
    }

    private static void Check(float alpha, float gamma)
    {
        if (Problem(alpha, gamma) is string problem) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"SELU's {problem}; got gamma {gamma}.");
    }
}

/// <summary>γ·(x for x &gt; 0, α·(eˣ − 1) otherwise), with expm1 so small negative x keeps its precision.</summary>
internal readonly struct SeluForward(float alpha, float gamma) : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => gamma * (x > 0 ? x : alpha * ElementMath.Expm1(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Create(gamma) *
        Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, Vector128.Create(alpha) * ElementMath.Expm1(x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Create(gamma) *
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, Vector256.Create(alpha) * ElementMath.Expm1(x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Create(gamma) *
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, Vector512.Create(alpha) * ElementMath.Expm1(x));
}

/// <summary>dx = γ·dy for y &gt; 0, dy·(y + γ·α) otherwise. Reads the output y.</summary>
internal readonly struct SeluBackward(float alpha, float gamma) : IBinaryOperator
{
    private readonly float _gammaAlpha = gamma * alpha;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float y, float dy) => y > 0 ? dy * gamma : dy * (y + _gammaAlpha);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => Vector128.ConditionalSelect(
        Vector128.GreaterThan(y, Vector128<float>.Zero), dy * Vector128.Create(gamma), dy * (y + Vector128.Create(_gammaAlpha)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => Vector256.ConditionalSelect(
        Vector256.GreaterThan(y, Vector256<float>.Zero), dy * Vector256.Create(gamma), dy * (y + Vector256.Create(_gammaAlpha)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => Vector512.ConditionalSelect(
        Vector512.GreaterThan(y, Vector512<float>.Zero), dy * Vector512.Create(gamma), dy * (y + Vector512.Create(_gammaAlpha)));
}
