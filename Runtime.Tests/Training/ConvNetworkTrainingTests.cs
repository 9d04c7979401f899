using Simd.Runtime.Inference;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Training;

/// <summary>The convolutional networks train, freeze to the same outputs, and give bitwise the same numbers at any thread count.</summary>
public sealed class ConvNetworkTrainingTests
{
    private const int Rows = 8, Steps = 4;

    /// <summary>A few Adam steps on a fixed batch with the given threads (BatchNorm's running statistics move too).</summary>
    private static Model Trained(string network, int threads, int side = 8)
    {
        var model = ConvNetworks.Create(network, Rows, side);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Threads = threads, LearningRate = 0.01f });
        for (int step = 0; step < Steps; step++)
        {
            var (x, labels) = ConvNetworks.Batch(model, Rows, seed: 50 + step);
            trainer.TrainBatch(x, Rows, labels);
        }
        return model;
    }

    [Theory]
    [MemberData(nameof(ConvNetworks.Names), MemberType = typeof(ConvNetworks))]
    public void TrainingLowersTheLossOnSeparableData(string network)
    {
        using var model = ConvNetworks.Create(network, 16);
        var train = TestModels.Blobs(128, model.InputSize, model.OutputSize, seed: 31);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(),
            new TrainerOptions { Epochs = 4, BatchSize = 16, Seed = 2, LearningRate = 0.01f });
        double before = trainer.Evaluate(train).Loss;
        trainer.Fit(train);
        double after = trainer.Evaluate(train).Loss;
        Assert.True(after < 0.7 * before, $"{network}: loss {before} before training, {after} after");
    }

    [Theory]
    [MemberData(nameof(ConvNetworks.Names), MemberType = typeof(ConvNetworks))]
    public void TwoThreadsTrainToBitwiseTheSameParameters(string network)
    {
        using var one = Trained(network, threads: 1);
        using var two = Trained(network, threads: 2);
        Assert.Equal(TestModels.Snapshot(one), TestModels.Snapshot(two));
    }

    [Theory]
    [MemberData(nameof(ConvNetworks.Names), MemberType = typeof(ConvNetworks))]
    public void FrozenOutputsEqualEvaluationOutputsAndDoNotDependOnThreads(string network)
    {
        using var model = Trained(network, threads: 1);
        var (x, _) = ConvNetworks.Batch(model, Rows, seed: 60);
        var evaluation = new float[Rows * model.OutputSize];
        model.Predict(x, evaluation);
        var byThreads = new List<float[]>();
        foreach (int threads in new[] { 1, 2 })
        {
            using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = Rows, IntraOpThreads = threads });
            // BatchNorm folds into the convolution before it: none is left to run.
            Assert.DoesNotContain(frozen.Graph.Nodes, n => n.Op is BatchNormOp);
            Assert.Equal(model.Graph.Nodes.Count(n => n.Op is Conv2DOp), frozen.Graph.Nodes.Count(n => n.Op is Conv2DOp));
            var served = new float[evaluation.Length];
            frozen.Predict(x, Rows, served);
            for (int i = 0; i < served.Length; i++)
                Assert.True(Math.Abs(served[i] - evaluation[i]) <= 1e-5 * (1 + Math.Abs(evaluation[i])),
                    $"{network}: output {i} frozen {served[i]}, evaluated {evaluation[i]}");
            byThreads.Add(served);
        }
        Assert.Equal(byThreads[0], byThreads[1]);
        model.Threads = 2;
        var twoThreads = new float[evaluation.Length];
        model.Predict(x, twoThreads);
        Assert.Equal(evaluation, twoThreads);
    }
}
