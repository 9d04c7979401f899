using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Layer normalisation over the rows of a row-major <c>rows × length</c> matrix: each row is normalised by its own
/// mean and biased variance (as PyTorch's <c>LayerNorm</c> and ONNX's <c>LayerNormalization</c>), then scaled and
/// shifted per column. Forward saves each row's mean and reciprocal standard deviation for the backward pass. Every
/// method has an internal overload taking the <see cref="SimdWidth"/> so tests can run each width in one process.
/// </summary>
public static class LayerNorm
{
    /// <summary>
    /// <c>y = (x − mean)·rstd·gamma + beta</c> per row, with <c>rstd = 1/sqrt(var + epsilon)</c> and the variance
    /// biased (divided by <paramref name="length"/>). <paramref name="gamma"/> and <paramref name="beta"/> hold
    /// <paramref name="length"/> values each, or are empty for no scale (1) or no shift (0). <paramref name="mean"/>
    /// and <paramref name="rstd"/> receive one value per row, or are both empty when nothing is kept (inference).
    /// <paramref name="y"/> may be the same span as <paramref name="x"/>. An empty row (length 0) has mean 0 and
    /// rstd 1/sqrt(epsilon). A row holding NaN or ±Inf gives NaN throughout.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, int rows, int length, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, float epsilon, Span<float> y, Span<float> mean, Span<float> rstd) =>
        Forward(Isa.Width, x, rows, length, gamma, beta, epsilon, y, mean, rstd);

    internal static void Forward(SimdWidth width, ReadOnlySpan<float> x, int rows, int length, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, float epsilon, Span<float> y, Span<float> mean, Span<float> rstd)
    {
        int n = CheckShape(rows, length);
        if (!(epsilon >= 0) || !float.IsFinite(epsilon))
            throw new ArgumentException($"epsilon is {epsilon}; expected a finite value of at least 0.");
        CheckLength(x.Length, n, "x", "rows·length");
        CheckLength(y.Length, n, "y", "rows·length");
        CheckOptional(gamma.Length, length, "gamma", "length");
        CheckOptional(beta.Length, length, "beta", "length");
        CheckStatistics(mean.Length, rstd.Length, rows);
        CheckSameOrDisjoint(x, y, "x", "y");
        switch (VectorWidth.Fit(width, length))
        {
            case SimdWidth.V512: LayerNormVector.Forward<Vector512<float>, Float512>(x, rows, length, gamma, beta, epsilon, y, mean, rstd); break;
            case SimdWidth.V256: LayerNormVector.Forward<Vector256<float>, Float256>(x, rows, length, gamma, beta, epsilon, y, mean, rstd); break;
            case SimdWidth.V128: LayerNormVector.Forward<Vector128<float>, Float128>(x, rows, length, gamma, beta, epsilon, y, mean, rstd); break;
            default: LayerNormScalar.Forward(x, rows, length, gamma, beta, epsilon, y, mean, rstd); break;
        }
    }

    /// <summary>
    /// Gradients of <see cref="Forward(ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, float, Span{float}, Span{float}, Span{float})"/>
    /// from its input <paramref name="x"/> and the saved <paramref name="mean"/> and <paramref name="rstd"/>:
    /// <paramref name="dx"/> is overwritten (empty: not needed), and <c>Σ dy·x̂</c> and <c>Σ dy</c> over the rows are
    /// <em>added</em> to <paramref name="dGamma"/> and <paramref name="dBeta"/> (each empty when the forward had no
    /// such parameter), so a caller may split the rows into several calls. <paramref name="gamma"/> is the forward's
    /// (empty for none). <paramref name="dx"/> may be the same span as <paramref name="dy"/> or <paramref name="x"/>.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int rows, int length,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx,
        Span<float> dGamma, Span<float> dBeta) =>
        Backward(Isa.Width, x, dy, rows, length, gamma, mean, rstd, dx, dGamma, dBeta);

    internal static void Backward(SimdWidth width, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int rows, int length,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx,
        Span<float> dGamma, Span<float> dBeta)
    {
        int n = CheckShape(rows, length);
        CheckLength(x.Length, n, "x", "rows·length");
        CheckLength(dy.Length, n, "dy", "rows·length");
        CheckOptional(dx.Length, n, "dx", "rows·length");
        CheckOptional(gamma.Length, length, "gamma", "length");
        CheckOptional(dGamma.Length, length, "dGamma", "length");
        CheckOptional(dBeta.Length, length, "dBeta", "length");
        CheckLength(mean.Length, rows, "mean", "rows");
        CheckLength(rstd.Length, rows, "rstd", "rows");
        CheckSameOrDisjoint(dy, dx, "dy", "dx");
        CheckSameOrDisjoint(x, dx, "x", "dx");
        CheckDisjoint(dx, dGamma, "dx", "dGamma");
        CheckDisjoint(dx, dBeta, "dx", "dBeta");
        switch (VectorWidth.Fit(width, length))
        {
            case SimdWidth.V512: LayerNormVector.Backward<Vector512<float>, Float512>(x, dy, rows, length, gamma, mean, rstd, dx, dGamma, dBeta); break;
            case SimdWidth.V256: LayerNormVector.Backward<Vector256<float>, Float256>(x, dy, rows, length, gamma, mean, rstd, dx, dGamma, dBeta); break;
            case SimdWidth.V128: LayerNormVector.Backward<Vector128<float>, Float128>(x, dy, rows, length, gamma, mean, rstd, dx, dGamma, dBeta); break;
            default: LayerNormScalar.Backward(x, dy, rows, length, gamma, mean, rstd, dx, dGamma, dBeta); break;
        }
    }

    private static int CheckShape(int rows, int length)
    {
        if (rows < 0) throw new ArgumentException($"rows is {rows}; expected 0 or more.");
        if (length < 0) throw new ArgumentException($"length is {length}; expected 0 or more.");
        long n = (long)rows * length;
        if (n > int.MaxValue) throw new ArgumentException($"rows·length = {rows}·{length} = {n} exceeds a span's length.");
        return (int)n;
    }

    private static void CheckLength(int actual, int expected, string name, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} has {actual} elements; expected {what} = {expected}.");
    }

    private static void CheckOptional(int actual, int expected, string name, string what)
    {
        if (actual != expected && actual != 0)
            throw new ArgumentException($"{name} has {actual} elements; expected {what} = {expected}, or none.");
    }

    private static void CheckStatistics(int mean, int rstd, int rows)
    {
        if (mean == 0 && rstd == 0) return;
        CheckLength(mean, rows, "mean", "rows (or mean and rstd both empty)");
        CheckLength(rstd, rows, "rstd", "rows (or mean and rstd both empty)");
    }

    /// <summary>An output may be its input or apart from it; a shifted overlap would read values already written.</summary>
    private static void CheckSameOrDisjoint(ReadOnlySpan<float> input, ReadOnlySpan<float> output, string inputName, string outputName)
    {
        if (input.Overlaps(output, out int offset) && offset != 0)
            throw new ArgumentException($"{outputName} overlaps {inputName} at an offset of {offset} elements; expected the same span or disjoint spans.");
    }

    private static void CheckDisjoint(ReadOnlySpan<float> a, ReadOnlySpan<float> b, string aName, string bName)
    {
        if (a.Overlaps(b))
            throw new ArgumentException($"{bName} overlaps {aName}; expected disjoint spans.");
    }
}
