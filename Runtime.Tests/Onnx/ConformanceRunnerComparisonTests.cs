using Simd.Runtime.Onnx.Conformance;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>The runner's comparison, ONNX's: |actual − expected| ≤ atol + rtol·|expected|, NaN matching NaN.</summary>
public sealed class ConformanceRunnerComparisonTests
{
    private const double Rtol = ConformanceRunner.DefaultRtol, Atol = ConformanceRunner.DefaultAtol;

    [Theory]
    [InlineData(1f, 1.00101f)]
    [InlineData(-1000f, -1000.99f)]
    [InlineData(0f, 9e-6f)]
    [InlineData(float.NaN, float.NaN)]
    [InlineData(float.PositiveInfinity, float.PositiveInfinity)]
    public void WithinTheBoundMatches(float expected, float actual)
    {
        Assert.Null(OutputComparison.Mismatch("y", [1], [expected], [actual], Rtol, Atol));
    }

    [Theory]
    [InlineData(1f, 1.00102f)]
    [InlineData(0f, 1.1e-5f)]
    [InlineData(float.NaN, 0f)]
    [InlineData(0f, float.NaN)]
    [InlineData(float.PositiveInfinity, float.NegativeInfinity)]
    [InlineData(1f, float.PositiveInfinity)]
    public void BeyondTheBoundIsAMismatch(float expected, float actual)
    {
        Assert.NotNull(OutputComparison.Mismatch("y", [1], [expected], [actual], Rtol, Atol));
    }

    [Fact]
    public void TheWorstElementRelativeToItsBoundIsNamedWithItsIndexAndTheCountOff()
    {
        // [0, 1] is off by 0.5, about 500 times its bound (1e-3); [1, 2] by 2, about 20 times its bound (0.1): the
        // smaller error is the worse.
        float[] expected = [0, 1, 2, 3, 4, 100];
        float[] actual = [0, 1.5f, 2, 3, 4, 102];

        string? message = OutputComparison.Mismatch("Y", [2, 3], expected, actual, Rtol, Atol);

        Assert.Equal("output 'Y' at [0, 1]: 1.5 vs expected 1 (|error| 0.5 > 1e-05 + 0.001·|expected|; 2 of 6 values off)", message);
    }
}
