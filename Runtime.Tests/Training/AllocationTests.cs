using Simd.Runtime.Losses;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Training;

/// <summary>
/// Process-wide allocation counters see every test running at the same time, so these run alone.
/// </summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationTestsCollection;

/// <summary>After warm-up, a training step (forward, loss, backward, clip, update) allocates nothing.</summary>
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests
{
    public static TheoryData<string> Optimizers() => new() { "sgd", "sgd-nesterov", "adagrad", "rmsprop", "adam", "adamw" };

    private static Optimizer Create(string name) => name switch
    {
        "sgd" => new Sgd(momentum: 0.9f, weightDecay: 1e-4f),
        "sgd-nesterov" => new Sgd(momentum: 0.9f, nesterov: true),
        "adagrad" => new Adagrad(),
        "rmsprop" => new RmsProp(momentum: 0.5f),
        "adam" => new Adam(),
        "adamw" => new AdamW(),
        _ => throw new ArgumentException(name),
    };

    private const int Rows = 16, Inputs = 20, Classes = 5;

    private static long StepBytes(Trainer trainer, float[] x, int[] labels, float[] targets, bool allThreads)
    {
        for (int i = 0; i < 3; i++) trainer.TrainBatch(x, Rows, labels, targets);
        void Steps()
        {
            for (int i = 0; i < 10; i++) trainer.TrainBatch(x, Rows, labels, targets);
            // A smaller batch reuses the planned buffers.
            trainer.TrainBatch(x.AsSpan(0, 5 * Inputs), 5, labels.AsSpan(0, labels.Length == 0 ? 0 : 5), targets.AsSpan(0, targets.Length == 0 ? 0 : 5 * Classes));
        }
        return allThreads ? Allocations.InProcess(Steps) : Allocations.OnThisThread(Steps);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void MlpWithBatchNormAndDropoutUnderEachOptimizer(string optimizer)
    {
        using var model = TestModels.Mlp(Inputs, Classes, maxBatch: Rows);
        var options = new TrainerOptions { ClipGradientNorm = 1f, CheckFinite = true, Schedule = new CosineLearningRate(0.01f) };
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(0.1f), Create(optimizer), options);
        Assert.Equal(0, StepBytes(trainer, TestModels.RandomArray(Rows * Inputs, 1), Labels(), [], allThreads: false));
    }

    public static TheoryData<string> LossNames() => new() { "bce", "hinge", "mse", "l1", "huber" };

    [Theory]
    [MemberData(nameof(LossNames))]
    public void EachLoss(string name)
    {
        Loss loss = name switch
        {
            "bce" => new SigmoidBinaryCrossEntropyLoss(),
            "hinge" => new MultiClassHingeLoss(),
            "mse" => new MeanSquaredErrorLoss(),
            "l1" => new L1Loss(),
            _ => new HuberLoss(),
        };
        using var model = TestModels.Mlp(Inputs, Classes, maxBatch: Rows);
        var trainer = new Trainer(model, loss, new Sgd(momentum: 0.9f));
        float[] targets = loss.RequiresLabels ? [] : TestModels.RandomArray(Rows * Classes, 3);
        int[] labels = loss.RequiresLabels ? Labels() : [];
        Assert.Equal(0, StepBytes(trainer, TestModels.RandomArray(Rows * Inputs, 1), labels, targets, allThreads: false));
    }

    [Fact]
    public void TwoThreads()
    {
        using var model = TestModels.Mlp(Inputs, Classes, maxBatch: Rows);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Threads = 2 });
        Assert.Equal(0, StepBytes(trainer, TestModels.RandomArray(Rows * Inputs, 1), Labels(), [], allThreads: true));
    }

    private static int[] Labels() => Enumerable.Range(0, Rows).Select(i => i % Classes).ToArray();
}
