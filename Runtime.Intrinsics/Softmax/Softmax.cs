namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Row-wise softmax and log-softmax of a row-major rows×cols matrix, forward and backward. The row maximum is
/// subtracted first, so any finite input gives finite probabilities. y may be the same span as x, dx as dy.
/// </summary>
public static class Softmax
{
    /// <summary>y[r, :] = exp(x[r, :] − max) / Σ exp(x[r, :] − max).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        CheckForward(x, y, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * cols, cols);
            Span<float> yr = y.Slice(r * cols, cols);
            float max = RowMax(xr);
            float sum = 0;
            for (int c = 0; c < cols; c++) sum += yr[c] = MathF.Exp(xr[c] - max);
            float inv = 1 / sum;
            for (int c = 0; c < cols; c++) yr[c] *= inv;
        }
    }

    /// <summary>y[r, :] = x[r, :] − max − log Σ exp(x[r, :] − max).</summary>
    public static void LogForward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        CheckForward(x, y, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * cols, cols);
            Span<float> yr = y.Slice(r * cols, cols);
            float max = RowMax(xr);
            float sum = 0;
            for (int c = 0; c < cols; c++) sum += MathF.Exp(xr[c] - max);
            float shift = max + MathF.Log(sum);
            for (int c = 0; c < cols; c++) yr[c] = xr[c] - shift;
        }
    }

    /// <summary>dx = y ⊙ (dy − Σ dy ⊙ y) per row, with y the softmax output.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols)
    {
        CheckBackward(y, dy, dx, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> yr = y.Slice(r * cols, cols), dyr = dy.Slice(r * cols, cols);
            Span<float> dxr = dx.Slice(r * cols, cols);
            float dot = 0;
            for (int c = 0; c < cols; c++) dot += dyr[c] * yr[c];
            for (int c = 0; c < cols; c++) dxr[c] = yr[c] * (dyr[c] - dot);
        }
    }

    /// <summary>dx = dy − exp(y) · Σ dy per row, with y the log-softmax output.</summary>
    public static void LogBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int cols)
    {
        CheckBackward(y, dy, dx, rows, cols);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> yr = y.Slice(r * cols, cols), dyr = dy.Slice(r * cols, cols);
            Span<float> dxr = dx.Slice(r * cols, cols);
            float sum = 0;
            for (int c = 0; c < cols; c++) sum += dyr[c];
            for (int c = 0; c < cols; c++) dxr[c] = dyr[c] - MathF.Exp(yr[c]) * sum;
        }
    }

    private static float RowMax(ReadOnlySpan<float> row)
    {
        float max = float.NegativeInfinity;
        foreach (float v in row) max = MathF.Max(max, v);
        return max;
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
