using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// Sums at every width against double sums. A float sum of n terms in any order is within (n−1)·2⁻²⁴·Σ|xᵢ| of the
/// exact sum; the blocked order here is much better in practice, and the bound is what the test allows.
/// Column sums add rows in order at every width, so they equal the plain float loop exactly.
/// </summary>
[Trait("Category", "Kernels")]
public class ReductionTests
{
    public static IEnumerable<object[]> Widths() => KernelTestData.WidthCases();

    [Theory, MemberData(nameof(Widths))]
    public void SumAndSumOfSquaresMatchDouble(SimdWidth width)
    {
        float[] x = KernelTestData.Uniform(KernelTestData.MaxLength, 5, -3, 3);
        for (int n = 0; n <= KernelTestData.MaxLength; n++)
        {
            double s = 0, abs = 0, sq = 0;
            for (int i = 0; i < n; i++) { s += x[i]; abs += Math.Abs(x[i]); sq += (double)x[i] * x[i]; }
            double bound = Math.Max(n - 1, 0) * Math.Pow(2, -24);
            KernelTestData.Check(Reductions.Sum(x.AsSpan(0, n), width), s, 0, bound * abs + 1e-30, () => $"sum {width} n={n}");
            KernelTestData.Check(Reductions.SumOfSquares(x.AsSpan(0, n), width), sq, 2 * bound + 1.2e-7, 1e-30, () => $"sumsq {width} n={n}");
        }
    }

