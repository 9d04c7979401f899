namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Reductions of a row-major tensor over any set of its axes (ONNX's ReduceSum, ReduceMean, ReduceMax, ReduceMin,
/// ReduceProd, ReduceL1, ReduceL2, ReduceLogSumExp and ReduceSumSquare), forward and backward. y has the kept axes
/// in order (a reduced axis counts as size 1). A reduction over no values gives the function's identity (Mean:
/// NaN, LogSumExp: −∞). NaN propagates; Max and Min return NaN when any value is NaN.
/// Backward follows PyTorch: Max and Min share dy evenly among the values equal to the result (NaN matching NaN,
/// as <c>amax</c> does); Prod gives dy·Π/x without zeros, dy·Π(others) to a single zero and 0 elsewhere, and 0
/// everywhere with two zeros or more; L2 gives 0 where the norm is 0; L1 has slope 0 at 0.
/// Sums along the innermost axis use several vector accumulators, so they differ between widths in the last bits;
/// sums across rows (an outer axis) add in order, the same at every width. x, y, dy and dx are disjoint.
/// </summary>
public static class AxisReductions
{
    /// <summary>y = f over the axes marked in <paramref name="reduced"/> of x, shaped <paramref name="dims"/>.</summary>
    /// <param name="scratch">At least <see cref="ScratchLength"/>(f, x.Length, y's length, backward: false) floats.</param>
    public static void Forward(ReduceFunction function, ReadOnlySpan<float> x, ReadOnlySpan<int> dims, ReadOnlySpan<bool> reduced, Span<float> y, Span<float> scratch) =>
        Forward(function, x, dims, reduced, y, scratch, Isa.Width);

    /// <summary>dx from the forward's x and y and dy (overwriting dx).</summary>
    /// <param name="scratch">At least <see cref="ScratchLength"/>(f, x.Length, y's length, backward: true) floats.</param>
    public static void Backward(ReduceFunction function, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx,
        ReadOnlySpan<int> dims, ReadOnlySpan<bool> reduced, Span<float> scratch) =>
        Backward(function, x, y, dy, dx, dims, reduced, scratch, Isa.Width);

    /// <summary>Floats of scratch a forward or backward call needs for x of <paramref name="length"/> and y of <paramref name="outputLength"/> elements.</summary>
    public static int ScratchLength(ReduceFunction function, int length, int outputLength, bool backward) => function switch
    {
        ReduceFunction.LogSumExp when !backward => length + outputLength,
        ReduceFunction.L2 or ReduceFunction.Max or ReduceFunction.Min when backward => outputLength,
        ReduceFunction.Prod when backward => length + 2 * outputLength,
        _ => 0,
    };

    /// <summary>Elements of y: the product of the kept axes.</summary>
    public static int OutputLength(ReadOnlySpan<int> dims, ReadOnlySpan<bool> reduced)
    {
        Check(dims, reduced);
        long length = 1;
        for (int i = 0; i < dims.Length; i++)
            if (!reduced[i]) length *= dims[i];
        return checked((int)length);
    }

    internal static void Forward(ReduceFunction function, ReadOnlySpan<float> x, ReadOnlySpan<int> dims, ReadOnlySpan<bool> reduced, Span<float> y, Span<float> scratch, SimdWidth width)
    {
        int n = Length(x, dims, reduced, out int m);
        SpanChecks.AtLeast(y.Length, m, nameof(y));
        SpanChecks.AtLeast(scratch.Length, ScratchLength(function, n, m, backward: false), nameof(scratch));
        y = y.Slice(0, m);
        switch (function)
        {
            case ReduceFunction.Sum: Sum(new AddOperator(), x, dims, reduced, y, width); break;
            case ReduceFunction.Mean:
                Sum(new AddOperator(), x, dims, reduced, y, width);
                UnaryDriver.Run(new ScaleOperator(1f / Count(dims, reduced)), y, y, width);
                break;
            case ReduceFunction.L1: Sum(new AddAbsOperator(), x, dims, reduced, y, width); break;
            case ReduceFunction.SumSquare: Sum(new AddSquareOperator(), x, dims, reduced, y, width); break;
            case ReduceFunction.L2:
                Sum(new AddSquareOperator(), x, dims, reduced, y, width);
                UnaryDriver.Run(new SqrtOperator(), y, y, width);
                break;
            case ReduceFunction.Max: Extreme(new MaximumOperator(), float.NegativeInfinity, x, dims, reduced, y, width); break;
            case ReduceFunction.Min: Extreme(new MinimumOperator(), float.PositiveInfinity, x, dims, reduced, y, width); break;
            case ReduceFunction.Prod: Extreme(new MultiplyOperator(), 1, x, dims, reduced, y, width); break;
            case ReduceFunction.LogSumExp:
                {
                    // y = shift + log Σ exp(x − shift), the shift the maximum where it is finite (0 where it is ±∞, so
                    // that all −∞ gives −∞ and any +∞ gives +∞ rather than NaN).
                    Extreme(new MaximumOperator(), float.NegativeInfinity, x, dims, reduced, y, width);
                    BinaryDriver.Run(new FiniteOrZeroSecondOperator(), y, y, y, width);
                    Span<float> terms = scratch.Slice(0, n), sums = scratch.Slice(n, m);
                    ReduceDriver.Broadcast(new ExpDifferenceOperator(), x, y, dims, reduced, terms, width);
                    Sum(new AddOperator(), terms, dims, reduced, sums, width);
                    BinaryDriver.Run(new LogAddOperator(), y, sums, y, width);
                    break;
                }
            default: throw new ArgumentOutOfRangeException(nameof(function), function, "Not a reduce function.");
        }
    }

    internal static void Backward(ReduceFunction function, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx,
        ReadOnlySpan<int> dims, ReadOnlySpan<bool> reduced, Span<float> scratch, SimdWidth width)
    {
        int n = Length(x, dims, reduced, out int m);
        SpanChecks.AtLeast(y.Length, m, nameof(y));
        SpanChecks.AtLeast(dy.Length, m, nameof(dy));
        SpanChecks.AtLeast(dx.Length, n, nameof(dx));
        SpanChecks.AtLeast(scratch.Length, ScratchLength(function, n, m, backward: true), nameof(scratch));
        y = y.Slice(0, m);
        dy = dy.Slice(0, m);
        dx = dx.Slice(0, n);
        switch (function)
        {
            case ReduceFunction.Sum: ReduceDriver.Broadcast(new SecondOperator(), x, dy, dims, reduced, dx, width); break;
            case ReduceFunction.Mean:
                ReduceDriver.Broadcast(new SecondOperator(), x, dy, dims, reduced, dx, width);
                UnaryDriver.Run(new ScaleOperator(1f / Count(dims, reduced)), dx, dx, width);
                break;
            case ReduceFunction.L1: ReduceDriver.Broadcast(new AbsGradientOperator(), x, dy, dims, reduced, dx, width); break;
            case ReduceFunction.SumSquare: ReduceDriver.Broadcast(new TwiceProductOperator(), x, dy, dims, reduced, dx, width); break;
            case ReduceFunction.L2:
                {
                    Span<float> weight = scratch.Slice(0, m);
                    BinaryDriver.Run(new GuardedQuotientOperator(), y, dy, weight, width);
                    ReduceDriver.Broadcast(new MultiplyOperator(), x, weight, dims, reduced, dx, width);
                    break;
                }
            case ReduceFunction.LogSumExp:
                ReduceDriver.Broadcast(new ExpDifferenceOperator(), x, y, dims, reduced, dx, width);
                ReduceDriver.Broadcast(new MultiplyOperator(), dx, dy, dims, reduced, dx, width);
                break;
            case ReduceFunction.Max or ReduceFunction.Min:
                {
                    Span<float> share = scratch.Slice(0, m);
                    ReduceDriver.Broadcast(new TieMaskOperator(), x, y, dims, reduced, dx, width);
                    Sum(new AddOperator(), dx, dims, reduced, share, width);
                    BinaryDriver.Run(new DivideOperator(), dy, share, share, width);
                    ReduceDriver.Broadcast(new MultiplyOperator(), dx, share, dims, reduced, dx, width);
                    break;
                }
            case ReduceFunction.Prod: ProdBackward(x, y, dy, dx, dims, reduced, scratch, n, m, width); break;
            default: throw new ArgumentOutOfRangeException(nameof(function), function, "Not a reduce function.");
        }
    }

    /// <summary>PyTorch's product gradient: the zero factors counted, and the product of the others, per result.</summary>
    private static void ProdBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx,
        ReadOnlySpan<int> dims, ReadOnlySpan<bool> reduced, Span<float> scratch, int n, int m, SimdWidth width)
    {
        Span<float> t = scratch.Slice(0, n), zeros = scratch.Slice(n, m), others = scratch.Slice(n + m, m);
        BinaryDriver.Run(new ZeroIndicatorOperator(), x, x, t, width);
        Sum(new AddOperator(), t, dims, reduced, zeros, width);
        BinaryDriver.Run(new OneForZeroOperator(), x, x, t, width);
        Extreme(new MultiplyOperator(), 1, t, dims, reduced, others, width);
        for (int j = 0; j < m; j++)
        {
            // zeros[j] becomes the weight of the nonzero factors (dy·Π, divided by x below), others[j] that of a single zero.
            float count = zeros[j];
            zeros[j] = count == 0 ? dy[j] * y[j] : 0;
            others[j] = count == 1 ? dy[j] * others[j] : 0;
        }
        ReduceDriver.Broadcast(new GuardedQuotientOperator(), x, zeros, dims, reduced, dx, width);
        ReduceDriver.Broadcast(new AtZeroOperator(), x, others, dims, reduced, t, width);
        BinaryDriver.Run(new AddOperator(), dx, t, dx, width);
    }

    private static void Sum<TAcc>(TAcc acc, ReadOnlySpan<float> x, ReadOnlySpan<int> dims, ReadOnlySpan<bool> reduced, Span<float> y, SimdWidth width)
        where TAcc : struct, IBinaryOperator
    {
        y.Clear();
        ReduceDriver.Accumulate(acc, new AddOperator(), 0, x, dims, reduced, y, width);
    }

    private static void Extreme<TOp>(TOp op, float identity, ReadOnlySpan<float> x, ReadOnlySpan<int> dims, ReadOnlySpan<bool> reduced, Span<float> y, SimdWidth width)
        where TOp : struct, IBinaryOperator
    {
        y.Fill(identity);
        ReduceDriver.Accumulate(op, op, identity, x, dims, reduced, y, width);
    }

    /// <summary>Values reduced into each element of y.</summary>
    private static float Count(ReadOnlySpan<int> dims, ReadOnlySpan<bool> reduced)
    {
        double count = 1;
        for (int i = 0; i < dims.Length; i++)
            if (reduced[i]) count *= dims[i];
        return (float)count;
    }

    private static int Length(ReadOnlySpan<float> x, ReadOnlySpan<int> dims, ReadOnlySpan<bool> reduced, out int outputLength)
    {
        outputLength = OutputLength(dims, reduced);
        long length = 1;
        foreach (int d in dims) length *= d;
        SpanChecks.AtLeast(x.Length, checked((int)length), nameof(x));
        return (int)length;
    }

    private static void Check(ReadOnlySpan<int> dims, ReadOnlySpan<bool> reduced)
    {
        if (reduced.Length != dims.Length)
            throw new ArgumentException($"{dims.Length} dimensions but {reduced.Length} reduce flags.", nameof(reduced));
        foreach (int d in dims)
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(dims), d, "Dimensions must not be negative.");
    }
}
