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

/// <summary>
/// A model built with the builder's helpers through a comparison, Where with a constant branch, Expand, Tile and Pad:
/// training steps and inference calls allocate nothing, and the model file keeps the ops, their attributes and
/// Where's constant (which the new model starts from).
/// </summary>
public sealed class SelectOpsModelTests
{
    private const int Rows = 32;

    private static (Model Model, WhereOp Where) Build()
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(3, 4));
        Value positive = g.Binary(BinaryFunction.Greater, x, TensorShape.Scalar, [0]);
        Value h = g.Where(positive, x, new TensorShape(4), [-1, -2, 0.5f, 3]);
        var where = (WhereOp)h.Producer!.Op;
        h = g.Expand(h, 2, 3, 4);
        h = g.Tile(h, 1, 1, 2);
        h = g.Pad(h, [0, 1, 1], [1, 0, 2], PadMode.Reflect);
        h = g.Pad(h, [0, 0, 1], [0, 0, 0], PadMode.Constant, -0.5f);
        g.Output(g.Dense(g.Flatten(h), 3));
        Model model = g.Build(seed: 3, maxBatch: Rows);
        return (model, where);
    }

    [Fact]
    public void TheBuilderRefusesAConstantBranchOfAnotherCount()
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(4));
        var e = Assert.Throws<ArgumentException>(() => g.Where(x, x, new TensorShape(4), [1, 2]));
        Assert.Equal("The constant of shape [4] holds 4 values, got 2.", e.Message);
    }

    [Fact]
    public void TrainingStepsAndInferenceCallsAllocateNothing()
    {
        var (model, _) = Build();
        using (model)
        {
            var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Threads = 1 });
            var input = TestModels.RandomArray(Rows * 12, 4);
            var labels = Enumerable.Range(0, Rows).Select(i => i % 3).ToArray();
            void Steps()
            {
                for (int i = 0; i < 3; i++) trainer.TrainBatch(input, Rows, labels);
                trainer.TrainBatch(input.AsSpan(0, 7 * 12), 7, labels.AsSpan(0, 7));
                trainer.TrainBatch(input.AsSpan(0, 12), 1, labels.AsSpan(0, 1));
            }
            Assert.Equal(0, Allocations.OnThisThread(Steps));

            using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = Rows, IntraOpThreads = 1 });
            var output = new float[Rows * 3];
            void Calls()
            {
                frozen.Predict(input, Rows, output);
                frozen.Predict(input.AsSpan(0, 12), output.AsSpan(0, 3));
            }
            Assert.Equal(0, Allocations.OnThisThread(Calls));
        }
    }

    [Fact]
    public void TheModelFileKeepsTheOpsAndServesTheSameOutputs()
    {
        var (model, _) = Build();
        using (model)
        {
            float[] input = TestModels.RandomArray(5 * 12, 9);
            var expected = new float[5 * 3];
            model.Predict(input, expected);

            using var dir = new TempDirectory();
            string path = Path.Combine(dir.Path, "select.model");
            model.Save(path);
            using var loaded = Model.Load(path, maxBatch: 5);
            var outputs = new float[expected.Length];
            loaded.Predict(input, outputs);
            Assert.Equal(expected, outputs);
            Assert.Equal([-1, -2, 0.5f, 3], loaded.Ops.OfType<WhereOp>().Single().Constant(2).ToArray());
            Assert.Equal(0f, loaded.Ops.OfType<BinaryOp>().Single().Constant[0]);
            Assert.Equal([0, 1, 1], loaded.Ops.OfType<PadOp>().First().Before);
            Assert.Equal(PadMode.Reflect, loaded.Ops.OfType<PadOp>().First().Mode);
            Assert.Equal(-0.5f, loaded.Ops.OfType<PadOp>().Last().Value);
            Assert.Equal([1, 1, 2], loaded.Ops.OfType<TileOp>().Single().Repeats);
            Assert.Equal([2, 3, 4], loaded.Ops.OfType<ExpandOp>().Single().Shape);

            using var served = InferenceModel.Load(path, new InferenceOptions { MaxBatch = 5 });
            var servedOutputs = new float[expected.Length];
            served.Predict(input, 5, servedOutputs);
            Assert.Equal(expected, servedOutputs);
        }
    }
}
