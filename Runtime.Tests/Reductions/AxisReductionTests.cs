using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// Axis reductions at every width against the double definitions (<see cref="AxisReductionReference"/>) and
/// against the scalar width: one axis at every length 0..300 (the innermost axis, one of several rows, and an
/// outer axis over columns), random shapes with random sets of axes, forward and backward, NaN, infinities and
/// reductions over no values. A float sum of n terms is within (n−1)·2⁻²⁴·Σ|terms| of the exact one; the blocked
/// sums here stay within 16 ulp of Σ|terms|, which is what the tests allow.
/// </summary>
[Trait("Category", "Kernels")]
public class AxisReductionTests
{
    public static IEnumerable<object[]> Widths() => KernelTestData.WidthCases();

    private static readonly ReduceFunction[] Functions = Enum.GetValues<ReduceFunction>();

    /// <summary>Products of hundreds of values stay finite near 1; the others see [−3, 3].</summary>
    private static float[] Values(ReduceFunction f, int n, int seed) =>
        f == ReduceFunction.Prod ? KernelTestData.Uniform(n, seed, 0.9f, 1.1f) : KernelTestData.Uniform(n, seed, -3, 3);

    /// <summary>The float error allowed for one output: the summation bound on the magnitude of its terms, plus the last steps' rounding.</summary>
    private static (double Rtol, double Atol) Tolerance(ReduceFunction f, double[] x, int[] dims, bool[] reduced)
    {
        int count = 1;
        for (int k = 0; k < dims.Length; k++)
            if (reduced[k]) count *= dims[k];
        double bound = Math.Max(count - 1, 0) * Math.Pow(2, -24);
        double scale = f switch
        {
            ReduceFunction.SumSquare or ReduceFunction.L2 => x.Length == 0 ? 0 : x.Max(v => v * v),
            ReduceFunction.LogSumExp or ReduceFunction.Prod => 1,
            _ => x.Length == 0 ? 0 : x.Max(Math.Abs),
        };
        // The worst-case bound grows as count²; blocked sums stay far inside it, so the check uses 16 ulp of Σ|terms|.
        return (2 * bound + 1e-6, 1e-6 * count * scale + 1e-6);
    }

    private static void CheckForward(ReduceFunction f, float[] x, int[] dims, bool[] reduced, SimdWidth width, string what)
    {
        int m = AxisReductionReference.OutputLength(dims, reduced);
        double[] xd = Array.ConvertAll(x, v => (double)v);
        double[] expected = AxisReductionReference.Forward(f, xd, dims, reduced);
        float[] y = Run(f, x, dims, reduced, width), scalar = Run(f, x, dims, reduced, SimdWidth.Scalar);
        var (rtol, atol) = Tolerance(f, xd, dims, reduced);
        for (int j = 0; j < m; j++)
        {
            KernelTestData.Check(y[j], expected[j], rtol, atol, () => $"{f} {what} {width} output {j}");
            KernelTestData.Check(y[j], scalar[j], 2 * rtol, 2 * atol, () => $"{f} {what} {width} output {j} against the scalar width");
            if (f is ReduceFunction.Max or ReduceFunction.Min) Assert.Equal(scalar[j], y[j]);
        }
    }

    private static float[] Run(ReduceFunction f, float[] x, int[] dims, bool[] reduced, SimdWidth width)
    {
        int m = AxisReductionReference.OutputLength(dims, reduced);
        var y = new float[m + 1];
        y[m] = 12345;
        var scratch = new float[AxisReductions.ScratchLength(f, x.Length, m, backward: false)];
        AxisReductions.Forward(f, x, dims, reduced, y, scratch, width);
        Assert.Equal(12345, y[m]);
        return y;
    }

    [Theory, MemberData(nameof(Widths))]
    public void OneAxisAtEveryLength(SimdWidth width)
    {
        foreach (ReduceFunction f in Functions)
            for (int n = 0; n <= KernelTestData.MaxLength; n++)
            {
                CheckForward(f, Values(f, n, n), [n], [true], width, $"[{n}]");
                if (n % 7 != 0) continue;
                CheckForward(f, Values(f, 2 * n, n + 1), [2, n], [false, true], width, $"rows [2, {n}]");
                CheckForward(f, Values(f, 3 * n, n + 2), [n, 3], [true, false], width, $"columns [{n}, 3]");
            }
    }

