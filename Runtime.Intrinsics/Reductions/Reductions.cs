namespace Simd.Runtime.Intrinsics;

/// <summary>Sums, column sums and arg-max over float spans.</summary>
public static class Reductions
{
    /// <summary>sums[c] = Σ_r x[r, c] (or += with <paramref name="accumulate"/>): the bias gradient of a row-major batch.</summary>
    public static void ColumnSums(ReadOnlySpan<float> x, int rows, int cols, Span<float> sums, bool accumulate = false)
    {
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.AtLeast(sums.Length, cols, nameof(sums));
        if (!accumulate) sums.Slice(0, cols).Clear();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = x.Slice(r * cols, cols);
            for (int c = 0; c < cols; c++) sums[c] += row[c];
        }
    }

    /// <summary>Σ x; 0 for an empty span.</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        float s = 0;
        foreach (float v in x) s += v;
        return s;
    }

    /// <summary>Σ x²; 0 for an empty span.</summary>
    public static float SumOfSquares(ReadOnlySpan<float> x)
    {
        float s = 0;
        foreach (float v in x) s += v * v;
        return s;
    }

    /// <summary>
    /// Index of the first maximum; −1 for an empty span. NaN counts as larger than every number (as in PyTorch's
    /// argmax), so the index of the first NaN is returned when there is one.
    /// </summary>
    public static int ArgMax(ReadOnlySpan<float> x)
    {
        if (x.IsEmpty) return -1;
        int best = 0;
        float max = x[0];
        if (float.IsNaN(max)) return 0;
        for (int i = 1; i < x.Length; i++)
        {
            float v = x[i];
            if (float.IsNaN(v)) return i;
            if (v > max) { max = v; best = i; }
        }
        return best;
    }

    /// <summary>indices[r] = <see cref="ArgMax"/> of row r (−1 for every row when cols = 0).</summary>
    public static void RowArgMax(ReadOnlySpan<float> x, int rows, int cols, Span<int> indices)
    {
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.AtLeast(indices.Length, rows, nameof(indices));
        for (int r = 0; r < rows; r++) indices[r] = ArgMax(x.Slice(r * cols, cols));
    }
}
