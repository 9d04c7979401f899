using Simd.Runtime.Inference;
using Simd.Runtime.Losses;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Training;

/// <summary>Warm training steps and inference calls of the convolutional networks allocate nothing (run alone: the counters are process-wide).</summary>
[Collection(nameof(AllocationTests))]
public sealed class ConvNetworkAllocationTests
{
    private const int Rows = 8;

    public static TheoryData<string, int> NetworksAndThreads()
    {
        var data = new TheoryData<string, int>();
        foreach (string network in ConvNetworks.Names())
            foreach (int threads in new[] { 1, 2 }) data.Add(network, threads);
        return data;
    }

    private static long Bytes(Action action, int threads) => threads == 1 ? Allocations.OnThisThread(action) : Allocations.InProcess(action);

    [Theory]
    [MemberData(nameof(NetworksAndThreads))]
    public void TrainingStepsAllocateNothing(string network, int threads)
    {
        using var model = ConvNetworks.Create(network, Rows);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Threads = threads, ClipGradientNorm = 1f });
        var (x, labels) = ConvNetworks.Batch(model, Rows, seed: 41);
        int features = model.InputSize;
        void Steps()
        {
            for (int i = 0; i < 3; i++) trainer.TrainBatch(x, Rows, labels);
            // A smaller batch reuses the planned arena.
            trainer.TrainBatch(x.AsSpan(0, 3 * features), 3, labels.AsSpan(0, 3));
        }
        Assert.Equal(0, Bytes(Steps, threads));
    }

    [Theory]
    [MemberData(nameof(NetworksAndThreads))]
    public void InferenceCallsAllocateNothing(string network, int threads)
    {
        using var model = ConvNetworks.Create(network, Rows);
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = Rows, IntraOpThreads = threads });
        var (x, _) = ConvNetworks.Batch(model, Rows, seed: 42);
        var output = new float[Rows * model.OutputSize];
        void Calls()
        {
            for (int i = 0; i < 3; i++) frozen.Predict(x, Rows, output);
            frozen.Predict(x.AsSpan(0, model.InputSize), output.AsSpan(0, model.OutputSize));
        }
        Assert.Equal(0, Bytes(Calls, threads));
    }

    [Theory]
    [MemberData(nameof(NetworksAndThreads))]
    public void EvaluationCallsOfTheTrainingModelAllocateNothing(string network, int threads)
    {
        using var model = ConvNetworks.Create(network, Rows);
        model.Threads = threads;
        var (x, _) = ConvNetworks.Batch(model, Rows, seed: 43);
        var output = new float[Rows * model.OutputSize];
        void Calls()
        {
            for (int i = 0; i < 3; i++) model.Predict(x, output);
        }
        Assert.Equal(0, Bytes(Calls, threads));
    }
}
