using Simd.Runtime.Inference;
using Simd.Runtime.Losses;
using Simd.Runtime.Optimization;
using Simd.Runtime.Tests.Training;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Graphs;

/// <summary>Process-wide allocation counters see every test running at the same time, so these run alone.</summary>
[CollectionDefinition(nameof(GraphAllocationTests), DisableParallelization = true)]
public sealed class GraphAllocationCollection;

/// <summary>On the residual graph (fan-out, an accumulated gradient, batch norm, dropout), warm calls allocate nothing.</summary>
[Collection(nameof(GraphAllocationTests))]
public sealed class GraphAllocationTests
{
    private const int Rows = 32, Inputs = 48, Width = 96, Classes = 10;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TrainingStepAllocatesNothing(int threads)
    {
        using var model = GraphNetworks.Residual(Inputs, Width, Classes, maxBatch: Rows, dropout: 0.1f);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Threads = threads, ClipGradientNorm = 1f });
        var x = TestModels.RandomArray(Rows * Inputs, 1);
        var labels = Enumerable.Range(0, Rows).Select(i => i % Classes).ToArray();
        void Steps()
        {
            for (int i = 0; i < 5; i++) trainer.TrainBatch(x, Rows, labels);
            trainer.TrainBatch(x.AsSpan(0, 7 * Inputs), 7, labels.AsSpan(0, 7));
        }
        Assert.Equal(0, threads == 1 ? Allocations.OnThisThread(Steps) : Allocations.InProcess(Steps));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void InferenceCallAllocatesNothing(int threads)
    {
        using var model = GraphNetworks.Residual(Inputs, Width, Classes, maxBatch: Rows);
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = Rows, IntraOpThreads = threads });
        var x = TestModels.RandomArray(Rows * Inputs, 2);
        var output = new float[Rows * Classes];
        void Calls()
        {
            for (int i = 0; i < 20; i++) frozen.Predict(x, Rows, output);
            frozen.Predict(x.AsSpan(0, Inputs), output.AsSpan(0, Classes));
            frozen.PredictClass(x.AsSpan(0, Inputs));
        }
        Assert.Equal(0, threads == 1 ? Allocations.OnThisThread(Calls) : Allocations.InProcess(Calls));
    }
}
