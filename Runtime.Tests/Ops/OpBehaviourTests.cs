using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Models;
using Simd.Runtime.Tests.Training;

namespace Simd.Runtime.Tests.Ops;

public sealed class OpBehaviourTests
{
    [Fact]
    public void BatchNormTrainingUsesBatchStatisticsAndMovesRunningOnes()
    {
        using var model = new ModelBuilder(2).BatchNorm(momentum: 0.1f).Build(maxBatch: 4);
        float[] x = [1, 10, 2, 20, 3, 30, 6, 40];
        var y = model.Forward(x, 4, training: true).ToArray();
        // Training output: zero mean, unit (biased) variance per feature, up to ε = 1e-5.
        for (int f = 0; f < 2; f++)
        {
            double mean = 0, sq = 0;
            for (int r = 0; r < 4; r++) { mean += y[r * 2 + f]; sq += y[r * 2 + f] * y[r * 2 + f]; }
            Assert.Equal(0, mean / 4, 1e-5);
            Assert.Equal(1, sq / 4, 1e-4);
        }
        var bn = (BatchNormOp)model.Nodes[0].Op;
        // Feature 0: mean 3, unbiased variance 14/3. Running: 0.9·0 + 0.1·3, 0.9·1 + 0.1·14/3.
        Assert.Equal(0.3, bn.RunningMean[0], 1e-6);
        Assert.Equal(0.9 + 0.1 * 14 / 3.0, bn.RunningVariance[0], 1e-5);

        // Evaluation normalises with the running statistics instead.
        var eval = model.Forward(x, 4, training: false).ToArray();
        Assert.Equal((1 - 0.3) / Math.Sqrt(bn.RunningVariance[0] + 1e-5), eval[0], 1e-5);
        // And does not move them.
        Assert.Equal(0.3, bn.RunningMean[0], 1e-6);
    }

    [Fact]
    public void BatchNormOfOneRowNormalizesWithTheRunningStatisticsAndLeavesThemAlone()
    {
        using var model = new ModelBuilder(3).BatchNorm().Build(maxBatch: 4);
        var bn = (BatchNormOp)model.Nodes[0].Op;
        model.Forward([1f, 2f, 3f, 5f, 4f, 9f], 2, training: true);
        float[] mean = bn.RunningMean.ToArray(), variance = bn.RunningVariance.ToArray();

        var y = model.Forward([1f, 2f, 3f], 1, training: true).ToArray();

        // Not zeroed by its own statistics: the same as evaluation, and the running statistics unchanged.
        Assert.Equal(model.Forward([1f, 2f, 3f], 1, training: false).ToArray(), y);
        Assert.Equal(mean, bn.RunningMean.ToArray());
        Assert.Equal(variance, bn.RunningVariance.ToArray());
    }

    [Fact]
    public void DropoutScalesSurvivorsAndIsIdentityInEvaluation()
    {
        const int rows = 64, features = 100;
        using var model = new ModelBuilder(features).Dropout(0.25f).Build(seed: 5, maxBatch: rows);
        var x = Enumerable.Repeat(1f, rows * features).ToArray();
        var y = model.Forward(x, rows, training: true).ToArray();
        Assert.All(y, v => Assert.True(v == 0f || v == 1f / 0.75f, v.ToString()));
        double dropped = y.Count(v => v == 0f) / (double)y.Length;
        // 6,400 Bernoulli(0.25) draws: standard deviation 0.0054, so ±0.03 is over 5σ.
        Assert.InRange(dropped, 0.22, 0.28);
        // Mean preserved (inverted dropout).
        Assert.InRange(y.Average(), 0.95, 1.05);

        // Backward multiplies by the same mask.
        model.OutputGradient(rows).Fill(1f);
        model.ComputeInputGradient = true;
        model.Backward(rows);
        Assert.Equal(y, model.InputGradient(rows).ToArray());

        // A new step draws a new mask; evaluation passes everything through.
        var y2 = model.Forward(x, rows, training: true).ToArray();
        Assert.NotEqual(y, y2);
        Assert.Equal(x, model.Forward(x, rows, training: false).ToArray());
    }

    [Fact]
    public void SmallerBatchesReuseThePlannedBlock()
    {
        using var model = TestModels.Mlp(8, 3, maxBatch: 16);
        var x = TestModels.RandomArray(16 * 8, 1);
        var full = model.Forward(x, 16, training: false).ToArray();
        var first = model.Forward(x.AsSpan(0, 5 * 8), 5, training: false).ToArray();
        Assert.Equal(full.AsSpan(0, 15).ToArray(), first);
        Assert.Equal(16, model.MaxBatch);
        model.Forward(TestModels.RandomArray(40 * 8, 2), 40, training: false);
        Assert.Equal(40, model.MaxBatch);
    }

    [Fact]
    public void DenseStoresWeightsInputsByOutputs()
    {
        using var model = new ModelBuilder(3).Dense(2, ActivationKind.Relu).Build(maxBatch: 1);
        var dense = (DenseOp)model.Nodes[0].Op;
        Assert.Equal(6, dense.Weights.Length);
        float[] w = [1, -1, 2, -2, 3, -3]; // W[i][o]
        w.CopyTo(dense.Weights);
        dense.Bias[1] = 100;
        var y = model.Forward([1f, 1f, 1f], 1, training: false);
        Assert.Equal(6f, y[0]);
        Assert.Equal(94f, y[1]);
        Assert.Equal(8, dense.ParameterCount);
    }

    [Fact]
    public void BadBatchShapeNamesExpectedAndActual()
    {
        using var model = TestModels.Mlp(8, 3);
        var e = Assert.Throws<ArgumentException>(() => model.Forward(new float[20], 3, training: false));
        Assert.Contains("20", e.Message);
        Assert.Contains("24", e.Message);
        Assert.Throws<ArgumentException>(() => model.Predict(new float[16], new float[5]));
    }
}
