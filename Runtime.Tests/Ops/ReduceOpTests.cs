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
/// ReduceOp for every function over several sets of sample axes, with and without keepdims, training and
/// evaluation, against the double definitions (<see cref="AxisReductionReference"/>) and finite differences.
/// </summary>
public sealed class ReduceOpTests
{
    public static TheoryData<ReduceFunction> EachFunction()
    {
        var data = new TheoryData<ReduceFunction>();
        foreach (var f in Enum.GetValues<ReduceFunction>()) data.Add(f);
        return data;
    }

    /// <summary>The batch as a kept leading axis before the sample's, as the op runs it.</summary>
    private static double[][] Reference(ReduceFunction f, int[] axes, OpReferenceArgs a)
    {
        TensorShape shape = a.InputShapes[0];
        int[] dims = [a.Rows, .. shape.ToArray()];
        var reduced = new bool[dims.Length];
        foreach (int axis in axes) reduced[(axis < 0 ? axis + shape.Rank : axis) + 1] = true;
        return [AxisReductionReference.Forward(f, a.Inputs[0], dims, reduced)];
    }

    /// <summary>Products see magnitudes in [0.5, 1.5] of either sign, so that no factor is near 0 or large.</summary>
    private static Func<int, int, float[]?>? Values(ReduceFunction f, TensorShape shape) => f == ReduceFunction.Prod
        ? (id, rows) =>
        {
            var rng = new Random(rows * 7 + 1);
            return [.. Enumerable.Range(0, rows * shape.Length).Select(_ => (float)((0.5 + rng.NextDouble()) * (rng.Next(2) == 0 ? -1 : 1)))];
        }
        : null;

    private static OpCase Case(ReduceFunction f, TensorShape shape, int[] axes, bool keepDims, bool training = true) =>
        new($"reduce {f} {shape} axes [{string.Join(", ", axes)}]{(keepDims ? " keepdims" : "")} {(training ? "training" : "evaluation")}",
            () => new ReduceOp(f, axes, keepDims), [shape], a => Reference(f, axes, a))
        {
            Batches = [1, 2, 7],
            Training = training,
            InputValues = Values(f, shape),
            NonSmooth = f is ReduceFunction.Max or ReduceFunction.Min or ReduceFunction.L1,
        };

    [Theory]
    [MemberData(nameof(EachFunction))]
    public void EachFunctionOverSeveralAxes(ReduceFunction f)
    {
        OpTester.Check(Case(f, new TensorShape(5), [0], keepDims: false));
        OpTester.Check(Case(f, new TensorShape(5), [-1], keepDims: true));
        OpTester.Check(Case(f, new TensorShape(3, 4), [0], keepDims: true));
        OpTester.Check(Case(f, new TensorShape(3, 4), [1], keepDims: false));
        OpTester.Check(Case(f, new TensorShape(3, 4), [0, 1], keepDims: false));
        OpTester.Check(Case(f, new TensorShape(2, 3, 5), [0, 2], keepDims: true));
        OpTester.Check(Case(f, new TensorShape(2, 3, 5), [1], keepDims: false));
        OpTester.Check(Case(f, new TensorShape(2, 1, 3, 2), [-3, -1], keepDims: false));
        OpTester.Check(Case(f, new TensorShape(2, 3, 5), [2, 0], keepDims: false, training: false));
        OpTester.Check(Case(f, new TensorShape(17), [0], keepDims: false, training: false));
    }

    [Fact]
    public void ShapesFollowKeepDims()
    {
        Assert.Equal(new TensorShape(2, 1, 5), new ReduceOp(ReduceFunction.Sum, [1], keepDims: true).InferShapes([new TensorShape(2, 3, 5)])[0]);
        Assert.Equal(new TensorShape(2, 5), new ReduceOp(ReduceFunction.Sum, [-2], keepDims: false).InferShapes([new TensorShape(2, 3, 5)])[0]);
        Assert.Equal(TensorShape.Scalar, new ReduceOp(ReduceFunction.Max, [0, 1], keepDims: false).InferShapes([new TensorShape(2, 3)])[0]);
    }

    [Fact]
    public void SettingsRoundTripThroughTheRegistry()
    {
        var op = (ReduceOp)OpRegistry.Clone(new ReduceOp(ReduceFunction.LogSumExp, [2, -1], keepDims: true));
        Assert.Equal((ReduceFunction.LogSumExp, true), (op.Function, op.KeepDims));
        Assert.Equal([2, -1], op.Axes);
        foreach (ReduceFunction f in Enum.GetValues<ReduceFunction>())
            Assert.Equal(f, ((ReduceOp)OpRegistry.Clone(new ReduceOp(f, [0], keepDims: false))).Function);
        Assert.Equal("Reduce(log-sum-exp, axes [2, -1], keepdims)", op.ToString());
    }

    [Fact]
    public void BadSettingsAreRefusedInTheUsersTerms()
    {
        var e = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(new OpAttributes(ReduceOp.Name).Set("function", "median").Set("axes", [0L]).Set("keepdims", 0)));
        Assert.Equal("reduce attribute 'function' is 'median', expected one of sum, mean, max, min, prod, l1, l2, log-sum-exp, sum-square.", e.Message);
        e = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(new OpAttributes(ReduceOp.Name).Set("function", "sum").Set("axes", Array.Empty<long>()).Set("keepdims", 0)));
        Assert.Equal("reduce attribute 'axes' is empty, expected at least one axis.", e.Message);
        var shape = Assert.Throws<ArgumentException>(() => new ReduceOp(ReduceFunction.Sum, [2], keepDims: false).InferShapes([new TensorShape(3, 4)]));
        Assert.Equal("reduce axis 2 is outside the 2 sample dimensions of [3×4] (axis 0 is the first after the batch).", shape.Message);
        shape = Assert.Throws<ArgumentException>(() => new ReduceOp(ReduceFunction.Sum, [1, -1], keepDims: false).InferShapes([new TensorShape(3, 4)]));
        Assert.Equal("reduce axis 1 is given twice in [1, -1].", shape.Message);
        Assert.Equal("reduce needs at least one axis.", Assert.Throws<ArgumentException>(() => new ReduceOp(ReduceFunction.Sum, [], keepDims: false)).Message);
    }

    [Fact]
    public void TrainingStepsAndInferenceCallsAllocateNothing()
    {
        const int rows = 32;
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(3, 4));
        Value h = g.Reshape(g.Dense(g.Flatten(x), 12), 3, 4);
        Value a = g.Reduce(ReduceFunction.LogSumExp, h, [0], keepDims: false);
        Value b = g.Reduce(ReduceFunction.Max, h, [0]);
        Value c = g.Reduce(ReduceFunction.Prod, g.Reduce(ReduceFunction.L2, h, [1], keepDims: true), [1]);
        g.Output(g.Dense(g.Concat(-1, a, b, c, g.Reduce(ReduceFunction.Mean, h, [0])), 3));
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
