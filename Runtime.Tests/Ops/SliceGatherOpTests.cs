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

/// <summary>
/// SliceOp (windows with steps forwards and backwards, a contiguous last axis and a strided one) and
/// GatherElementsOp (repeated, reversed and random picks along each axis) over the op tester's batches: forward
/// against a plain index computation per output element, backward against finite differences (a window's gradient in
/// its place and zeros elsewhere; an element picked twice sums both). Both settle into a model file's attributes, refuse
/// what does not fit with the reason, and allocate nothing per call once warm.
/// </summary>
public sealed class SliceGatherOpTests
{
    public static TheoryData<int[], int[], int[], int[]> Windows() => new()
    {
        // Input, starts, counts, steps.
        { [5], [1], [3], [1] },
        { [7], [6], [4], [-2] },
        { [3, 8], [0, 2], [3, 5], [1, 1] },
        { [3, 8], [2, 7], [2, 3], [-1, -3] },
        { [4, 3, 5], [1, 0, 0], [2, 3, 5], [2, 1, 1] },
        { [4, 3, 5], [3, 1, 4], [4, 1, 2], [-1, 1, -4] },
        { [2, 1, 6], [1, 0, 1], [1, 1, 3], [1, 1, 2] },
        { [9], [0], [9], [1] },
    };

    [Theory, MemberData(nameof(Windows))]
    public void SliceReadsItsWindow(int[] input, int[] starts, int[] counts, int[] steps)
    {
        OpTester.Check(new OpCase($"slice {new TensorShape(input)} from [{string.Join(", ", starts)}] by [{string.Join(", ", steps)}]",
            () => new SliceOp(starts, counts, steps), [new TensorShape(input)], a =>
            {
                int rank = input.Length, inLength = input.Aggregate(1, (p, d) => p * d), outLength = counts.Aggregate(1, (p, d) => p * d);
                var z = new double[a.Rows * outLength];
                for (int r = 0; r < a.Rows; r++)
                    for (int i = 0; i < outLength; i++)
                    {
                        int rest = i, at = 0, scale = 1;
                        for (int k = rank - 1; k >= 0; k--)
                        {
                            at += (starts[k] + (rest % counts[k] * steps[k])) * scale;
                            rest /= counts[k];
                            scale *= input[k];
                        }
                        z[r * outLength + i] = a.Inputs[0][r * inLength + at];
                    }
                return [z];
            }));
    }

    public static TheoryData<int[], int, int[]> Gathers() => new()
    {
        // Input, axis, indices' shape (the indices are drawn).
        { [5], 0, [7] },
        { [3, 4], 1, [3, 2] },
        { [3, 4], 0, [2, 4] },
        { [3, 4], -1, [1, 6] },
        { [2, 5, 3], 1, [2, 1, 3] },
        { [2, 5, 3], 2, [1, 5, 2] },
    };

    private static int[] Picks(int[] shape, int size, int seed)
    {
        var random = new Random(seed);
        int n = shape.Aggregate(1, (p, d) => p * d);
        // The first pick repeats, so some element sums two gradients.
        return [.. Enumerable.Range(0, n).Select(i => i == 1 ? 0 : i == 0 ? 0 : random.Next(size))];
    }

    [Theory, MemberData(nameof(Gathers))]
    public void GatherElementsPicksAlongTheAxis(int[] input, int axis, int[] shape)
    {
        int rank = input.Length, a0 = axis < 0 ? axis + rank : axis;
        int[] indices = Picks(shape, input[a0], input.Sum() + axis);
        OpTester.Check(new OpCase($"gather_elements {new TensorShape(input)} axis {axis} by [{string.Join(", ", shape)}]",
            () => new GatherElementsOp(axis, shape, indices), [new TensorShape(input)], a =>
            {
                int inLength = input.Aggregate(1, (p, d) => p * d), outLength = indices.Length;
                var z = new double[a.Rows * outLength];
                var position = new int[rank];
                for (int r = 0; r < a.Rows; r++)
                    for (int i = 0; i < outLength; i++)
                    {
                        int rest = i;
                        for (int k = rank - 1; k >= 0; k--)
                        {
                            position[k] = rest % shape[k];
                            rest /= shape[k];
                        }
                        position[a0] = indices[i];
                        int at = 0;
                        for (int k = 0; k < rank; k++) at = (at * input[k]) + position[k];
                        z[r * outLength + i] = a.Inputs[0][r * inLength + at];
                    }
                return [z];
            }));
    }

