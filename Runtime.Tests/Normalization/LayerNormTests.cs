using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Normalization;

using LN = Simd.Runtime.Intrinsics.LayerNorm;

/// <summary>
/// The layer-norm kernel at every width against its scalar reference (statistics in double), against statistics
/// computed here in double, and against finite differences; rows of every length from 0 to 300, constant rows,
/// rows with a large mean, rows near float's largest and smallest values, NaN and infinities, and bad arguments.
/// </summary>
[Trait("Category", "Kernels")]
public class LayerNormTests
{
    private static readonly SimdWidth[] VectorWidths = [SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];
    private static readonly SimdWidth[] AllWidths = [SimdWidth.Scalar, .. VectorWidths];
    private static readonly int[] RowCounts = [0, 1, 3, 7];
    private const int MaxLength = 300;
    private const float Epsilon = 1e-5f;

    /// <summary>Rows with offsets up to ±50 spreads and spreads from 0.01 to 10: |mean|/std up to ~100.</summary>
    private static float[] Rows(Random random, int rows, int length)
    {
        var x = new float[rows * length];
        for (int r = 0; r < rows; r++)
        {
            double spread = Math.Pow(10, random.NextDouble() * 3 - 2), offset = (random.NextDouble() * 2 - 1) * 50 * spread;
            for (int i = 0; i < length; i++) x[r * length + i] = (float)(offset + spread * (random.NextDouble() * 2 - 1));
        }
        return x;
    }

