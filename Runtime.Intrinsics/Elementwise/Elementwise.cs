namespace Simd.Runtime.Intrinsics;

/// <summary>Bias add, scale and axpy over float spans. Outputs may be the same span as an input, or disjoint from it.</summary>
public static class Elementwise
{
    /// <summary>x[r, c] += bias[c] for a row-major rows×cols matrix.</summary>
    public static void AddBias(Span<float> x, int rows, int cols, ReadOnlySpan<float> bias) => AddBias(x, rows, cols, bias, Isa.Width);

    /// <summary>y = a·x over x.Length elements.</summary>
    public static void Scale(ReadOnlySpan<float> x, float a, Span<float> y) => Scale(x, a, y, Isa.Width);

    /// <summary>y += a·x over x.Length elements (fused multiply-add where the hardware has it).</summary>
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y) => Axpy(a, x, y, Isa.Width);

    internal static void AddBias(Span<float> x, int rows, int cols, ReadOnlySpan<float> bias, SimdWidth width)
    {
        SpanChecks.Matrix(x.Length, rows, cols, nameof(x));
        SpanChecks.AtLeast(bias.Length, cols, nameof(bias));
        SpanChecks.SameOrDisjoint<float>(bias, x, nameof(bias), nameof(x));
        bias = bias.Slice(0, cols);
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = x.Slice(r * cols, cols);
            BinaryDriver.Run(new AddOperator(), row, bias, row, width);
        }
    }

    internal static void Scale(ReadOnlySpan<float> x, float a, Span<float> y, SimdWidth width)
    {
        SpanChecks.AtLeast(y.Length, x.Length, nameof(y));
        SpanChecks.SameOrDisjoint(x, y, nameof(x), nameof(y));
        UnaryDriver.Run(new ScaleOperator(a), x, y, width);
    }

    internal static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y, SimdWidth width)
    {
        SpanChecks.AtLeast(y.Length, x.Length, nameof(y));
        SpanChecks.SameOrDisjoint(x, y, nameof(x), nameof(y));
        BinaryDriver.Run(new AxpyOperator(a), x, y.Slice(0, x.Length), y, width);
    }
}
