using Simd.Runtime.Data;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Training;

public sealed class TrainerTests
{
    private static readonly Dataset Train = TestModels.Blobs(200, 8, 3, seed: 1, "train");
    private static readonly Dataset Validation = TestModels.Blobs(60, 8, 3, seed: 1, "validation");

    [Fact]
    public void LearnsBlobsAndReportsEveryEpoch()
    {
        using var model = TestModels.Mlp(8, 3);
        var epochs = new List<EpochResult>();
        var options = new TrainerOptions { Epochs = 5, BatchSize = 16, LearningRate = 0.05f, EpochCompleted = epochs.Add };
        var history = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd(momentum: 0.9f), options).Fit(Train, Validation);
        Assert.Equal(5, history.Epochs.Count);
        Assert.Equal(history.Epochs, epochs);
        Assert.True(history.Last!.ValidationAccuracy > 0.9, history.Last.ToString());
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(200)]
    [InlineData(500)]
    public void EveryBatchSizeCoversEverySampleOnce(int batchSize)
    {
        // BatchNorm refuses batches of one sample (BatchNormBatchTests), so batch size 1 trains a plain MLP.
        using var model = batchSize == 1
            ? new ModelBuilder(8).Dense(16, ActivationKind.Relu).Dense(3).Build(seed: 7)
            : TestModels.Mlp(8, 3);
        var rows = new List<int>();
        var options = new TrainerOptions { Epochs = 1, BatchSize = batchSize, BatchCompleted = b => rows.Add(b.Rows) };
        new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd(), options).Fit(Train);
        Assert.Equal(200, rows.Sum());
        int full = Math.Min(batchSize, 200);
        Assert.Equal((200 + full - 1) / full, rows.Count);
        Assert.All(rows.Take(rows.Count - 1), r => Assert.Equal(full, r));
        Assert.Equal(200 - full * (rows.Count - 1), rows[^1]);
    }

    [Fact]
    public void MultiLabelReportsExactMatchAndMicroF1()
    {
        var train = TestModels.MultiLabel(300, 6, 3, seed: 2);
        var validation = TestModels.MultiLabel(100, 6, 3, seed: 3);
        using var model = new ModelBuilder(6).Dense(16, ActivationKind.Tanh).Dense(3).Build(seed: 2);
        var options = new TrainerOptions { Epochs = 20, BatchSize = 16, LearningRate = 0.01f };
        var history = new Trainer(model, new SigmoidBinaryCrossEntropyLoss(), new Adam(), options).Fit(train, validation);
        var last = history.Last!;
        Assert.InRange(last.ValidationAccuracy, 0.85, 1.0);
        Assert.InRange(last.ValidationMicroF1, 0.9, 1.0);
    }

    [Fact]
    public void EarlyStoppingRestoresTheBestWeights()
    {
        // A learning rate this high diverges after the first epochs, so the monitored loss stops improving.
        using var model = new ModelBuilder(8).Dense(16, ActivationKind.Relu).Dense(3).Build(seed: 4);
        float[]? best = null;
        var options = new TrainerOptions { Epochs = 50, BatchSize = 20, LearningRate = 0.02f, EarlyStoppingPatience = 2 };
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd(momentum: 0.99f), options);
        options.EpochCompleted = e => { if (e.Improved) best = model.Parameters.Parameters.ToArray(); };
        var history = trainer.Fit(Train, Validation);
        Assert.True(history.StoppedEarly, $"ran {history.Epochs.Count} epochs");
        Assert.Equal(history.BestEpoch + 2, history.Epochs.Count);
        Assert.Equal(best, model.Parameters.Parameters.ToArray());
        Assert.Equal(history.Epochs.Min(e => e.ValidationLoss), trainer.Evaluate(Validation).Loss, 1e-6);
    }

    [Fact]
    public void CancellationStopsBetweenBatches()
    {
        using var model = TestModels.Mlp(8, 3);
        using var cts = new CancellationTokenSource();
        int batches = 0;
        var options = new TrainerOptions { Epochs = 3, BatchSize = 10, BatchCompleted = b => { if (++batches == 5) cts.Cancel(); } };
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd(), options);
        Assert.Throws<OperationCanceledException>(() => trainer.Fit(Train, null, cts.Token));
        Assert.Equal(5, batches);
        Assert.Equal(0, trainer.CompletedEpochs);
    }

    [Fact]
    public void ScheduleAndClippingAreApplied()
    {
        using var model = TestModels.Mlp(8, 3);
        var rates = new List<float>();
        var options = new TrainerOptions
        {
            Epochs = 2, BatchSize = 50, ClipGradientNorm = 0.5f,
            Schedule = new LinearWarmupLearningRate(new CosineLearningRate(0.1f), 2),
            BatchCompleted = b => rates.Add(b.LearningRate),
        };
        new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd(), options).Fit(Train);
        Assert.Equal(8, rates.Count);
        Assert.Equal(0.05f, rates[0], 6);
        // torch CosineAnnealingLR over T_max = 8 updates: the last one trains at 0.1·(1 + cos 7π/8)/2, not at 0.
        Assert.Equal(0.1f * (float)(0.5 * (1 + Math.Cos(Math.PI / 8))), rates[1], 6);
        Assert.Equal(0.1f * (float)(0.5 * (1 + Math.Cos(7 * Math.PI / 8))), rates[^1], 6);
    }

    [Fact]
    public void BadInputNamesExpectedAndActual()
    {
        using var model = TestModels.Mlp(8, 3);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd());
        var shape = Assert.Throws<ArgumentException>(() => trainer.TrainBatch(new float[30], 4, new int[4]));
        Assert.Contains("32", shape.Message);
        var label = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.TrainBatch(new float[16], 2, [0, 3]));
        Assert.Contains("label 3", label.Message);
        var features = Assert.Throws<ArgumentException>(() => trainer.Fit(TestModels.Blobs(10, 5, 3, 1)));
        Assert.Contains("5 features", features.Message);
        var classes = Assert.Throws<ArgumentException>(() => trainer.Fit(TestModels.Blobs(10, 8, 4, 1)));
        Assert.Contains("4 classes", classes.Message);

        var x = new float[16];
        x[11] = float.NaN;
        options(trainer).CheckFinite = true;
        var nan = Assert.Throws<NonFiniteValueException>(() => trainer.TrainBatch(x, 2, [0, 1]));
        Assert.Equal(("input", 1, 3), (nan.Where, nan.Row, nan.Column));
        // With the scan off, the NaN still surfaces through the loss, which is always checked.
        options(trainer).CheckFinite = false;
        var loss = Assert.Throws<NonFiniteValueException>(() => trainer.TrainBatch(x, 2, [0, 1]));
        Assert.Equal("loss", loss.Where);

        static TrainerOptions options(Trainer t) => t.Options;
    }

    [Fact]
    public void EvaluateAndPredictAgree()
    {
        using var model = TestModels.Mlp(8, 3, maxBatch: 16);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Epochs = 3, LearningRate = 0.01f });
        trainer.Fit(Train);
        var outputs = trainer.Predict(Validation);
        int correct = 0;
        for (int i = 0; i < Validation.Count; i++)
        {
            var row = outputs.AsSpan(i * 3, 3);
            int best = row.IndexOf(Enumerable.Max(row.ToArray()));
            if (best == Validation.Labels![i]) correct++;
            if (i < 3) Assert.Equal(best, model.PredictClass(Validation.Sample(i)));
        }
        Assert.Equal(correct / (double)Validation.Count, trainer.Evaluate(Validation).Accuracy, 12);
    }
}