    [Theory, MemberData(nameof(Widths))]
    public void AnySetOfAxesForwardAndBackward(SimdWidth width)
    {
        var rng = new Random(17);
        for (int trial = 0; trial < 120; trial++)
        {
            int rank = rng.Next(1, 5);
            int[] dims = [.. Enumerable.Range(0, rank).Select(_ => rng.Next(1, trial % 3 == 0 ? 40 : 6))];
            bool[] reduced = [.. Enumerable.Range(0, rank).Select(_ => rng.Next(2) == 0)];
            int n = dims.Aggregate(1, (a, d) => a * d);
            string what = $"[{string.Join(", ", dims)}] over [{string.Join(", ", reduced)}]";
            foreach (ReduceFunction f in Functions)
            {
                float[] x = Values(f, n, trial);
                // Few distinct values make ties for Max and Min; a few zeros exercise Prod's gradient.
                if (f is ReduceFunction.Max or ReduceFunction.Min) x = [.. x.Select(v => MathF.Round(v))];
                if (f == ReduceFunction.Prod)
                    for (int i = 0; i < n; i++)
                        if (rng.Next(6) == 0) x[i] = 0;
                CheckForward(f, x, dims, reduced, width, what);
                CheckBackward(f, x, dims, reduced, width, what, rng);
            }
        }
    }

