namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Row-wise softmax and log-softmax of a row-major rows×cols matrix, forward and backward. The row maximum is
/// subtracted first, so every finite input gives finite outputs and rows of probabilities that sum to 1. A row
/// holding NaN or +Inf gives NaN (as in PyTorch). y may be the same span as x, dx as dy or y.
/// </summary>
public static class Softmax
{
    /// <summary>y[r, :] = exp(x[r, :] − max) / Σ exp(x[r, :] − max).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols) => Forward(x, y, rows, cols, Isa.Width);

    /// <summary>y[r, :] = (x[r, :] − max) − log Σ exp(x[r, :] − max).</summary>
    public static void LogForward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols) => LogForward(x, y, rows, cols, Isa.Width);

    /// <summary>dx = y ⊙ (dy − Σ dy ⊙ y) per row, with y the softmax output.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols) =>
        Backward(y, dy, dx, rows, cols, Isa.Width);

    /// <summary>dx = dy − exp(y) · Σ dy per row, with y the log-softmax output.</summary>
    public static void LogBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols) =>
        LogBackward(y, dy, dx, rows, cols, Isa.Width);

    internal static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols, SimdWidth width)
    {
        CheckForward(x, y, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * cols, cols);
            Span<float> yr = y.Slice(r * cols, cols);
            float max = MaxDriver.Max(xr, width);
            float sum = SumDriver.MapSum(new ExpShiftedOperator(max), xr, yr, width);
            UnaryDriver.Run(new ScaleOperator(1 / sum), yr, yr, width);
        }
    }

    internal static void LogForward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols, SimdWidth width)
    {
        CheckForward(x, y, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * cols, cols);
            float max = MaxDriver.Max(xr, width);
            float sum = SumDriver.Sum(new ExpShiftedOperator(max), xr, width);
            UnaryDriver.Run(new LogSoftmaxOperator(max, MathF.Log(sum)), xr, y.Slice(r * cols, cols), width);
        }
    }

    internal static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols, SimdWidth width)
    {
        CheckBackward(y, dy, dx, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> yr = y.Slice(r * cols, cols), dyr = dy.Slice(r * cols, cols);
            float dot = SumDriver.Sum(new MultiplyOperator(), dyr, yr, width);
            BinaryDriver.Run(new SoftmaxBackwardOperator(dot), yr, dyr, dx.Slice(r * cols, cols), width);
        }
    }

    internal static void LogBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols, SimdWidth width)
    {
        CheckBackward(y, dy, dx, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> yr = y.Slice(r * cols, cols), dyr = dy.Slice(r * cols, cols);
            float sum = SumDriver.Sum(new IdentityOperator(), dyr, width);
            BinaryDriver.Run(new LogSoftmaxBackwardOperator(sum), yr, dyr, dx.Slice(r * cols, cols), width);
        }
    }

    private static void CheckForward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.MatrixOutput(y.Length, rows, cols, nameof(y));
        SpanChecks.SameOrDisjoint(x, y, nameof(x), nameof(y));
    }

    private static void CheckBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols)
    {
        SpanChecks.Matrix(y.Length, rows, cols, nameof(y));
        SpanChecks.Matrix(dy.Length, rows, cols, nameof(dy));
        SpanChecks.MatrixOutput(dx.Length, rows, cols, nameof(dx));
        SpanChecks.SameOrDisjoint(y, dx, nameof(y), nameof(dx));
        SpanChecks.SameOrDisjoint(dy, dx, nameof(dy), nameof(dx));
    }
}
