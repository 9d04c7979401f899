using System.Globalization;

namespace Simd.Runtime.Onnx.Conformance;

/// <summary>
/// ONNX's backend-test comparison: |actual − expected| ≤ atol + rtol·|expected| for every element, NaN matching NaN
/// (and an infinity only the same infinity).
/// </summary>
internal static class OutputComparison
{
    /// <summary>
    /// Null when every element is within the bound; else the worst element (the largest error relative to its
    /// bound): where it is, both values, the bound, and how many elements are off.
    /// </summary>
    public static string? Mismatch(string output, IReadOnlyList<long> dims, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual,
        double rtol, double atol)
    {
        int worst = -1, off = 0;
        double worstExcess = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (e == a || (double.IsNaN(e) && double.IsNaN(a))) continue;
            double bound = atol + rtol * Math.Abs(e), error = Math.Abs(a - e);
            // An infinity matches only itself (its bound would be infinite too).
            if (error <= bound && double.IsFinite(e) && double.IsFinite(a)) continue;
            off++;
            // NaN or an infinity on one side only is off without measure: the first such element is the worst.
            double excess = double.IsFinite(error) ? error / bound : double.PositiveInfinity;
            if (worst < 0 || excess > worstExcess)
            {
                worst = i;
                worstExcess = excess;
            }
        }
        if (worst < 0) return null;
        double we = expected[worst], wa = actual[worst];
        return $"output '{output}' at {Index(worst, dims)}: {Text(actual[worst])} vs expected {Text(expected[worst])} " +
               $"(|error| {Number(Math.Abs(wa - we))} > {Number(atol)} + {Number(rtol)}·|expected|; {off} of {expected.Length} values off)";
    }

    /// <summary>The element's position as ONNX indexes it, [i0, i1, …].</summary>
    private static string Index(int flat, IReadOnlyList<long> dims)
    {
        var index = new long[dims.Count];
        long rest = flat;
        for (int d = dims.Count - 1; d >= 0; d--)
        {
            index[d] = dims[d] == 0 ? 0 : rest % dims[d];
            rest = dims[d] == 0 ? 0 : rest / dims[d];
        }
        return $"[{string.Join(", ", index.Select(i => i.ToString(CultureInfo.InvariantCulture)))}]";
    }

    private static string Number(double value) => value.ToString("G3", CultureInfo.InvariantCulture).Replace('E', 'e');

    private static string Text(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
