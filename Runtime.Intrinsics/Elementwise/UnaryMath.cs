namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Elementwise math on float spans, forward and backward. y may be the same span as x, and dx the same span as dy;
/// otherwise spans are disjoint. Every function is vectorised at every width; exp is <c>ElementMath</c>'s (2 ulp),
/// log the runtime library's vector log, erf a Taylor series below |x| = ½ and the Abramowitz–Stegun fit above
/// (relative error below 5e-7).
/// </summary>
public static class UnaryMath
{
    /// <summary>y = f(x) over x.Length elements; <paramref name="lo"/> and <paramref name="hi"/> are Clip's bounds.</summary>
    public static void Forward(UnaryFunction function, ReadOnlySpan<float> x, Span<float> y, float lo = float.NegativeInfinity, float hi = float.PositiveInfinity) =>
        Forward(function, x, y, lo, hi, Isa.Width);

    /// <summary>
    /// dx = dy·f′(x) over x.Length elements, from the forward's x and y (Exp, Sqrt and Reciprocal read y, the others x).
    /// Abs has slope 0 at 0; Clip passes dy where lo ≤ x ≤ hi.
    /// </summary>
    public static void Backward(UnaryFunction function, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx,
        float lo = float.NegativeInfinity, float hi = float.PositiveInfinity) => Backward(function, x, y, dy, dx, lo, hi, Isa.Width);

    /// <summary>True when the backward reads the forward's output rather than its input.</summary>
    public static bool BackwardReadsOutput(UnaryFunction function) => function is UnaryFunction.Exp or UnaryFunction.Sqrt or UnaryFunction.Reciprocal;

    internal static void Forward(UnaryFunction function, ReadOnlySpan<float> x, Span<float> y, float lo, float hi, SimdWidth width)
    {
        SpanChecks.AtLeast(y.Length, x.Length, nameof(y));
        SpanChecks.SameOrDisjoint(x, y, nameof(x), nameof(y));
        switch (function)
        {
            case UnaryFunction.Abs: UnaryDriver.Run(new AbsOperator(), x, y, width); break;
            case UnaryFunction.Negate: UnaryDriver.Run(new NegateOperator(), x, y, width); break;
            case UnaryFunction.Exp: UnaryDriver.Run(new ExpOperator(), x, y, width); break;
            case UnaryFunction.Log: UnaryDriver.Run(new LogOperator(), x, y, width); break;
            case UnaryFunction.Sqrt: UnaryDriver.Run(new SqrtOperator(), x, y, width); break;
            case UnaryFunction.Reciprocal: UnaryDriver.Run(new ReciprocalOperator(), x, y, width); break;
            case UnaryFunction.Erf: UnaryDriver.Run(new ErfOperator(), x, y, width); break;
            case UnaryFunction.Clip: UnaryDriver.Run(new ClipOperator(lo, hi), x, y, width); break;
            default: throw new ArgumentOutOfRangeException(nameof(function), function, "Not a unary function.");
        }
    }

    internal static void Backward(UnaryFunction function, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx,
        float lo, float hi, SimdWidth width)
    {
        ReadOnlySpan<float> v = BackwardReadsOutput(function) ? y : x;
        SpanChecks.AtLeast(v.Length, dy.Length, BackwardReadsOutput(function) ? nameof(y) : nameof(x));
        SpanChecks.AtLeast(dx.Length, dy.Length, nameof(dx));
        SpanChecks.SameOrDisjoint(dy, dx, nameof(dy), nameof(dx));
        SpanChecks.SameOrDisjoint(v, dx, BackwardReadsOutput(function) ? nameof(y) : nameof(x), nameof(dx));
        v = v.Slice(0, dy.Length);
        switch (function)
        {
            case UnaryFunction.Abs: BinaryDriver.Run(new AbsGradientOperator(), v, dy, dx, width); break;
            case UnaryFunction.Negate: UnaryDriver.Run(new NegateOperator(), dy, dx, width); break;
            case UnaryFunction.Exp: BinaryDriver.Run(new MultiplyOperator(), v, dy, dx, width); break;
            case UnaryFunction.Log: BinaryDriver.Run(new LogGradientOperator(), v, dy, dx, width); break;
            case UnaryFunction.Sqrt: BinaryDriver.Run(new SqrtGradientOperator(), v, dy, dx, width); break;
            case UnaryFunction.Reciprocal: BinaryDriver.Run(new ReciprocalGradientOperator(), v, dy, dx, width); break;
            case UnaryFunction.Erf: BinaryDriver.Run(new ErfGradientOperator(), v, dy, dx, width); break;
            case UnaryFunction.Clip: BinaryDriver.Run(new ClipGradientOperator(lo, hi), v, dy, dx, width); break;
            default: throw new ArgumentOutOfRangeException(nameof(function), function, "Not a unary function.");
        }
    }
}
