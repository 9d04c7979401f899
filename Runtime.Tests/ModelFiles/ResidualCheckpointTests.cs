using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Serialization;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Training;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.ModelFileFormat;

/// <summary>
/// A graph with a residual connection (a value read by two nodes, so its gradient is the sum of two) and a Concat,
/// trained with checkpoints: stopped after epoch 2 and resumed in a model built from another seed, it ends bitwise
/// where an uninterrupted run ends: weights, batch-norm statistics, optimizer state and history.
/// </summary>
public sealed class ResidualCheckpointTests
{
    private static readonly Simd.Runtime.Data.Dataset Train = TestModels.Blobs(120, 8, 3, seed: 11, "train");
    private static readonly Simd.Runtime.Data.Dataset Validation = TestModels.Blobs(30, 8, 3, seed: 12, "validation");

    /// <summary>x → dense 16 relu → batch norm = h; h + dense 16 (dropout h) = r; dense 3 (concat r, h).</summary>
    private static Model Residual(long seed, float dropout = 0.2f, bool concatHFirst = false)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(8));
        var h = g.BatchNorm(g.Dense(x, 16, ActivationKind.Relu));
        var r = g.Add(h, g.Dense(g.Dropout(h, dropout), 16));
        g.Output(g.Dense(concatHFirst ? g.Concat(-1, h, r) : g.Concat(-1, r, h), 3));
        return g.Build(seed, maxBatch: 16);
    }

    private static TrainerOptions Options(string? checkpoint = null) => new()
    {
        Epochs = 4, BatchSize = 16, Seed = 9, LearningRate = 0.01f, CheckpointPath = checkpoint, EarlyStoppingPatience = 10,
    };

    [Fact]
    public void ResumedResidualRunEqualsUninterruptedRun()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "run.ckpt");
        float[] expected;
        double[] expectedLosses;
        using (var model = Residual(seed: 21))
        {
            var history = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), Options()).Fit(Train, Validation);
            expected = TestModels.Snapshot(model);
            expectedLosses = [.. history.Epochs.Select(e => e.TrainLoss)];
        }

        using var cts = new CancellationTokenSource();
        var interrupted = Options(checkpoint: path);
        interrupted.EpochCompleted = e => { if (e.Epoch == 2) cts.Cancel(); };
        using (var model = Residual(seed: 21))
        {
            var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), interrupted);
            Assert.Throws<OperationCanceledException>(() => trainer.Fit(Train, Validation, cts.Token));
            Assert.Equal(2, trainer.CompletedEpochs);
        }
        var checkpoint = ModelContainer.Load(path);
        Assert.Equal(Model.FormatName, checkpoint.GetString("model.format"));
        Assert.Equal(["dense", "batchnorm", "dropout", "dense", "add", "concat", "dense"],
            Enumerable.Range(0, 7).Select(i => checkpoint.GetString($"node.{i}.op")));

        using var resumedModel = Residual(seed: 999);
        var resumed = new Trainer(resumedModel, new SoftmaxCrossEntropyLoss(), new Adam(), Options(checkpoint: path));
        resumed.LoadCheckpoint(path);
        Assert.Equal(2, resumed.CompletedEpochs);
        var resumedHistory = resumed.Fit(Train, Validation);

        Assert.Equal(expectedLosses, resumedHistory.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), TestModels.Snapshot(resumedModel).Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [InlineData("wired otherwise", "node.5.inputs", "are values 5, 2, this model's node reads values 2, 5")]
    [InlineData("another dropout rate", "node.2.attr.rate", "is 0.20000000298023224, this model has 0.5")]
    [InlineData("another graph", "graph.nodes", "this model has")]
    public void ACheckpointOfAnotherGraphIsRefusedNamingTheEntry(string other, string field, string detail)
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "run.ckpt");
        using (var model = Residual(seed: 1))
            new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), Options()).SaveCheckpoint(path);

        using var target = other switch
        {
            "wired otherwise" => Residual(seed: 1, concatHFirst: true),
            "another dropout rate" => Residual(seed: 1, dropout: 0.5f),
            _ => TestModels.Mlp(8, 3),
        };
        var e = Assert.Throws<ModelFormatException>(() => new Trainer(target, new SoftmaxCrossEntropyLoss(), new Adam()).LoadCheckpoint(path));
        Assert.Equal(field, e.Field);
        Assert.Contains(path, e.Message);
        Assert.Contains(detail, e.Message);
    }
}
