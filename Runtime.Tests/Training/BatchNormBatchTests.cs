using Simd.Runtime.Data;
using Simd.Runtime.GradientChecking;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Training;

/// <summary>BatchNorm and batches of one sample: refused as a batch size, harmless as the last batch of an epoch.</summary>
public class BatchNormBatchTests
{
    [Fact]
    public void ABatchSizeOfOneIsRefusedForAModelWithBatchNorm()
    {
        using var model = TestModels.Mlp(8, 3);
        var e = Assert.Throws<ArgumentException>(() =>
            new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd(), new TrainerOptions { BatchSize = 1 }));
        Assert.Contains("batch size of 1 cannot train a model with BatchNorm", e.Message);
        Assert.Contains("2 or more", e.Message);
        Assert.Null(e.ParamName);
    }

    [Fact]
    public void ATrainingSetOfOneSampleIsRefusedToo()
    {
        using var model = TestModels.Mlp(8, 3);
        var one = TestModels.Blobs(1, 8, 3, seed: 4);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd(), new TrainerOptions { Epochs = 1 });
        Assert.Contains("BatchNorm", Assert.Throws<ArgumentException>(() => trainer.Fit(one)).Message);
    }

    [Fact]
    public void WithoutBatchNormABatchSizeOfOneTrains()
    {
        using var model = new ModelBuilder(8).Dense(16, ActivationKind.Relu).Dense(3).Build(seed: 7);
        var options = new TrainerOptions { Epochs = 1, BatchSize = 1 };
        var history = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd(), options).Fit(TestModels.Blobs(20, 8, 3, seed: 4));
        Assert.True(double.IsFinite(history.Epochs[0].TrainLoss));
    }

    [Fact]
    public void BatchNormOverImagesTrainsAtABatchSizeOfOne()
    {
        // Over [channels, height, width] the statistics span height and width: one sample has them.
        var g = new Simd.Runtime.Graphs.GraphBuilder();
        var x = g.Input(new Simd.Runtime.Tensors.TensorShape(2, 2, 2));
        g.Output(g.Dense(g.Flatten(g.BatchNorm(x)), 3));
        using var model = g.Build(seed: 7);
        var options = new TrainerOptions { Epochs = 1, BatchSize = 1 };
        var history = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd(), options).Fit(TestModels.Blobs(20, 8, 3, seed: 4));
        Assert.True(double.IsFinite(history.Epochs[0].TrainLoss));
        var bn = model.Ops.OfType<BatchNormOp>().Single();
        Assert.NotEqual(0f, bn.RunningMean[0]);   // the batches of one moved the statistics
    }

    /// <summary>
    /// 2·16 + 1 samples in batches of 16 end in a batch of one. BatchNorm first, so its running statistics depend
    /// on the data alone: they must be what the two full batches make them, bit for bit.
    /// </summary>
    [Fact]
    public void ALastBatchOfOneLeavesTheRunningStatisticsAsTheOtherBatchesMadeThem()
    {
        const int batch = 16;
        Dataset all = TestModels.Blobs(2 * batch + 1, 8, 3, seed: 5);
        int[] firstTwo = Enumerable.Range(0, 2 * batch).ToArray();
        Dataset full = all.Subset(firstTwo, "two full batches");

        var (meanWithOne, varianceWithOne, loss) = TrainOneEpoch(all, batch);
        var (mean, variance, _) = TrainOneEpoch(full, batch);

        Assert.Equal(mean, meanWithOne);
        Assert.Equal(variance, varianceWithOne);
        Assert.True(double.IsFinite(loss));
        Assert.All(variance, v => Assert.NotEqual(1f, v));
    }

    [Fact]
    public void ABatchOfOneBackPropagatesThroughTheRunningStatistics()
    {
        using var model = new ModelBuilder(5).Dense(6).BatchNorm().Dense(3, ActivationKind.Tanh).Build(seed: 14, maxBatch: 4);
        // Move the running statistics away from (0, 1) first, so that the check sees them used.
        model.Forward(TestModels.RandomArray(4 * 5, seed: 9, scale: 3), 4, training: true);

        var result = GradientChecker.CheckModel(model, new MeanSquaredErrorLoss(), TestModels.RandomArray(5, seed: 3), 1, default,
                                                TestModels.RandomArray(3, seed: 4));

        Assert.True(result.Passed, result.ToString());
    }

    private static (float[] Mean, float[] Variance, double Loss) TrainOneEpoch(Dataset data, int batch)
    {
        using var model = new ModelBuilder(8).BatchNorm().Dense(16, ActivationKind.Relu).Dense(3).Build(seed: 3, maxBatch: batch);
        var rows = new List<int>();
        var options = new TrainerOptions { Epochs = 1, BatchSize = batch, Shuffle = false, BatchCompleted = b => rows.Add(b.Rows) };
        var history = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd(), options).Fit(data);
        Assert.Equal(data.Count % batch == 1 ? [batch, batch, 1] : [batch, batch], rows);
        var bn = (BatchNormOp)model.Nodes[0].Op;
        return (bn.RunningMean.ToArray(), bn.RunningVariance.ToArray(), history.Epochs[0].TrainLoss);
    }
}
