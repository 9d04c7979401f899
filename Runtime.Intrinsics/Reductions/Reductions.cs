namespace Simd.Runtime.Intrinsics;

/// <summary>Sums, column sums and arg-max over float spans.</summary>
public static class Reductions
{
    /// <summary>
    /// sums[c] = Σ_r x[r, c] (or += with <paramref name="accumulate"/>): the bias gradient of a row-major batch.
    /// Each column is summed row by row in order, so the result is the same at every width.
    /// </summary>
    public static void ColumnSums(ReadOnlySpan<float> x, int rows, int cols, Span<float> sums, bool accumulate = false) =>
        ColumnSums(x, rows, cols, sums, accumulate, Isa.Width);

    /// <summary>Σ x; 0 for an empty span. Summed in float with several vector accumulators.</summary>
    public static float Sum(ReadOnlySpan<float> x) => Sum(x, Isa.Width);

    /// <summary>Σ x²; 0 for an empty span (the squared norm used by global-norm gradient clipping).</summary>
    public static float SumOfSquares(ReadOnlySpan<float> x) => SumOfSquares(x, Isa.Width);

    /// <summary>
    /// Index of the first maximum; −1 for an empty span. NaN counts as larger than every number (as in PyTorch's
    /// argmax), so the index of the first NaN is returned when there is one. −0 and +0 are equal.
    /// </summary>
    public static int ArgMax(ReadOnlySpan<float> x) => MaxDriver.ArgMax(x, Isa.Width);

    /// <summary>indices[r] = <see cref="ArgMax"/> of row r (−1 for every row when cols = 0).</summary>
    public static void RowArgMax(ReadOnlySpan<float> x, int rows, int cols, Span<int> indices) =>
        RowArgMax(x, rows, cols, indices, Isa.Width);

    internal static void ColumnSums(ReadOnlySpan<float> x, int rows, int cols, Span<float> sums, bool accumulate, SimdWidth width)
    {
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.AtLeast(sums.Length, cols, nameof(sums));
        SpanChecks.SameOrDisjoint(x, sums, nameof(x), nameof(sums));
        sums = sums.Slice(0, cols);
        if (!accumulate) sums.Clear();
        for (int r = 0; r < rows; r++)
            BinaryDriver.Run(new AddOperator(), x.Slice(r * cols, cols), sums, sums, width);
    }

    internal static float Sum(ReadOnlySpan<float> x, SimdWidth width) => SumDriver.Sum(new IdentityOperator(), x, width);

    internal static float SumOfSquares(ReadOnlySpan<float> x, SimdWidth width) => SumDriver.Sum(new SquareOperator(), x, width);

    internal static void RowArgMax(ReadOnlySpan<float> x, int rows, int cols, Span<int> indices, SimdWidth width)
    {
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.AtLeast(indices.Length, rows, nameof(indices));
        for (int r = 0; r < rows; r++) indices[r] = MaxDriver.ArgMax(x.Slice(r * cols, cols), width);
    }
}
