namespace Simd.Runtime.Intrinsics;

/// <summary>Bias add, scale and axpy over float spans. Outputs may be the same span as an input, or disjoint from it.</summary>
public static class Elementwise
{
    /// <summary>x[r, c] += bias[c] for a row-major rows×cols matrix.</summary>
    public static void AddBias(Span<float> x, int rows, int cols, ReadOnlySpan<float> bias)
    {
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.AtLeast(bias.Length, cols, nameof(bias));
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = x.Slice(r * cols, cols);
            for (int c = 0; c < cols; c++) row[c] += bias[c];
        }
    }

    /// <summary>y = a·x over x.Length elements.</summary>
    public static void Scale(ReadOnlySpan<float> x, float a, Span<float> y)
    {
        SpanChecks.AtLeast(y.Length, x.Length, nameof(y));
        SpanChecks.SameOrDisjoint(x, y, nameof(x), nameof(y));
        for (int i = 0; i < x.Length; i++) y[i] = a * x[i];
    }

    /// <summary>y += a·x over x.Length elements.</summary>
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        SpanChecks.AtLeast(y.Length, x.Length, nameof(y));
        SpanChecks.SameOrDisjoint(x, y, nameof(x), nameof(y));
        for (int i = 0; i < x.Length; i++) y[i] += a * x[i];
    }
}
