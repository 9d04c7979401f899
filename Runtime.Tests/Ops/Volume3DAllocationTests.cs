using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Optimization;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Training;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Ops;

/// <summary>Training steps and inference calls through ConvTranspose3D, MaxPool3D and AvgPool3D allocate nothing once warm.</summary>
public sealed class Volume3DAllocationTests
{
    [Fact]
    public void TrainingStepsAndInferenceCallsAllocateNothing()
    {
        const int rows = 32, features = 2 * 3 * 4 * 5;
        var g = new GraphBuilder();
        Value x = g.Reshape(g.Input(new TensorShape(features)), 2, 3, 4, 5);
        Value h = g.Single(new ConvTranspose3DOp(3, Window3D.Cube(3, stride: 2, pad: 1), outputPaddingWidth: 1), x);
        h = g.Single(new MaxPool3DOp(Window3D.Cube(2, stride: 1)), h);
        h = g.Single(new AvgPool3DOp(Window3D.Cube(3, stride: 2, pad: 1), countIncludePad: true, ceilMode: true), h);
        g.Output(g.Dense(g.Flatten(h), 3));
        using Model model = g.Build(seed: 3, maxBatch: rows);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Threads = 1 });
        var input = TestModels.RandomArray(rows * features, 5);
        var labels = Enumerable.Range(0, rows).Select(i => i % 3).ToArray();
        void Steps()
        {
            trainer.TrainBatch(input, rows, labels);
            trainer.TrainBatch(input.AsSpan(0, 7 * features), 7, labels.AsSpan(0, 7));
            trainer.TrainBatch(input.AsSpan(0, features), 1, labels.AsSpan(0, 1));
        }
        Assert.Equal(0, Allocations.OnThisThread(Steps));

        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = rows, IntraOpThreads = 1 });
        var output = new float[rows * 3];
        void Calls()
        {
            frozen.Predict(input, rows, output);
            frozen.Predict(input.AsSpan(0, features), output.AsSpan(0, 3));
        }
        Assert.Equal(0, Allocations.OnThisThread(Calls));
    }
}
