using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// PReLU, x for x &gt; 0 and slope·x otherwise, with the slope broadcast over x: x is shaped <c>dims</c> and the
/// slope has the size of the axes not marked in <c>broadcast</c> (size 1 on the marked ones: per channel, per
/// element, or one value). Backward as PyTorch's: dx = dy where x &gt; 0, slope·dy elsewhere; the slope's gradient
/// is Σ x·dy over the values with x ≤ 0 that share it (overwritten). x, y, dy and dx may alias as the overloads say.
/// </summary>
public static class PRelu
{
    /// <summary>y = prelu(x); y may be the same span as x.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> slope, ReadOnlySpan<int> dims, ReadOnlySpan<bool> broadcast, Span<float> y) =>
        Forward(x, slope, dims, broadcast, y, Isa.Width);

    /// <summary>
    /// dx (when not empty) and the slope's gradient. <paramref name="scratch"/> holds x.Length floats (the terms of
    /// the slope's gradient); dx must not be the same span as x or dy.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> slope, ReadOnlySpan<float> dy, Span<float> dx, Span<float> slopeGradient,
        ReadOnlySpan<int> dims, ReadOnlySpan<bool> broadcast, Span<float> scratch) =>
        Backward(x, slope, dy, dx, slopeGradient, dims, broadcast, scratch, Isa.Width);

    internal static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> slope, ReadOnlySpan<int> dims, ReadOnlySpan<bool> broadcast, Span<float> y, SimdWidth width)
    {
        int n = Check(x, slope, dims, broadcast);
        SpanChecks.AtLeast(y.Length, n, nameof(y));
        ReduceDriver.Broadcast(new PReluForwardOperator(), x, slope, dims, broadcast, y, width);
    }

    internal static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> slope, ReadOnlySpan<float> dy, Span<float> dx, Span<float> slopeGradient,
        ReadOnlySpan<int> dims, ReadOnlySpan<bool> broadcast, Span<float> scratch, SimdWidth width)
    {
        int n = Check(x, slope, dims, broadcast);
        SpanChecks.AtLeast(dy.Length, n, nameof(dy));
        SpanChecks.AtLeast(scratch.Length, n, nameof(scratch));
        SpanChecks.AtLeast(slopeGradient.Length, slope.Length, nameof(slopeGradient));
        x = x.Slice(0, n);
        dy = dy.Slice(0, n);
        if (!dx.IsEmpty)
        {
            SpanChecks.AtLeast(dx.Length, n, nameof(dx));
            ReduceDriver.Broadcast(new PReluSlopeOperator(), x, slope, dims, broadcast, dx, width);
            BinaryDriver.Run(new MultiplyOperator(), dx.Slice(0, n), dy, dx, width);
        }
        Span<float> terms = scratch.Slice(0, n), gradient = slopeGradient.Slice(0, slope.Length);
        BinaryDriver.Run(new PReluSlopeGradientOperator(), x, dy, terms, width);
        gradient.Clear();
        ReduceDriver.Accumulate(new AddOperator(), new AddOperator(), 0, terms, dims, broadcast, gradient, width);
    }

    private static int Check(ReadOnlySpan<float> x, ReadOnlySpan<float> slope, ReadOnlySpan<int> dims, ReadOnlySpan<bool> broadcast)
    {
        int slopes = AxisReductions.OutputLength(dims, broadcast);
        long n = 1;
        foreach (int d in dims) n *= d;
        SpanChecks.AtLeast(x.Length, checked((int)n), nameof(x));
        SpanChecks.AtLeast(slope.Length, slopes, nameof(slope));
        return (int)n;
    }
}

/// <summary>x for x &gt; 0, slope·x otherwise.</summary>
internal readonly struct PReluForwardOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float slope) => x > 0 ? x : slope * x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> slope) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, slope * x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> slope) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, slope * x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> slope) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, slope * x);
}

/// <summary>1 for x &gt; 0, the slope otherwise: dx/dy.</summary>
internal readonly struct PReluSlopeOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float slope) => x > 0 ? 1 : slope;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> slope) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), Vector128<float>.One, slope);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> slope) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.One, slope);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> slope) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.One, slope);
}

/// <summary>x·dy for x ≤ 0, else 0: one term of the slope's gradient.</summary>
internal readonly struct PReluSlopeGradientOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float dy) => x > 0 ? 0 : x * dy;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), Vector128<float>.Zero, x * dy);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.Zero, x * dy);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.Zero, x * dy);
}
