using Simd.Runtime.Inference;
using Simd.Runtime.Losses;
using Simd.Runtime.Optimization;
using Simd.Runtime.Tests.Training;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Recurrent;

/// <summary>Warm training steps and inference calls of the recurrent networks allocate nothing (run alone: the counters are process-wide).</summary>
[Collection(nameof(AllocationTests))]
public sealed class RecurrentAllocationTests
{
    private const int Rows = 8;

    public static TheoryData<string, int> NetworksAndThreads()
    {
        var data = new TheoryData<string, int>();
        foreach (string cell in new[] { "lstm", "gru", "gru-reset-first", "rnn" })
            foreach (int threads in new[] { 1, 2 }) data.Add(cell, threads);
        return data;
    }

    private static long Bytes(Action action, int threads) => threads == 1 ? Allocations.OnThisThread(action) : Allocations.InProcess(action);

    [Theory]
    [MemberData(nameof(NetworksAndThreads))]
    public void TrainingStepsAllocateNothing(string cell, int threads)
    {
        using var model = RecurrentNetworks.Create(cell, Rows, hidden: 40);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Threads = threads });
        float[] x = TestModels.RandomArray(Rows * model.InputSize, 41);
        int[] labels = [.. Enumerable.Range(0, Rows).Select(i => i % RecurrentNetworks.Classes)];
        void Steps()
        {
            for (int i = 0; i < 2; i++) trainer.TrainBatch(x, Rows, labels);
            trainer.TrainBatch(x.AsSpan(0, 3 * model.InputSize), 3, labels.AsSpan(0, 3));
        }
        Assert.Equal(0, Bytes(Steps, threads));
    }

    [Theory]
    [MemberData(nameof(NetworksAndThreads))]
    public void InferenceCallsAllocateNothing(string cell, int threads)
    {
        using var model = RecurrentNetworks.Create(cell, Rows, hidden: 40);
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = Rows, IntraOpThreads = threads });
        float[] x = TestModels.RandomArray(Rows * model.InputSize, 42);
        var output = new float[Rows * model.OutputSize];
        void Calls()
        {
            for (int i = 0; i < 2; i++) frozen.Predict(x, Rows, output);
            frozen.Predict(x.AsSpan(0, model.InputSize), output.AsSpan(0, model.OutputSize));
        }
        Assert.Equal(0, Bytes(Calls, threads));
    }
}
