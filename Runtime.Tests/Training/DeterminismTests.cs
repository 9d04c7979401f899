using Simd.Runtime.Losses;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Training;

/// <summary>Same seed → same bits: across runs, thread counts, and an interrupted run resumed from its checkpoint.</summary>
public sealed class DeterminismTests
{
    private static readonly Simd.Runtime.Data.Dataset Train = TestModels.Blobs(150, 8, 3, seed: 5, "train");
    private static readonly Simd.Runtime.Data.Dataset Validation = TestModels.Blobs(40, 8, 3, seed: 6, "validation");

    private static TrainerOptions Options(int threads = 1, string? checkpoint = null) => new()
    {
        Epochs = 4, BatchSize = 16, Seed = 9, Threads = threads, LearningRate = 0.01f, CheckpointPath = checkpoint,
        EarlyStoppingPatience = 10,
    };

    private static float[] Run(TrainerOptions options)
    {
        using var model = TestModels.Mlp(8, 3, seed: 21);
        new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), options).Fit(Train, Validation);
        return TestModels.Snapshot(model);
    }

    [Fact]
    public void SameSeedTwiceGivesIdenticalWeights() => Assert.Equal(Run(Options()), Run(Options()));

    [Fact]
    public void OneAndTwoThreadsGiveIdenticalWeights() => Assert.Equal(Run(Options(threads: 1)), Run(Options(threads: 2)));

    [Fact]
    public void ResumedRunEqualsUninterruptedRun()
    {
        using var dir = new TempDirectory("simd-resume-");
        {
            string path = dir.PathOf("run.ckpt");
            var expected = Run(Options());

            using var cts = new CancellationTokenSource();
            var interrupted = Options(checkpoint: path);
            interrupted.EpochCompleted = e => { if (e.Epoch == 2) cts.Cancel(); };
            using (var model = TestModels.Mlp(8, 3, seed: 21))
            {
                var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), interrupted);
                Assert.Throws<OperationCanceledException>(() => trainer.Fit(Train, Validation, cts.Token));
                Assert.Equal(2, trainer.CompletedEpochs);
            }

            // A fresh process would start from a model built with any seed: the checkpoint overwrites everything.
            using var resumedModel = TestModels.Mlp(8, 3, seed: 999);
            var resumed = new Trainer(resumedModel, new SoftmaxCrossEntropyLoss(), new Adam(), Options(checkpoint: path));
            resumed.LoadCheckpoint(path);
            Assert.Equal(2, resumed.CompletedEpochs);
            var history = resumed.Fit(Train, Validation);
            Assert.Equal(4, history.Epochs.Count);
            Assert.Equal(expected, TestModels.Snapshot(resumedModel));
        }
    }

    [Fact]
    public void CheckpointForAnotherOptimizerIsRefused()
    {
        using var dir = new TempDirectory("simd-ckpt-");
        string path = dir.PathOf("run.ckpt");
        {
            using var model = TestModels.Mlp(8, 3);
            new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Epochs = 1 }).SaveCheckpoint(path);
            var other = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd());
            var e = Assert.Throws<Simd.Runtime.Serialization.ModelFormatException>(() => other.LoadCheckpoint(path));
            Assert.Equal("checkpoint.optimizer", e.Field);
        }
    }
}
