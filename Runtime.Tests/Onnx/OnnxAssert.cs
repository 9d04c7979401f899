using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>Comparisons as ONNX's backend test runner makes them: |actual − expected| ≤ atol + rtol·|expected|.</summary>
internal static class OnnxAssert
{
    /// <summary>ONNX's runner default absolute bound for float32 outputs (its relative one is 1e-3).</summary>
    public const double Atol = 1e-7;

    /// <summary>
    /// The bound these tests hold by default, 100× tighter than ONNX's: every case here stays within 4e-6 relative
    /// (the worst, BatchNorm, from folding 1/sqrt(var + eps) into a float scale), so a kernel regression shows long
    /// before ONNX's bound would let it through.
    /// </summary>
    public const double Rtol = 1e-5;

    public static void Close(OnnxTensor expected, ReadOnlySpan<float> actual, string what, double rtol = Rtol, double atol = Atol)
    {
        Close(expected.Floats, actual, what, rtol, atol);
    }

    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what, double rtol = Rtol, double atol = Atol)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} elements; expected {expected.Length}.");
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e) && double.IsNaN(a)) continue;
            if (e == a) continue;
            double error = Math.Abs(a - e);
            Assert.True(error <= atol + rtol * Math.Abs(e),
                $"{what}[{i}]: expected {e:R}, actual {a:R} (|error| {error:G3} > atol {atol:G3} + rtol {rtol:G3}·|expected|).");
        }
    }

    public static void Shape(OnnxTensor expected, IReadOnlyList<long> actualDims, string what)
    {
        Assert.True(expected.Dims.SequenceEqual(actualDims),
            $"{what}: shape [{string.Join(",", actualDims)}]; expected [{string.Join(",", expected.Dims)}].");
    }
}