    private static float[] Uniform(Random random, int n, float low, float high)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = low + (high - low) * (float)random.NextDouble();
        return a;
    }

    /// <summary>|expected − actual| ≤ tolerance·(1 + |expected|); NaN must meet NaN. Formatted only on failure.</summary>
    private static void Near(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e)) { if (!double.IsNaN(a)) Assert.Fail($"{what}[{i}]: expected NaN, got {a}"); continue; }
            if (!(Math.Abs(e - a) <= tolerance * (1 + Math.Abs(e)))) Assert.Fail($"{what}[{i}]: expected {e}, got {a}");
        }
    }

    /// <summary>
    /// y of two runs of the same row: the means, each within a few units in the last place of the exact one, may
    /// differ by that much, which (x − mean)·rstd·γ magnifies by rstd·|γ|; the rest is float rounding of order one.
    /// </summary>
    private static void NearOutputs(float[] expected, float[] actual, float[] mean, float[] rstd, float[] gamma, int length, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            int r = i / length;
            double g = gamma.Length == 0 ? 1 : Math.Abs(gamma[i % length]);
            double bound = 2e-5 * (1 + Math.Abs(expected[i])) + 4 * 1.2e-7 * Math.Abs(mean[r]) * rstd[r] * g;
            if (!(Math.Abs(expected[i] - actual[i]) <= bound)) Assert.Fail($"{what}: y[{i}] expected {expected[i]}, got {actual[i]}");
        }
    }

    /// <summary>Every combination of scale and shift being given: (gamma, beta) of length n or empty.</summary>
    private static IEnumerable<(float[] Gamma, float[] Beta, string Name)> Affine(Random random, int length)
    {
        float[] gamma = Uniform(random, length, 0.5f, 2), beta = Uniform(random, length, -1, 1);
        yield return (gamma, beta, "scale+shift");
        yield return (gamma, [], "scale");
        yield return ([], beta, "shift");
        yield return ([], [], "plain");
    }

    [Fact]
    public void ForwardEveryWidthMatchesScalarReference()
    {
        var random = new Random(1);
        foreach (int rows in RowCounts)
            for (int length = 0; length <= MaxLength; length++)
            {
                float[] x = Rows(random, rows, length);
                foreach (var (gamma, beta, affine) in Affine(random, length))
                {
                    var (y0, mean0, rstd0) = (new float[x.Length], new float[rows], new float[rows]);
                    LN.Forward(SimdWidth.Scalar, x, rows, length, gamma, beta, Epsilon, y0, mean0, rstd0);
                    foreach (var width in VectorWidths)
                    {
                        var (y, mean, rstd) = (new float[x.Length], new float[rows], new float[rows]);
                        LN.Forward(width, x, rows, length, gamma, beta, Epsilon, y, mean, rstd);
                        string at = $"{width} rows={rows} length={length} {affine}";
                        for (int r = 0; r < rows; r++)
                        {
                            // Within a few ulps of the exact mean, measured against the row's spread as well.
                            double scaleOfRow = Math.Abs(mean0[r]) + 1 / rstd0[r];
                            Assert.True(Math.Abs(mean[r] - mean0[r]) <= 5e-7 * scaleOfRow, $"mean[{r}] {at}: {mean[r]} vs {mean0[r]}");
                            Assert.True(Math.Abs(rstd[r] - rstd0[r]) <= 2e-6 * rstd0[r], $"rstd[{r}] {at}: {rstd[r]} vs {rstd0[r]}");
                        }
                        NearOutputs(y0, y, mean0, rstd0, gamma, length, at);
                    }
                }
            }
    }

    [Fact]
    public void InPlaceAndWithoutStatisticsGiveTheSameBits()
    {
        var random = new Random(2);
        foreach (var width in AllWidths)
            foreach (int length in (int[])[1, 3, 4, 5, 8, 15, 16, 17, 31, 33, 64, 100, 257])
            {
                const int rows = 5;
                float[] x = Rows(random, rows, length);
                foreach (var (gamma, beta, affine) in Affine(random, length))
                {
                    var (y, mean, rstd) = (new float[x.Length], new float[rows], new float[rows]);
                    LN.Forward(width, x, rows, length, gamma, beta, Epsilon, y, mean, rstd);
                    float[] inPlace = (float[])x.Clone();
                    LN.Forward(width, inPlace, rows, length, gamma, beta, Epsilon, inPlace, mean, rstd);
                    Assert.True(y.AsSpan().SequenceEqual(inPlace), $"{width} length={length} {affine}: y = x differs");
                    var unkept = new float[x.Length];
                    LN.Forward(width, x, rows, length, gamma, beta, Epsilon, unkept, default, default);
                    Assert.True(y.AsSpan().SequenceEqual(unkept), $"{width} length={length} {affine}: without mean and rstd differs");
                }
            }
    }

    [Fact]
    public void BackwardEveryWidthMatchesScalarReference()
    {
        var random = new Random(3);
        foreach (int rows in RowCounts)
            for (int length = 0; length <= MaxLength; length++)
            {
                float[] x = Rows(random, rows, length), dy = Uniform(random, rows * length, -1, 1);
                foreach (var (gamma, beta, affine) in Affine(random, length))
                {
                    var (y, mean, rstd) = (new float[x.Length], new float[rows], new float[rows]);
                    LN.Forward(SimdWidth.Scalar, x, rows, length, gamma, beta, Epsilon, y, mean, rstd);
                    // The parameter gradients are added to what the spans hold.
                    float[] dg0 = gamma.Length == 0 ? [] : Uniform(random, length, -1, 1), db0 = beta.Length == 0 ? [] : Uniform(random, length, -1, 1);
                    float[] startGamma = (float[])dg0.Clone(), startBeta = (float[])db0.Clone();
                    var dx0 = new float[x.Length];
                    LN.Backward(SimdWidth.Scalar, x, dy, rows, length, gamma, mean, rstd, dx0, dg0, db0);
                    foreach (var width in VectorWidths)
                    {
                        var dx = new float[x.Length];
                        float[] dg = (float[])startGamma.Clone(), db = (float[])startBeta.Clone();
                        LN.Backward(width, x, dy, rows, length, gamma, mean, rstd, dx, dg, db);
                        string at = $"{width} rows={rows} length={length} {affine}";
                        // Sums of `rows` terms of order one, the dx of `length`: float accumulation error grows with them.
                        Near(dg0, dg, 2e-5, "dGamma " + at);
                        Near(db0, db, 2e-5, "dBeta " + at);
                        Near(dx0, dx, 5e-5, "dx " + at);
                    }
                }
            }
    }

    [Fact]
    public void BackwardInPlaceAndInPartsGiveTheSameResults()
    {
        var random = new Random(4);
        foreach (var width in AllWidths)
            foreach (int length in (int[])[1, 5, 16, 17, 100])
            {
                const int rows = 6;
                float[] x = Rows(random, rows, length), dy = Uniform(random, rows * length, -1, 1);
                float[] gamma = Uniform(random, length, 0.5f, 2), beta = Uniform(random, length, -1, 1);
                var (y, mean, rstd) = (new float[x.Length], new float[rows], new float[rows]);
                LN.Forward(width, x, rows, length, gamma, beta, Epsilon, y, mean, rstd);
                var (dx, dg, db) = (new float[x.Length], new float[length], new float[length]);
                LN.Backward(width, x, dy, rows, length, gamma, mean, rstd, dx, dg, db);
                string at = $"{width} length={length}";

                float[] inPlace = (float[])dy.Clone();
                var (dg1, db1) = (new float[length], new float[length]);
                LN.Backward(width, x, inPlace, rows, length, gamma, mean, rstd, inPlace, dg1, db1);
                Assert.True(dx.AsSpan().SequenceEqual(inPlace), $"{at}: dx = dy differs");
                Assert.True(dg.AsSpan().SequenceEqual(dg1) && db.AsSpan().SequenceEqual(db1), $"{at}: dx = dy changes the parameter gradients");

                // Without dx: the same parameter gradients. In two calls of 2 and 4 rows: their sum.
                var (dg2, db2) = (new float[length], new float[length]);
                LN.Backward(width, x, dy, rows, length, gamma, mean, rstd, default, dg2, db2);
                Assert.True(dg.AsSpan().SequenceEqual(dg2) && db.AsSpan().SequenceEqual(db2), $"{at}: without dx the parameter gradients differ");
                var (dg3, db3, dx3) = (new float[length], new float[length], new float[x.Length]);
                int split = 2 * length;
                LN.Backward(width, x.AsSpan(0, split), dy.AsSpan(0, split), 2, length, gamma, mean.AsSpan(0, 2), rstd.AsSpan(0, 2), dx3.AsSpan(0, split), dg3, db3);
                LN.Backward(width, x.AsSpan(split), dy.AsSpan(split), rows - 2, length, gamma, mean.AsSpan(2), rstd.AsSpan(2), dx3.AsSpan(split), dg3, db3);
                Assert.True(dx.AsSpan().SequenceEqual(dx3), $"{at}: dx in two calls differs");
                Near(dg, dg3, 1e-6, "dGamma in two calls " + at);
                Near(db, db3, 1e-6, "dBeta in two calls " + at);
            }
    }

    /// <summary>Double-precision L = Σ y·w, the function the finite differences differentiate.</summary>
    private static double Loss(double[] x, double[] gamma, double[] beta, double[] w, int rows, int length, double epsilon)
    {
        double loss = 0;
        for (int r = 0; r < rows; r++)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < length; i++) mean += x[r * length + i];
            mean /= length;
            for (int i = 0; i < length; i++) variance += Math.Pow(x[r * length + i] - mean, 2);
            variance /= length;
            for (int i = 0; i < length; i++)
                loss += w[r * length + i] * (gamma[i] * (x[r * length + i] - mean) / Math.Sqrt(variance + epsilon) + beta[i]);
        }
        return loss;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(3, 8)]
    [InlineData(2, 17)]
    [InlineData(4, 35)]
    public void BackwardMatchesFiniteDifferences(int rows, int length)
    {
        var random = new Random(rows * 100 + length);
        float[] x = Rows(random, rows, length), dy = Uniform(random, rows * length, -1, 1);
        float[] gamma = Uniform(random, length, 0.5f, 2), beta = Uniform(random, length, -1, 1);
        const float eps = 1e-3f;
        double[] xd = Array.ConvertAll(x, v => (double)v), gd = Array.ConvertAll(gamma, v => (double)v);
        double[] bd = Array.ConvertAll(beta, v => (double)v), wd = Array.ConvertAll(dy, v => (double)v);
        double Derivative(double[] a, int i, double h)
        {
            double keep = a[i];
            a[i] = keep + h; double plus = Loss(xd, gd, bd, wd, rows, length, eps);
            a[i] = keep - h; double minus = Loss(xd, gd, bd, wd, rows, length, eps);
            a[i] = keep;
            return (plus - minus) / (2 * h);
        }
        foreach (var width in AllWidths)
        {
            var (y, mean, rstd) = (new float[x.Length], new float[rows], new float[rows]);
            LN.Forward(width, x, rows, length, gamma, beta, eps, y, mean, rstd);
            var (dx, dg, db) = (new float[x.Length], new float[length], new float[length]);
            LN.Backward(width, x, dy, rows, length, gamma, mean, rstd, dx, dg, db);
            for (int i = 0; i < x.Length; i++)
            {
                // The step follows the row's spread, whose scale runs from 0.01 to 10.
                double h = 1e-4 / rstd[i / length];
                double numeric = Derivative(xd, i, h);
                Assert.True(Math.Abs(numeric - dx[i]) <= 1e-3 * (1 + Math.Abs(numeric)) + 1e-4 * rstd[i / length], $"{width} dx[{i}]: {dx[i]} vs {numeric}");
            }
            for (int i = 0; i < length; i++)
            {
                Assert.True(Math.Abs(Derivative(gd, i, 1e-6) - dg[i]) < 1e-3 * (1 + Math.Abs(dg[i])), $"{width} dGamma[{i}]");
                Assert.True(Math.Abs(Derivative(bd, i, 1e-6) - db[i]) < 1e-3 * (1 + Math.Abs(db[i])), $"{width} dBeta[{i}]");
            }
        }
    }

    /// <summary>Rows with |mean|/std from 10³ to 10⁵: the one-pass Σx² − (Σx)²/n formula would lose every digit here.</summary>
    [Fact]
    public void LargeMeansKeepTheStatisticsExact()
    {
        var random = new Random(5);
        foreach (var width in AllWidths)
            foreach (double ratio in (double[])[1e3, 1e4, 1e5])
                foreach (int length in (int[])[7, 16, 33, 300])
                {
                    const int rows = 4;
                    var x = new float[rows * length];
                    for (int i = 0; i < x.Length; i++) x[i] = (float)(ratio * (i / length % 2 == 0 ? 1 : -3) + random.NextDouble() * 2 - 1);
                    var (y, mean, rstd) = (new float[x.Length], new float[rows], new float[rows]);
                    LN.Forward(width, x, rows, length, [], [], Epsilon, y, mean, rstd);
                    for (int r = 0; r < rows; r++)
                    {
                        double m = 0, v = 0;
                        for (int i = 0; i < length; i++) m += x[r * length + i];
                        m /= length;
                        for (int i = 0; i < length; i++) v += Math.Pow(x[r * length + i] - m, 2);
                        v /= length;
                        double s = 1 / Math.Sqrt(v + Epsilon);
                        string at = $"{width} ratio={ratio} length={length} row {r}";
                        Assert.True(Math.Abs(mean[r] - m) <= 1.2e-7 * Math.Abs(m), $"{at}: mean {mean[r]} vs {m}");
                        Assert.True(Math.Abs(rstd[r] - s) <= 1e-6 * s, $"{at}: rstd {rstd[r]} vs {s}");
                        double sum = 0, squares = 0;
                        for (int i = 0; i < length; i++)
                        {
                            sum += y[r * length + i];
                            squares += (double)y[r * length + i] * y[r * length + i];
                        }
                        // Normalised: mean 0 and variance v/(v + ε) up to the rounding of the float mean (|mean|·2⁻²⁴·rstd).
                        double slack = Math.Abs(m) * 6e-8 * s;
                        Assert.True(Math.Abs(sum / length) <= 1e-5 + slack, $"{at}: mean of y {sum / length}");
                        Assert.True(Math.Abs(squares / length - v / (v + Epsilon)) <= 1e-4 + 2 * slack, $"{at}: variance of y {squares / length}");
                    }
                }
    }

    [Fact]
    public void ConstantRowsNormaliseToTheShift()
    {
        float[] values = [0, 1, -7.5f, 0.1f, 3.3e-3f, 1e-30f, 1e-40f, -1e30f, 3e38f, float.MaxValue, -float.MaxValue, float.Epsilon];
        var random = new Random(6);
        float expectedRstd = (float)(1 / Math.Sqrt(Epsilon));
        foreach (var width in AllWidths)
            foreach (int length in (int[])[1, 3, 4, 8, 16, 17, 100, 300])
            {
                int rows = values.Length;
                var x = new float[rows * length];
                for (int r = 0; r < rows; r++) x.AsSpan(r * length, length).Fill(values[r]);
                float[] gamma = Uniform(random, length, 0.5f, 2), beta = Uniform(random, length, -1, 1);
                var (y, mean, rstd) = (new float[x.Length], new float[rows], new float[rows]);
                LN.Forward(width, x, rows, length, gamma, beta, Epsilon, y, mean, rstd);
                for (int r = 0; r < rows; r++)
                {
                    string at = $"{width} length={length} value {values[r]}";
                    Assert.True(mean[r] == values[r], $"{at}: mean {mean[r]}");
                    Assert.True(Math.Abs(rstd[r] - expectedRstd) <= 1e-6 * expectedRstd, $"{at}: rstd {rstd[r]}");
                    Assert.True(y.AsSpan(r * length, length).SequenceEqual(beta), $"{at}: y is not beta");
                }
                var dy = Uniform(random, x.Length, -1, 1);
                var (dx, dg, db) = (new float[x.Length], new float[length], new float[length]);
                LN.Backward(width, x, dy, rows, length, gamma, mean, rstd, dx, dg, db);
                Assert.All(dx, v => Assert.True(float.IsFinite(v)));
                Assert.All(dg, v => Assert.Equal(0f, v));
            }
    }

    /// <summary>
    /// Rows near float's largest values, whose squares and sums overflow float, and near its smallest, whose
    /// squares underflow: the statistics match the double reference and y is finite.
    /// </summary>
    [Theory]
    [InlineData(1e36, 1e36, 1e-5)]
    [InlineData(1e38, 5e37, 1e-5)]
    [InlineData(-2e38, 1e38, 1e-5)]
    [InlineData(1e20, 3e19, 1e-5)]
    [InlineData(0, 1e-30, 0)]
    [InlineData(1e-25, 1e-30, 0)]
    [InlineData(0, 1e-19, 1e-30)]
    public void ExtremeMagnitudesStayFiniteAndAccurate(double offset, double spread, double epsilon)
    {
        var random = new Random(7);
        foreach (var width in AllWidths)
            foreach (int length in (int[])[5, 16, 37, 300])
            {
                const int rows = 3;
                var x = new float[rows * length];
                for (int i = 0; i < x.Length; i++) x[i] = (float)(offset + spread * (random.NextDouble() * 2 - 1));
                var (y, mean, rstd) = (new float[x.Length], new float[rows], new float[rows]);
                LN.Forward(width, x, rows, length, [], [], (float)epsilon, y, mean, rstd);
                string at = $"{width} offset={offset} spread={spread} length={length}";
                for (int r = 0; r < rows; r++)
                {
                    var (m, s) = LayerNormScalar.Statistics(x.AsSpan(r * length, length), (float)epsilon);
                    Assert.True(Math.Abs(mean[r] - m) <= 2.4e-7 * Math.Abs(m) + 1e-6 / s, $"{at}: mean {mean[r]} vs {m}");
                    Assert.True(Math.Abs(rstd[r] - s) <= 1e-5 * s, $"{at}: rstd {rstd[r]} vs {s}");
                    Assert.True(s > 0 && float.IsFinite(s), $"{at}: reference rstd {s}");
                }
                Assert.All(y, v => Assert.True(float.IsFinite(v) && Math.Abs(v) < 10, $"{at}: y {v}"));
                var dy = Uniform(random, x.Length, -1, 1);
                var (dx, dg, db) = (new float[x.Length], new float[length], new float[length]);
                LN.Backward(width, x, dy, rows, length, [], mean, rstd, dx, dg, db);
                Assert.All(dg, v => Assert.True(float.IsFinite(v), $"{at}: dGamma {v}"));
            }
    }

    /// <summary>The scale of the statistics: a power of two bringing the largest magnitude to [1, 2), itself always a normal float.</summary>
    [Theory]
    [InlineData(1f, 1f)]
    [InlineData(1.99f, 1f)]
    [InlineData(2f, 0.5f)]
    [InlineData(0.3f, 4f)]
    [InlineData(1e30f, 1.5777218e-30f)]
    [InlineData(float.MaxValue, 1.17549435e-38f)]
    [InlineData(float.PositiveInfinity, 1.17549435e-38f)]
    [InlineData(0f, 8.507059e37f)]
    [InlineData(1e-40f, 8.507059e37f)]
    public void TheScaleIsAPowerOfTwoWithinTheNormalRange(float largest, float expected) =>
        Assert.Equal(expected, LayerNormVector.PowerOfTwoScale(largest));

    [Fact]
    public void NaNAndInfinityPoisonOnlyTheirRow()
    {
        float[] poisons = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];
        var random = new Random(8);
        foreach (var width in AllWidths)
            foreach (int length in (int[])[1, 4, 9, 16, 33])
                foreach (float poison in poisons)
                    for (int at = 0; at < length; at += Math.Max(1, length / 3))
                    {
                        const int rows = 3;
                        float[] x = Rows(random, rows, length);
                        x[length + at] = poison;
                        float[] gamma = Uniform(random, length, 0.5f, 2), beta = Uniform(random, length, -1, 1);
                        var (y, mean, rstd) = (new float[x.Length], new float[rows], new float[rows]);
                        LN.Forward(width, x, rows, length, gamma, beta, Epsilon, y, mean, rstd);
                        var (y0, mean0, rstd0) = (new float[x.Length], new float[rows], new float[rows]);
                        LN.Forward(SimdWidth.Scalar, x, rows, length, gamma, beta, Epsilon, y0, mean0, rstd0);
                        string where = $"{width} length={length} {poison} at {at}";
                        Assert.All(y.AsSpan(length, length).ToArray(), v => Assert.True(float.IsNaN(v), $"{where}: y {v}"));
                        Assert.True(float.IsNaN(rstd[1]), $"{where}: rstd {rstd[1]}");
                        foreach (int r in (int[])[0, 2])
                        {
                            Assert.True(float.IsFinite(mean[r]) && float.IsFinite(rstd[r]), $"{where}: row {r}");
                            NearOutputs(y0.AsSpan(r * length, length).ToArray(), y.AsSpan(r * length, length).ToArray(), [mean0[r]], [rstd0[r]], gamma, length, where);
                        }
                    }
    }

    [Fact]
    public void EmptyRowsHaveMeanZeroAndTheEpsilonScale()
    {
        foreach (var width in AllWidths)
        {
            var (mean, rstd) = (new float[3], new float[3]);
            LN.Forward(width, [], 3, 0, [], [], 0.25f, [], mean, rstd);
            Assert.Equal([0f, 0f, 0f], mean);
            Assert.Equal([2f, 2f, 2f], rstd);
            LN.Backward(width, [], [], 3, 0, [], mean, rstd, [], [], []);
        }
    }

    public static TheoryData<string, string> BadArguments() => new()
    {
        { "x", "x has 11 elements; expected rows·length = 12." },
        { "y", "y has 13 elements; expected rows·length = 12." },
        { "gamma", "gamma has 3 elements; expected length = 4, or none." },
        { "beta", "beta has 5 elements; expected length = 4, or none." },
        { "mean", "rstd has 0 elements; expected rows (or mean and rstd both empty) = 3." },
        { "rstd", "rstd has 2 elements; expected rows (or mean and rstd both empty) = 3." },
        { "epsilon", "epsilon is NaN; expected a finite value of at least 0." },
        { "rows", "rows is -1; expected 0 or more." },
        { "overlap", "y overlaps x at an offset of 1 elements; expected the same span or disjoint spans." },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void ForwardNamesTheArgumentThatDoesNotFit(string wrong, string message)
    {
        var buffer = new float[40];
        float[] x = new float[wrong == "x" ? 11 : 12], y = new float[wrong == "y" ? 13 : 12];
        float[] gamma = new float[wrong == "gamma" ? 3 : 4], beta = new float[wrong == "beta" ? 5 : 4];
        float[] mean = new float[3], rstd = new float[wrong switch { "mean" => 0, "rstd" => 2, _ => 3 }];
        float epsilon = wrong == "epsilon" ? float.NaN : Epsilon;
        int rows = wrong == "rows" ? -1 : 3;
        var e = Assert.Throws<ArgumentException>(() =>
        {
            if (wrong == "overlap") LN.Forward(buffer.AsSpan(0, 12), 3, 4, gamma, beta, epsilon, buffer.AsSpan(1, 12), mean, rstd);
            else LN.Forward(x, rows, 4, gamma, beta, epsilon, y, mean, rstd);
        });
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void BackwardNamesTheArgumentThatDoesNotFit()
    {
        float[] x = new float[12], dy = new float[12], gamma = new float[4], mean = new float[3], rstd = new float[3];
        Assert.Equal("dy has 8 elements; expected rows·length = 12.",
            Assert.Throws<ArgumentException>(() => LN.Backward(x, new float[8], 3, 4, gamma, mean, rstd, new float[12], new float[4], new float[4])).Message);
        Assert.Equal("dx has 11 elements; expected rows·length = 12, or none.",
            Assert.Throws<ArgumentException>(() => LN.Backward(x, dy, 3, 4, gamma, mean, rstd, new float[11], new float[4], new float[4])).Message);
        Assert.Equal("mean has 2 elements; expected rows = 3.",
            Assert.Throws<ArgumentException>(() => LN.Backward(x, dy, 3, 4, gamma, new float[2], rstd, new float[12], new float[4], new float[4])).Message);
        Assert.Equal("dGamma has 5 elements; expected length = 4, or none.",
            Assert.Throws<ArgumentException>(() => LN.Backward(x, dy, 3, 4, gamma, mean, rstd, new float[12], new float[5], new float[4])).Message);
        var shared = new float[20];
        Assert.Equal("dx overlaps dy at an offset of 2 elements; expected the same span or disjoint spans.",
            Assert.Throws<ArgumentException>(() => LN.Backward(x, shared.AsSpan(0, 12), 3, 4, gamma, mean, rstd, shared.AsSpan(2, 12), new float[4], new float[4])).Message);
    }
}
