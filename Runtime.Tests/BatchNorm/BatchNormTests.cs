using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.BatchNorm;

using BN = Simd.Runtime.Intrinsics.BatchNorm;

[Trait("Category", "Kernels")]
public class BatchNormTests
{
    private static readonly SimdWidth[] VectorWidths = [SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];
    private static readonly int[] RowCounts = [1, 2, 3, 7, 32, 100];
    private const int MaxFeatures = 130;
    private const float Epsilon = 1e-5f;

    /// <summary>Columns with offsets up to ±8 and spreads from 0.1 to 2: |mean|/std up to ~80 exercises the shifted sums.</summary>
    private static float[] Batch(Random random, int rows, int features)
    {
        var x = new float[rows * features];
        for (int f = 0; f < features; f++)
        {
            float offset = (float)(random.NextDouble() * 16 - 8), spread = (float)(0.1 + random.NextDouble() * 1.9);
            for (int r = 0; r < rows; r++) x[r * features + f] = offset + spread * (float)(random.NextDouble() * 2 - 1);
        }
        return x;
    }

    private static float[] Uniform(Random random, int n, float low, float high)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = low + (high - low) * (float)random.NextDouble();
        return a;
    }

    /// <summary>
    /// Per-element outputs (y, dx, mean, invStd) of order one: float rounding of the mean of rows ≤ 100 values with
    /// |mean|/std ≤ 80 and of the shifted sums leaves a few 1e-6 relative; 2e-4 leaves margin for FMA vs mul+add.
    /// The message is formatted only on failure: the sweeps compare millions of elements.
    /// </summary>
    private static void Near(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e)) { if (!(double.IsNaN(a))) Assert.Fail($"{what}[{i}]: expected NaN, got {a}"); continue; }
            if (!(Math.Abs(e - a) <= tolerance * (1 + Math.Abs(e)))) Assert.Fail($"{what}[{i}]: expected {e}, got {a}");
        }
    }

    [Fact]
    public void ForwardTrainingEveryWidthMatchesScalarReference()
    {
        var random = new Random(1);
        foreach (int rows in RowCounts)
            for (int features = 0; features <= MaxFeatures; features++)
            {
                float[] x = Batch(random, rows, features);
                float[] gamma = Uniform(random, features, 0.5f, 2), beta = Uniform(random, features, -1, 1);
                var (y0, mean0, inv0) = (new float[x.Length], new float[features], new float[features]);
                BN.ForwardTraining(SimdWidth.Scalar, x, rows, features, gamma, beta, Epsilon, y0, mean0, inv0);
                foreach (var width in VectorWidths)
                {
                    var (y, mean, inv) = (new float[x.Length], new float[features], new float[features]);
                    BN.ForwardTraining(width, x, rows, features, gamma, beta, Epsilon, y, mean, inv);
                    string at = $"{width} rows={rows} features={features}";
                    Near(mean0, mean, 2e-6, "mean " + at);
                    // invStd is large (≤ 1/sqrt(eps)) for rows = 1; relative comparison.
                    Near(inv0, inv, 2e-4, "invStd " + at);
                    Near(y0, y, 2e-4, "y " + at);
                }
            }
    }

    [Fact]
    public void BackwardEveryWidthMatchesScalarReference()
    {
        var random = new Random(2);
        foreach (int rows in RowCounts)
            for (int features = 0; features <= MaxFeatures; features++)
            {
                float[] x = Batch(random, rows, features), dy = Uniform(random, rows * features, -1, 1);
                float[] gamma = Uniform(random, features, 0.5f, 2), beta = new float[features];
                var (y, mean, inv) = (new float[x.Length], new float[features], new float[features]);
                BN.ForwardTraining(SimdWidth.Scalar, x, rows, features, gamma, beta, Epsilon, y, mean, inv);
                var (dx0, dg0, db0) = (new float[x.Length], new float[features], new float[features]);
                BN.Backward(SimdWidth.Scalar, x, dy, rows, features, gamma, mean, inv, dx0, dg0, db0);
                foreach (var width in VectorWidths)
                {
                    var (dx, dg, db) = (new float[x.Length], new float[features], new float[features]);
                    BN.Backward(width, x, dy, rows, features, gamma, mean, inv, dx, dg, db);
                    string at = $"{width} rows={rows} features={features}";
                    // Sums of `rows` terms of order one: float accumulation error grows with rows·ε.
                    Near(db0, db, 1e-4, "dBeta " + at);
                    Near(dg0, dg, 1e-4, "dGamma " + at);
                    Near(dx0, dx, 2e-4, "dx " + at);
                }
            }
    }

    /// <summary>Double-precision forward of the loss L = Σ y·r, the function the finite differences differentiate.</summary>
    private static double Loss(double[] x, double[] gamma, double[] beta, double[] r, int rows, int features, double epsilon)
    {
        double loss = 0;
        for (int f = 0; f < features; f++)
        {
            double mean = 0, variance = 0;
            for (int i = 0; i < rows; i++) mean += x[i * features + f];
            mean /= rows;
            for (int i = 0; i < rows; i++) variance += Math.Pow(x[i * features + f] - mean, 2);
            variance /= rows;
            for (int i = 0; i < rows; i++)
                loss += r[i * features + f] * (gamma[f] * (x[i * features + f] - mean) / Math.Sqrt(variance + epsilon) + beta[f]);
        }
        return loss;
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 5)]
    [InlineData(7, 17)]
    [InlineData(4, 35)]
    public void BackwardMatchesFiniteDifferences(int rows, int features)
    {
        var random = new Random(rows * 100 + features);
        float[] x = Batch(random, rows, features), dy = Uniform(random, rows * features, -1, 1);
        float[] gamma = Uniform(random, features, 0.5f, 2), beta = Uniform(random, features, -1, 1);
        const float eps = 1e-3f;
        double[] xd = Array.ConvertAll(x, v => (double)v), gd = Array.ConvertAll(gamma, v => (double)v);
        double[] bd = Array.ConvertAll(beta, v => (double)v), rd = Array.ConvertAll(dy, v => (double)v);
        const double h = 1e-6;
        double Derivative(double[] a, int i)
        {
            double keep = a[i];
            a[i] = keep + h; double plus = Loss(xd, gd, bd, rd, rows, features, eps);
            a[i] = keep - h; double minus = Loss(xd, gd, bd, rd, rows, features, eps);
            a[i] = keep;
            return (plus - minus) / (2 * h);
        }
        foreach (var width in (SimdWidth[])[SimdWidth.Scalar, .. VectorWidths])
        {
            var (y, mean, inv) = (new float[x.Length], new float[features], new float[features]);
            BN.ForwardTraining(width, x, rows, features, gamma, beta, eps, y, mean, inv);
            var (dx, dg, db) = (new float[x.Length], new float[features], new float[features]);
            BN.Backward(width, x, dy, rows, features, gamma, mean, inv, dx, dg, db);
            // Central differences in double are good to ~1e-8; the float kernel to a few 1e-6 of the gradient's scale.
            for (int i = 0; i < x.Length; i++) Assert.True(Math.Abs(Derivative(xd, i) - dx[i]) < 1e-3 * (1 + Math.Abs(dx[i])), $"{width} dx[{i}]");
            for (int f = 0; f < features; f++)
            {
                Assert.True(Math.Abs(Derivative(gd, f) - dg[f]) < 1e-3 * (1 + Math.Abs(dg[f])), $"{width} dGamma[{f}]");
                Assert.True(Math.Abs(Derivative(bd, f) - db[f]) < 1e-3 * (1 + Math.Abs(db[f])), $"{width} dBeta[{f}]");
            }
        }
    }

    [Fact]
    public void ForwardTrainingMatchesDoubleStatistics()
    {
        var random = new Random(3);
        const int rows = 32, features = 37;
        float[] x = Batch(random, rows, features), gamma = Uniform(random, features, 0.5f, 2), beta = Uniform(random, features, -1, 1);
        foreach (var width in (SimdWidth[])[SimdWidth.Scalar, .. VectorWidths])
        {
            var (y, mean, inv) = (new float[x.Length], new float[features], new float[features]);
            BN.ForwardTraining(width, x, rows, features, gamma, beta, Epsilon, y, mean, inv);
            for (int f = 0; f < features; f++)
            {
                double m = 0, v = 0;
                for (int r = 0; r < rows; r++) m += x[r * features + f];
                m /= rows;
                for (int r = 0; r < rows; r++) v += Math.Pow(x[r * features + f] - m, 2);
                v /= rows;
                double s = 1 / Math.Sqrt(v + Epsilon);
                Assert.True(Math.Abs(mean[f] - m) < 1e-5 * (1 + Math.Abs(m)), $"{width} mean[{f}]");
                Assert.True(Math.Abs(inv[f] - s) < 1e-4 * s, $"{width} invStd[{f}]");
                for (int r = 0; r < rows; r++)
                {
                    double expected = gamma[f] * (x[r * features + f] - m) * s + beta[f];
                    Assert.True(Math.Abs(y[r * features + f] - expected) < 2e-4 * (1 + Math.Abs(expected)), $"{width} y[{r},{f}]");
                }
            }
        }
    }

    [Fact]
    public void ConstantAndHugeColumnsStayFinite()
    {
        const int rows = 9, features = 21;
        var random = new Random(4);
        float[] x = new float[rows * features];
        float[] constants = [0, 1e6f, -3e30f, 3e38f, 7.5f];
        for (int f = 0; f < features; f++)
            for (int r = 0; r < rows; r++)
                x[r * features + f] = f < constants.Length ? constants[f] : 1e4f + (float)random.NextDouble();
        float[] gamma = Uniform(random, features, 0.5f, 2), beta = Uniform(random, features, -1, 1);
        float[] dy = Uniform(random, rows * features, -1, 1);
        foreach (var width in (SimdWidth[])[SimdWidth.Scalar, .. VectorWidths])
        {
            var (y, mean, inv) = (new float[x.Length], new float[features], new float[features]);
            BN.ForwardTraining(width, x, rows, features, gamma, beta, Epsilon, y, mean, inv);
            var (dx, dg, db) = (new float[x.Length], new float[features], new float[features]);
            BN.Backward(width, x, dy, rows, features, gamma, mean, inv, dx, dg, db);
            Assert.All(y, v => Assert.True(float.IsFinite(v), $"{width} y"));
            Assert.All(dx, v => Assert.True(float.IsFinite(v), $"{width} dx"));
            for (int f = 0; f < constants.Length; f++)
            {
                // Zero variance: invStd = 1/sqrt(eps) and y = beta exactly, since x − mean is exactly 0.
                Assert.Equal(constants[f], mean[f]);
                Assert.Equal(1 / Math.Sqrt(Epsilon), inv[f], 1e-3);
                for (int r = 0; r < rows; r++) Assert.Equal(beta[f], y[r * features + f]);
            }
            for (int f = constants.Length; f < features; f++)
            {
                // |mean|/std ≈ 3.5e4: raw Σx² − (Σx)²/n would keep no digit; the shifted sums keep invStd to ~1e-6.
                double m = 0, v = 0;
                for (int r = 0; r < rows; r++) m += x[r * features + f];
                m /= rows;
                for (int r = 0; r < rows; r++) v += Math.Pow(x[r * features + f] - m, 2);
                double s = 1 / Math.Sqrt(v / rows + Epsilon);
                Assert.True(Math.Abs(inv[f] - s) < 1e-4 * s, $"{width} invStd[{f}]: expected {s}, got {inv[f]}");
            }
        }
    }

    [Fact]
    public void NaNStaysInItsColumn()
    {
        const int rows = 5, features = 19;
        var random = new Random(5);
        foreach (var width in (SimdWidth[])[SimdWidth.Scalar, .. VectorWidths])
        {
            float[] x = Batch(random, rows, features), gamma = Uniform(random, features, 0.5f, 2), beta = new float[features];
            x[2 * features + 3] = float.NaN;
            x[0 * features + 18] = float.NaN;
            var (y, mean, inv) = (new float[x.Length], new float[features], new float[features]);
            BN.ForwardTraining(width, x, rows, features, gamma, beta, Epsilon, y, mean, inv);
            for (int f = 0; f < features; f++)
            {
                bool poisoned = f is 3 or 18;
                Assert.Equal(poisoned, float.IsNaN(mean[f]) || float.IsNaN(inv[f]));
                for (int r = 0; r < rows; r++) Assert.Equal(poisoned, float.IsNaN(y[r * features + f]));
            }
            float[] clean = Batch(random, rows, features), dy = Uniform(random, rows * features, -1, 1);
            BN.ForwardTraining(width, clean, rows, features, gamma, beta, Epsilon, y, mean, inv);
            dy[4 * features + 11] = float.NaN;
            var (dx, dg, db) = (new float[x.Length], new float[features], new float[features]);
            BN.Backward(width, clean, dy, rows, features, gamma, mean, inv, dx, dg, db);
            for (int f = 0; f < features; f++)
            {
                Assert.Equal(f == 11, float.IsNaN(dg[f]));
                Assert.Equal(f == 11, float.IsNaN(db[f]));
                for (int r = 0; r < rows; r++) Assert.Equal(f == 11, float.IsNaN(dx[r * features + f]));
            }
        }
    }

    [Fact]
    public void InPlaceMatchesOutOfPlace()
    {
        var random = new Random(6);
        foreach (var width in (SimdWidth[])[SimdWidth.Scalar, .. VectorWidths])
            foreach (int features in (int[])[3, 4, 5, 9, 13, 23, 37])
            {
                const int rows = 6;
                float[] x = Batch(random, rows, features), dy = Uniform(random, rows * features, -1, 1);
                float[] gamma = Uniform(random, features, 0.5f, 2), beta = Uniform(random, features, -1, 1);
                var (y, mean, inv) = (new float[x.Length], new float[features], new float[features]);
                BN.ForwardTraining(width, x, rows, features, gamma, beta, Epsilon, y, mean, inv);
                float[] inPlace = (float[])x.Clone();
                BN.ForwardTraining(width, inPlace, rows, features, gamma, beta, Epsilon, inPlace, new float[features], new float[features]);
                Assert.Equal(y, inPlace);

                var (dx, dg, db) = (new float[x.Length], new float[features], new float[features]);
                BN.Backward(width, x, dy, rows, features, gamma, mean, inv, dx, dg, db);
                float[] dInPlace = (float[])dy.Clone();
                BN.Backward(width, x, dInPlace, rows, features, gamma, mean, inv, dInPlace, new float[features], new float[features]);
                Assert.Equal(dx, dInPlace);

                float[] scale = Uniform(random, features, -2, 2), shift = Uniform(random, features, -1, 1);
                BN.ForwardInference(width, x, rows, features, scale, shift, y);
                inPlace = (float[])x.Clone();
                BN.ForwardInference(width, inPlace, rows, features, scale, shift, inPlace);
                Assert.Equal(y, inPlace);
            }
    }

    [Fact]
    public void RunningStatisticsFollowPyTorch()
    {
        // Batch of 4 rows with biased variances 4 and 0.25: the running variance takes them unbiased, ×4/3.
        float[] mean = [1, -2], invStd = [(float)(1 / Math.Sqrt(4 + 1e-5)), (float)(1 / Math.Sqrt(0.25 + 1e-5))];
        float[] runningMean = [0, 10], runningVariance = [1, 2];
        BN.UpdateRunningStatistics(runningMean, runningVariance, mean, invStd, 1e-5f, 0.1f, 4);
        Assert.Equal(0.9 * 0 + 0.1 * 1, runningMean[0], 1e-6);            // 0.1
        Assert.Equal(0.9 * 10 + 0.1 * -2, runningMean[1], 1e-6);          // 8.8
        Assert.Equal(0.9 * 1 + 0.1 * 4 * 4 / 3.0, runningVariance[0], 1e-5);    // 1.4333…
        Assert.Equal(0.9 * 2 + 0.1 * 0.25 * 4 / 3.0, runningVariance[1], 1e-5); // 1.8333…
        // A second step compounds: running = 0.9·running + 0.1·batch again.
        BN.UpdateRunningStatistics(runningMean, runningVariance, mean, invStd, 1e-5f, 0.1f, 4);
        Assert.Equal(0.9 * 0.1 + 0.1 * 1, runningMean[0], 1e-6);          // 0.19
        Assert.Equal(0.9 * (0.9 + 0.4 / 0.75) + 0.1 * 4 / 0.75, runningVariance[0], 1e-5);
        // One row: no unbiased variance exists; the running variance stays, the mean still moves.
        BN.UpdateRunningStatistics(runningMean, runningVariance, mean, invStd, 1e-5f, 0.5f, 1);
        Assert.Equal(0.5 * 0.19 + 0.5 * 1, runningMean[0], 1e-6);
        Assert.Equal(0.9 * (0.9 + 0.4 / 0.75) + 0.1 * 4 / 0.75, runningVariance[0], 1e-5);
    }

    [Fact]
    public void RunningStatisticsOfADeadUnitDecayToZeroNotIntoSubnormals()
    {
        // A unit that outputs 0 for every sample of every batch (batch norm after a dead ReLU): batch mean 0 and
        // variance 0, so the running statistics decay by 0.9 a step. Unflushed they would pass through the
        // subnormal range (1e-30·0.9^k is below 2^-126 from k ≈ 75) and stay there, costing every later step.
        float[] mean = [0], invStd = [1 / MathF.Sqrt(1e-5f)];
        float[] runningMean = [1e-30f], runningVariance = [1e-30f];
        for (int step = 0; step < 2000; step++)
        {
            BN.UpdateRunningStatistics(runningMean, runningVariance, mean, invStd, 1e-5f, 0.1f, 32);
            Assert.Equal(0, Subnormals.Count(runningMean) + Subnormals.Count(runningVariance));
        }
        Assert.Equal(0f, runningMean[0]);
        Assert.Equal(0f, runningVariance[0]);
    }

    [Fact]
    public void FoldedInferenceMatchesTrainingFormula()
    {
        float[] gamma = [2, 0.5f, -1], beta = [0.5f, 0, 3], runningMean = [1, -4, 100], runningVariance = [4, 0.01f, 0];
        float[] scale = new float[3], shift = new float[3];
        BN.FoldInference(gamma, beta, runningMean, runningVariance, 1e-5f, scale, shift);
        for (int f = 0; f < 3; f++)
        {
            double s = gamma[f] / Math.Sqrt(runningVariance[f] + 1e-5);
            Assert.Equal(s, scale[f], Math.Abs(s) * 1e-6);
            Assert.Equal(beta[f] - runningMean[f] * s, shift[f], Math.Abs(runningMean[f] * s) * 1e-6 + 1e-6);
        }
    }

    [Fact]
    public void ForwardInferenceEveryWidthMatchesScalarReference()
    {
        var random = new Random(7);
        foreach (int rows in (int[])[0, 1, 3, 32])
            for (int features = 0; features <= MaxFeatures; features++)
            {
                float[] x = Uniform(random, rows * features, -3, 3);
                float[] scale = Uniform(random, features, -2, 2), shift = Uniform(random, features, -1, 1);
                float[] y0 = new float[x.Length];
                BN.ForwardInference(SimdWidth.Scalar, x, rows, features, scale, shift, y0);
                foreach (var width in VectorWidths)
                {
                    float[] y = new float[x.Length];
                    BN.ForwardInference(width, x, rows, features, scale, shift, y);
                    // One multiply-add: FMA vs mul+add differ by at most one rounding.
                    Near(y0, y, 1e-6, $"y {width} rows={rows} features={features}");
                }
            }
    }

    [Fact]
    public void CallsAllocateNothingAfterWarmUp()
    {
        const int rows = 32, features = 45;
        var random = new Random(8);
        float[] x = Batch(random, rows, features), dy = Uniform(random, rows * features, -1, 1), y = new float[x.Length], dx = new float[x.Length];
        float[] gamma = Uniform(random, features, 0.5f, 2), beta = new float[features], mean = new float[features], inv = new float[features];
        float[] dg = new float[features], db = new float[features], rm = new float[features], rv = new float[features];
        void All()
        {
            BN.ForwardTraining(x, rows, features, gamma, beta, Epsilon, y, mean, inv);
            BN.Backward(x, dy, rows, features, gamma, mean, inv, dx, dg, db);
            BN.UpdateRunningStatistics(rm, rv, mean, inv, Epsilon, 0.1f, rows);
            BN.FoldInference(gamma, beta, rm, rv, Epsilon, dg, db);
            BN.ForwardInference(x, rows, features, dg, db, y);
        }
        Assert.Equal(0, Allocations.OnThisThread(All));
    }

    [Fact]
    public void MismatchedLengthsNameExpectedAndActual()
    {
        float[] x = new float[12], f3 = new float[3], f4 = new float[4];
        var e = Assert.Throws<ArgumentException>(() => BN.ForwardTraining(x.AsSpan(1), 3, 4, f4, f4, Epsilon, x.AsSpan(1), f4, f4));
        Assert.Contains("11", e.Message);
        Assert.Contains("12", e.Message);
        e = Assert.Throws<ArgumentException>(() => BN.ForwardTraining(x, 3, 4, f3, f4, Epsilon, new float[12], f4, f4));
        Assert.Equal("gamma", e.ParamName);
        Assert.Contains("3", e.Message);
        Assert.Contains("4", e.Message);
        e = Assert.Throws<ArgumentException>(() => BN.Backward(x, x, 3, 4, f4, f4, f4, new float[12], f4, f3));
        Assert.Equal("dBeta", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => BN.ForwardInference(x, 3, 4, f4, f4, x.AsSpan(0, 11)));
        Assert.Equal("y", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => BN.FoldInference(f4, f4, f4, f3, 1e-5f, f4, f4));
        Assert.Equal("runningVariance", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => BN.UpdateRunningStatistics(f4, f3, f4, f4, 1e-5f, 0.1f, 4));
        Assert.Equal("runningVariance", e.ParamName);
        var shifted = new float[13];
        e = Assert.Throws<ArgumentException>(() => BN.ForwardInference(shifted.AsSpan(0, 12), 3, 4, f4, f4, shifted.AsSpan(1)));
        Assert.Contains("overlaps", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BN.ForwardTraining([], 0, 0, [], [], Epsilon, [], [], []));
    }
}
