using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Optimization;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Training;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Ops;

/// <summary>Training steps and inference calls through the elementwise ops, broadcasting included, allocate nothing.</summary>
public sealed class ElementwiseAllocationTests
{
    [Fact]
    public void TrainingStepsAndInferenceCallsAllocateNothing()
    {
        const int rows = 32;
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(3, 4));
        Value h = g.Single(new BinaryOp(BinaryFunction.Multiply, new TensorShape(4), trainable: true), g.Single(new UnaryMathOp(UnaryFunction.Erf), x));
        h = g.Single(new BinaryOp(BinaryFunction.Subtract, TensorShape.Scalar, constantFirst: true), h);
        h = g.Single(new BinaryOp(BinaryFunction.Maximum), h, x);
        Value column = g.Reshape(g.Dense(g.Flatten(x), 3), 3, 1);
        h = g.Single(new BinaryOp(BinaryFunction.Divide), h, g.Single(new UnaryMathOp(UnaryFunction.Exp), column));
        h = g.Single(new UnaryMathOp(UnaryFunction.Clip, -2, 2), h);
        g.Output(g.Dense(g.Flatten(h), 3));
        using Model model = g.Build(seed: 2, maxBatch: rows);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Threads = 1 });
        var input = TestModels.RandomArray(rows * 12, 4);
        var labels = Enumerable.Range(0, rows).Select(i => i % 3).ToArray();
        void Steps()
        {
            for (int i = 0; i < 3; i++) trainer.TrainBatch(input, rows, labels);
            trainer.TrainBatch(input.AsSpan(0, 7 * 12), 7, labels.AsSpan(0, 7));
            trainer.TrainBatch(input.AsSpan(0, 12), 1, labels.AsSpan(0, 1));
        }
        Assert.Equal(0, Allocations.OnThisThread(Steps));

        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = rows, IntraOpThreads = 1 });
        var output = new float[rows * 3];
        void Calls()
        {
            frozen.Predict(input, rows, output);
            frozen.Predict(input.AsSpan(0, 12), output.AsSpan(0, 3));
        }
        Assert.Equal(0, Allocations.OnThisThread(Calls));
    }
}
