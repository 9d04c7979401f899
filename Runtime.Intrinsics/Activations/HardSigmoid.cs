using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// HardSigmoid, max(0, min(1, α·x + β)) (ONNX's HardSigmoid, default α 0.2, β 0.5), forward and backward.
/// PyTorch's <c>hardsigmoid</c> is α = 1/6, β = 1/2 (<see cref="DefaultAlpha"/>, <see cref="DefaultBeta"/>), which
/// <see cref="ActivationKind.HardSigmoid"/> runs. Backward reads the input x. y may be the same span as x, dx as dy.
/// </summary>
public static class HardSigmoid
{
    public const float DefaultAlpha = 1f / 6;
    public const float DefaultBeta = 0.5f;

    /// <summary>y = max(0, min(1, α·x + β)) over x.Length elements; α and β must be finite.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, float alpha, float beta) => Forward(x, y, alpha, beta, Isa.Width);

    /// <summary>dx = α·dy where 0 &lt; α·x + β &lt; 1, else 0, over dy.Length elements, from the forward's input x.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float alpha, float beta) =>
        Backward(x, dy, dx, alpha, beta, Isa.Width);

    internal static void Forward(ReadOnlySpan<float> x, Span<float> y, float alpha, float beta, SimdWidth width)
    {
        Check(alpha, beta);
        SpanChecks.AtLeast(y.Length, x.Length, nameof(y));
        SpanChecks.SameOrDisjoint(x, y, nameof(x), nameof(y));
        UnaryDriver.Run(new HardSigmoidForward(alpha, beta), x, y, width);
    }

    internal static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float alpha, float beta, SimdWidth width)
    {
        Check(alpha, beta);
        SpanChecks.AtLeast(x.Length, dy.Length, nameof(x));
        SpanChecks.AtLeast(dx.Length, dy.Length, nameof(dx));
        SpanChecks.SameOrDisjoint(x, dx, nameof(x), nameof(dx));
        SpanChecks.SameOrDisjoint(dy, dx, nameof(dy), nameof(dx));
        BinaryDriver.Run(new HardSigmoidBackward(alpha, beta), x.Slice(0, dy.Length), dy, dx, width);
    }

    private static void Check(float alpha, float beta)
    {
        if (!float.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "HardSigmoid's alpha must be a finite number.");
        if (!float.IsFinite(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "HardSigmoid's beta must be a finite number.");
    }
}

/// <summary>
/// Where α·x + β leaves [0, 1]: at or below <see cref="Low"/> the output is <see cref="AtLow"/>, at or above
/// <see cref="High"/> it is <see cref="AtHigh"/>, and strictly between the line (clamped, for the last rounding)
/// and its slope α. The bounds are −β/α and (1 − β)/α rounded once, so PyTorch's 1/6, 1/2 gives exactly ∓3, the
/// comparisons PyTorch's kernel makes. α = 0 is the constant clamp(β) with slope 0 everywhere.
/// </summary>
internal readonly struct HardSigmoidLine
{
    public HardSigmoidLine(float alpha, float beta)
    {
        Alpha = alpha;
        Beta = beta;
        if (alpha == 0)
        {
            Low = High = float.PositiveInfinity;
            AtLow = AtHigh = Math.Clamp(beta, 0f, 1f);
            return;
        }
        float zero = (float)(-(double)beta / alpha), one = (float)((1 - (double)beta) / alpha);
        (Low, AtLow, High, AtHigh) = alpha > 0 ? (zero, 0f, one, 1f) : (one, 1f, zero, 0f);
    }

    public float Alpha { get; }
    public float Beta { get; }
    public float Low { get; }
    public float AtLow { get; }
    public float High { get; }
    public float AtHigh { get; }
}

/// <summary>max(0, min(1, α·x + β)); NaN stays NaN, ±Inf gives the limit.</summary>
internal readonly struct HardSigmoidForward(float alpha, float beta) : IUnaryOperator
{
    private readonly HardSigmoidLine _line = new(alpha, beta);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x)
    {
        if (x <= _line.Low) return _line.AtLow;
        if (x >= _line.High) return _line.AtHigh;
        float mid = x * _line.Alpha + _line.Beta;
        return mid > 1 ? 1 : mid < 0 ? 0 : mid;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<float> mid = Vector128.MultiplyAddEstimate(x, Vector128.Create(_line.Alpha), Vector128.Create(_line.Beta));
        mid = Vector128.ConditionalSelect(Vector128.GreaterThan(mid, Vector128<float>.One), Vector128<float>.One, mid);
        mid = Vector128.ConditionalSelect(Vector128.LessThan(mid, Vector128<float>.Zero), Vector128<float>.Zero, mid);
        mid = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128.Create(_line.High)), Vector128.Create(_line.AtHigh), mid);
        return Vector128.ConditionalSelect(Vector128.LessThanOrEqual(x, Vector128.Create(_line.Low)), Vector128.Create(_line.AtLow), mid);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> mid = Vector256.MultiplyAddEstimate(x, Vector256.Create(_line.Alpha), Vector256.Create(_line.Beta));
        mid = Vector256.ConditionalSelect(Vector256.GreaterThan(mid, Vector256<float>.One), Vector256<float>.One, mid);
        mid = Vector256.ConditionalSelect(Vector256.LessThan(mid, Vector256<float>.Zero), Vector256<float>.Zero, mid);
        mid = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256.Create(_line.High)), Vector256.Create(_line.AtHigh), mid);
        return Vector256.ConditionalSelect(Vector256.LessThanOrEqual(x, Vector256.Create(_line.Low)), Vector256.Create(_line.AtLow), mid);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> mid = Vector512.MultiplyAddEstimate(x, Vector512.Create(_line.Alpha), Vector512.Create(_line.Beta));
        mid = Vector512.ConditionalSelect(Vector512.GreaterThan(mid, Vector512<float>.One), Vector512<float>.One, mid);
        mid = Vector512.ConditionalSelect(Vector512.LessThan(mid, Vector512<float>.Zero), Vector512<float>.Zero, mid);
        mid = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512.Create(_line.High)), Vector512.Create(_line.AtHigh), mid);
        return Vector512.ConditionalSelect(Vector512.LessThanOrEqual(x, Vector512.Create(_line.Low)), Vector512.Create(_line.AtLow), mid);
    }
}

/// <summary>dx = α·dy strictly between the kinks, else 0 (PyTorch's choice at the kinks). Reads x.</summary>
internal readonly struct HardSigmoidBackward(float alpha, float beta) : IBinaryOperator
{
    private readonly HardSigmoidLine _line = new(alpha, beta);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float dy) => x > _line.Low && x < _line.High ? dy * _line.Alpha : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy) =>
        Vector128.GreaterThan(x, Vector128.Create(_line.Low)) & Vector128.LessThan(x, Vector128.Create(_line.High)) & (dy * Vector128.Create(_line.Alpha));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) =>
        Vector256.GreaterThan(x, Vector256.Create(_line.Low)) & Vector256.LessThan(x, Vector256.Create(_line.High)) & (dy * Vector256.Create(_line.Alpha));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) =>
        Vector512.GreaterThan(x, Vector512.Create(_line.Low)) & Vector512.LessThan(x, Vector512.Create(_line.High)) & (dy * Vector512.Create(_line.Alpha));
}