    [Fact]
    public void SettingsRoundTripThroughAttributes()
    {
        var slice = new SliceOp([1, 4], [2, 3], [1, -2]);
        var copy = (SliceOp)OpRegistry.Clone(slice);
        Assert.Equal(slice.Starts, copy.Starts);
        Assert.Equal(slice.Counts, copy.Counts);
        Assert.Equal(slice.Steps, copy.Steps);
        var gather = new GatherElementsOp(-1, [2, 2], [0, 2, 1, 1]);
        var same = (GatherElementsOp)OpRegistry.Clone(gather);
        Assert.Equal(-1, same.Axis);
        Assert.Equal(gather.Shape, same.Shape);
        Assert.Equal(gather.Indices, same.Indices);
    }

    [Fact]
    public void WhatDoesNotFitIsRefusedWithTheReason()
    {
        var e = Assert.Throws<ArgumentException>(() => new SliceOp([0, 4], [2, 3], [1, 1]).InferShapes([new TensorShape(3, 6)]));
        Assert.Equal("slice from [0, 4], [2, 3] elements, steps [1, 1]: axis 1 of [3×6] has indices 0 to 5; the window reads 4 to 6.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new SliceOp([2], [4], [-1]).InferShapes([new TensorShape(3)]));
        Assert.Equal("slice from [2], [4] elements, steps [-1]: axis 0 of [3] has indices 0 to 2; the window reads 2 to -1.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new SliceOp([0], [1], [1]).InferShapes([new TensorShape(3, 2)]));
        Assert.Equal("slice from [0], [1] elements, steps [1] takes samples of 1 axes; the input is [3×2].", e.Message);
        e = Assert.Throws<ArgumentException>(() => new SliceOp([0], [1], [0]));
        Assert.StartsWith("slice from [0], [1] elements, steps [0]: starts must be at least 0, counts at least 1 and steps other than 0.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new GatherElementsOp(1, [2, 2], [0, 1, 2, 3]).InferShapes([new TensorShape(2, 3)]));
        Assert.Equal("gather_elements: index 3 (element 3 of the indices [2, 2]) is outside axis 1 of [2×3] (0 to 2).", e.Message);
        e = Assert.Throws<ArgumentException>(() => new GatherElementsOp(1, [3, 2], [0, 0, 0, 0, 0, 0]).InferShapes([new TensorShape(2, 3)]));
        Assert.Equal("gather_elements with indices [3, 2]: axis 0 of the indices is larger than the input [2×3]'s.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new GatherElementsOp(0, [2], [0]));
        Assert.StartsWith("gather_elements indices of shape [2] hold 2 values, got 1.", e.Message);
        var bad = new OpAttributes(SliceOp.Name).Set("starts", [0L]).Set("counts", [0L]).Set("steps", [1L]);
        var a = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(bad));
        Assert.Contains("counts", a.Message);
    }

    [Fact]
    public void TrainingStepsAndInferenceCallsAllocateNothing()
    {
        const int rows = 32;
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(4, 6));
        Value h = g.Single(new SliceOp([3, 1], [3, 4], [-1, 1]), g.Single(new UnaryMathOp(Intrinsics.UnaryFunction.Erf), x));
        h = g.Single(new GatherElementsOp(1, [3, 2], [3, 0, 1, 1, 2, 0]), h);
        g.Output(g.Dense(g.Flatten(h), 3));
        using Model model = g.Build(seed: 3, maxBatch: rows);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Threads = 1 });
        var input = TestModels.RandomArray(rows * 24, 5);
        var labels = Enumerable.Range(0, rows).Select(i => i % 3).ToArray();
        void Steps()
        {
            for (int i = 0; i < 3; i++) trainer.TrainBatch(input, rows, labels);
            trainer.TrainBatch(input.AsSpan(0, 7 * 24), 7, labels.AsSpan(0, 7));
        }
        Assert.Equal(0, Allocations.OnThisThread(Steps));
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = rows, IntraOpThreads = 1 });
        var output = new float[rows * 3];
        void Calls()
        {
            frozen.Predict(input, rows, output);
            frozen.Predict(input.AsSpan(0, 24), output.AsSpan(0, 3));
        }
        Assert.Equal(0, Allocations.OnThisThread(Calls));
    }
}