    private static void CheckBackward(ReduceFunction f, float[] x, int[] dims, bool[] reduced, SimdWidth width, string what, Random rng)
    {
        int m = AxisReductionReference.OutputLength(dims, reduced);
        float[] y = Run(f, x, dims, reduced, width);
        float[] dy = [.. Enumerable.Range(0, m).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
        // The reference differentiates at the float forward's result, so that ties are the ones the kernel saw.
        double[] expected = AxisReductionReference.Backward(f, Array.ConvertAll(x, v => (double)v), Array.ConvertAll(dy, v => (double)v), dims, reduced);
        var dx = new float[x.Length + 1];
        dx[x.Length] = 12345;
        var scratch = new float[AxisReductions.ScratchLength(f, x.Length, m, backward: true)];
        AxisReductions.Backward(f, x, y, dy, dx, dims, reduced, scratch, width);
        Assert.Equal(12345, dx[x.Length]);
        for (int i = 0; i < x.Length; i++)
            KernelTestData.Check(dx[i], expected[i], 1e-4, 1e-5, () => $"{f} backward {what} {width} element {i}");
    }

    [Theory, MemberData(nameof(Widths))]
    public void NaNAndInfinitiesPropagate(SimdWidth width)
    {
        foreach (int n in new[] { 1, 3, 4, 5, 8, 15, 16, 17, 33, 64, 100 })
        {
            foreach (ReduceFunction f in Functions)
            {
                float[] x = Values(f, n, n);
                x[n / 2] = float.NaN;
                Assert.True(float.IsNaN(Run(f, x, [n], [true], width)[0]), $"{f} with NaN at n={n} {width}");
                CheckForward(f, x, [n], [true], width, $"NaN n={n}");
            }
            float[] inf = KernelTestData.Uniform(n, n, -3, 3);
            inf[n - 1] = float.PositiveInfinity;
            Assert.Equal(float.PositiveInfinity, Run(ReduceFunction.Max, inf, [n], [true], width)[0]);
            Assert.Equal(float.PositiveInfinity, Run(ReduceFunction.LogSumExp, inf, [n], [true], width)[0]);
            Assert.Equal(float.PositiveInfinity, Run(ReduceFunction.L2, inf, [n], [true], width)[0]);
            float[] minusInf = [.. Enumerable.Repeat(float.NegativeInfinity, n)];
            Assert.Equal(float.NegativeInfinity, Run(ReduceFunction.LogSumExp, minusInf, [n], [true], width)[0]);
            Assert.Equal(float.NegativeInfinity, Run(ReduceFunction.Min, minusInf, [n], [true], width)[0]);
            Assert.Equal(float.NegativeInfinity, Run(ReduceFunction.Sum, minusInf, [n], [true], width)[0]);
            if (n > 1)
            {
                inf[0] = float.NegativeInfinity;
                Assert.True(float.IsNaN(Run(ReduceFunction.Sum, inf, [n], [true], width)[0]));
                Assert.Equal(float.PositiveInfinity, Run(ReduceFunction.LogSumExp, inf, [n], [true], width)[0]);
            }
        }
    }

    [Fact]
    public void NoValuesGiveTheIdentity()
    {
        var expected = new Dictionary<ReduceFunction, float>
        {
            [ReduceFunction.Sum] = 0, [ReduceFunction.Mean] = float.NaN, [ReduceFunction.Max] = float.NegativeInfinity,
            [ReduceFunction.Min] = float.PositiveInfinity, [ReduceFunction.Prod] = 1, [ReduceFunction.L1] = 0, [ReduceFunction.L2] = 0,
            [ReduceFunction.LogSumExp] = float.NegativeInfinity, [ReduceFunction.SumSquare] = 0,
        };
        foreach (SimdWidth w in KernelTestData.Widths)
            foreach (ReduceFunction f in Functions)
            {
                Assert.Equal(expected[f], Run(f, [], [0], [true], w)[0]);
                Assert.Equal([expected[f], expected[f], expected[f]], Run(f, [], [0, 3], [true, false], w).AsSpan(0, 3).ToArray());
                Assert.Equal(12345, Run(f, [], [3, 0], [true, false], w)[0]);
            }
    }

    [Fact]
    public void MaxAndMinShareTheGradientAmongTiesAndProdHandlesZeros()
    {
        foreach (SimdWidth w in KernelTestData.Widths)
        {
            float[] dx = new float[4];
            AxisReductions.Backward(ReduceFunction.Max, [3, 7, 7, 1], [7], [2], dx, [4], [true], new float[1], w);
            Assert.Equal([0f, 1, 1, 0], dx);
            AxisReductions.Backward(ReduceFunction.Min, [float.NaN, 7, float.NaN, 1], [float.NaN], [2], dx, [4], [true], new float[1], w);
            Assert.Equal([1f, 0, 1, 0], dx);
            AxisReductions.Backward(ReduceFunction.Prod, [2, 0, 3, 5], [0], [1], dx, [4], [true], new float[6], w);
            Assert.Equal([0f, 30, 0, 0], dx);
            AxisReductions.Backward(ReduceFunction.Prod, [2, 0, 3, 0], [0], [1], dx, [4], [true], new float[6], w);
            Assert.Equal([0f, 0, 0, 0], dx);
            AxisReductions.Backward(ReduceFunction.L2, [0, 0, 0, 0], [0], [1], dx, [4], [true], new float[1], w);
            Assert.Equal([0f, 0, 0, 0], dx);
        }
    }

    [Fact]
    public void NoReducedAxisCopiesOrMaps()
    {
        float[] x = [1, -2, 3, -4, 5, -6];
        Assert.Equal(x, Run(ReduceFunction.Sum, x, [2, 3], [false, false], SimdWidth.Scalar).AsSpan(0, 6).ToArray());
        Assert.Equal(x, Run(ReduceFunction.Max, x, [2, 1, 3], [false, true, false], SimdWidth.V512).AsSpan(0, 6).ToArray());
        Assert.Equal([1, 2, 3, 4, 5, 6], Run(ReduceFunction.L1, x, [2, 3], [false, false], SimdWidth.V128).AsSpan(0, 6).ToArray());
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => AxisReductions.OutputLength([2, 3], [true]));
        Assert.Throws<ArgumentException>(() => AxisReductions.Forward(ReduceFunction.Sum, new float[5], [2, 3], [true, false], new float[3], []));
        Assert.Throws<ArgumentException>(() => AxisReductions.Forward(ReduceFunction.Sum, new float[6], [2, 3], [true, false], new float[2], []));
        Assert.Throws<ArgumentException>(() => AxisReductions.Forward(ReduceFunction.LogSumExp, new float[6], [2, 3], [true, false], new float[3], new float[8]));
    }
}
