using Simd.Runtime.Inference;
using Simd.Runtime.Losses;
using Simd.Runtime.Optimization;
using Simd.Runtime.Tests.Training;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Graphs;

/// <summary>Training and serving a graph give the same bits on one thread and on two.</summary>
public sealed class GraphThreadingTests
{
    // Wide enough that GEMM splits its work between two threads.
    private const int Rows = 64, Inputs = 64, Width = 256, Classes = 10;

    private static (float[] Parameters, float[] Outputs) Train(int threads)
    {
        using var model = GraphNetworks.Residual(Inputs, Width, Classes, maxBatch: Rows, dropout: 0.1f);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Threads = threads });
        var x = TestModels.RandomArray(Rows * Inputs, 5);
        var labels = Enumerable.Range(0, Rows).Select(i => (i * 7) % Classes).ToArray();
        for (int step = 0; step < 4; step++) trainer.TrainBatch(x, Rows, labels);
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = Rows, IntraOpThreads = threads });
        var output = new float[Rows * Classes];
        frozen.Predict(x, Rows, output);
        return (TestModels.Snapshot(model), output);
    }

    [Fact]
    public void OneAndTwoThreadsGiveTheSameBits()
    {
        var (p1, y1) = Train(1);
        var (p2, y2) = Train(2);
        Assert.Equal(p1, p2);
        Assert.Equal(y1, y2);
    }
}