    [Fact]
    public void SumsPropagateSpecialValues()
    {
        foreach (SimdWidth w in KernelTestData.Widths)
        {
            float[] x = Enumerable.Range(0, 23).Select(i => (float)i).ToArray();
            Assert.Equal(0f, Reductions.Sum(ReadOnlySpan<float>.Empty, w));
            x[17] = float.NaN;
            Assert.True(float.IsNaN(Reductions.Sum(x, w)));
            x[17] = float.PositiveInfinity;
            Assert.Equal(float.PositiveInfinity, Reductions.SumOfSquares(x, w));
            x[18] = float.NegativeInfinity;
            Assert.True(float.IsNaN(Reductions.Sum(x, w)));
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void ColumnSumsEqualTheRowByRowLoop(SimdWidth width)
    {
        for (int cols = 0; cols <= KernelTestData.MaxLength; cols += 1 + cols / 40)
        foreach (int rows in new[] { 0, 1, 3, 8 })
        {
            float[] x = KernelTestData.Uniform(rows * cols, rows * 1000 + cols, -4, 4);
            float[] start = KernelTestData.Uniform(cols + 1, cols, -1, 1);
            float[] expected = (float[])start.Clone();
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) expected[c] += x[r * cols + c];
            float[] sums = (float[])start.Clone();
            Reductions.ColumnSums(x, rows, cols, sums, accumulate: true, width);
            Assert.Equal(expected, sums);

            for (int c = 0; c < cols; c++) expected[c] -= start[c];
            float[] fresh = (float[])start.Clone();
            Reductions.ColumnSums(x, rows, cols, fresh, accumulate: false, width);
            for (int c = 0; c < cols; c++)
            {
                float e = 0;
                for (int r = 0; r < rows; r++) e += x[r * cols + c];
                Assert.Equal(e, fresh[c]);
            }
            Assert.Equal(start[cols], fresh[cols]);
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void ArgMaxFindsTheFirstMaximum(SimdWidth width)
    {
        var rng = new Random(3);
        for (int n = 0; n <= KernelTestData.MaxLength; n++)
        {
            // Few distinct values, so ties are common and the first one must win.
            float[] x = Enumerable.Range(0, n).Select(_ => (float)rng.Next(-5, 6)).ToArray();
            Assert.Equal(ReferenceArgMax(x), MaxDriver.ArgMax(x, width));
            if (n > 0)
            {
                int at = rng.Next(n);
                x[at] = float.NaN;
                Assert.Equal(ReferenceArgMax(x), MaxDriver.ArgMax(x, width));
            }
        }
    }

    [Fact]
    public void ArgMaxSpecialCases()
    {
        foreach (SimdWidth w in KernelTestData.Widths)
        {
            Assert.Equal(-1, MaxDriver.ArgMax(ReadOnlySpan<float>.Empty, w));
            float[] negInf = Enumerable.Repeat(float.NegativeInfinity, 21).ToArray();
            Assert.Equal(0, MaxDriver.ArgMax(negInf, w));
            negInf[20] = -1e38f;
            Assert.Equal(20, MaxDriver.ArgMax(negInf, w));
            float[] zeros = Enumerable.Repeat(-0f, 21).ToArray();
            zeros[9] = 0f;
            Assert.Equal(0, MaxDriver.ArgMax(zeros, w));
            float[] nans = [1, 2, float.NaN, 9, float.NaN, 3, 4, 5, 6, 7];
            Assert.Equal(2, MaxDriver.ArgMax(nans, w));
            float[] inf = [1, 2, 3, 4, 5, 6, 7, 8, float.PositiveInfinity, 1];
            Assert.Equal(8, MaxDriver.ArgMax(inf, w));
        }
    }

    [Theory, MemberData(nameof(Widths))]
    public void RowArgMaxPerRow(SimdWidth width)
    {
        const int rows = 7, cols = 19;
        float[] x = KernelTestData.Uniform(rows * cols, 8, -1, 1);
        var indices = new int[rows + 1];
        indices[rows] = 99;
        Reductions.RowArgMax(x, rows, cols, indices, width);
        for (int r = 0; r < rows; r++) Assert.Equal(ReferenceArgMax(x.AsSpan(r * cols, cols)), indices[r]);
        Assert.Equal(99, indices[rows]);
        Reductions.RowArgMax(ReadOnlySpan<float>.Empty, 3, 0, indices, width);
        Assert.Equal([-1, -1, -1], indices[..3]);
    }

    private static int ReferenceArgMax(ReadOnlySpan<float> x)
    {
        int best = -1;
        for (int i = 0; i < x.Length; i++)
        {
            if (float.IsNaN(x[i])) return i;
            if (best < 0 || x[i] > x[best]) best = i;
        }
        return best;
    }

    [Fact]
    public void PublicEntriesAgreeWithTheHardwareWidth()
    {
        float[] x = KernelTestData.Uniform(100, 1, -1, 1);
        Assert.Equal(Reductions.Sum(x, Isa.Width), Reductions.Sum(x));
        Assert.Equal(Reductions.SumOfSquares(x, Isa.Width), Reductions.SumOfSquares(x));
        Assert.Equal(MaxDriver.ArgMax(x, Isa.Width), Reductions.ArgMax(x));
    }

    [Fact]
    public void CallsAllocateNothing()
    {
        float[] x = KernelTestData.Uniform(640, 1, -1, 1);
        var sums = new float[64];
        var idx = new int[10];
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            Reductions.ColumnSums(x, 10, 64, sums);
            Reductions.Sum(x);
            Reductions.SumOfSquares(x);
            Reductions.ArgMax(x);
            Reductions.RowArgMax(x, 10, 64, idx);
        }));
    }

    [Fact]
    public void BadSpansNameExpectedAndActual()
    {
        var e = Assert.Throws<ArgumentException>(() => Reductions.ColumnSums(new float[10], 3, 4, new float[4]));
        Assert.Contains("10", e.Message);
        Assert.Contains("12", e.Message);
        e = Assert.Throws<ArgumentException>(() => Reductions.ColumnSums(new float[12], 3, 4, new float[3]));
        Assert.Equal("sums", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Reductions.RowArgMax(new float[12], 3, 4, new int[2]));
        Assert.Contains("expected at least 3", e.Message);
    }
}
