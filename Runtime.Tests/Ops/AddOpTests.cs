using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>Add of two inputs (a residual join, and one value added to itself), and of one input and a bias row.</summary>
public sealed class AddOpTests
{
    public static TheoryData<int[]> Shapes() => new() { new[] { 1 }, new[] { 5 }, new[] { 3, 4 }, new[] { 2, 3, 5 }, new[] { 67 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void TwoInputs(int[] dims)
    {
        var shape = new TensorShape(dims);
        OpTester.Check(new OpCase($"add {shape}", () => new AddOp(), [shape, shape], a =>
            [a.Inputs[0].Zip(a.Inputs[1], (p, q) => p + q).ToArray()]));
    }

    /// <summary>add(x, x): one value in both slots, whose two gradients the runtime adds.</summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void OneValueInBothInputs(int[] dims)
    {
        var shape = new TensorShape(dims);
        OpTester.Check(new OpCase($"add self {shape}", () => new AddOp(), [shape], a => [a.Inputs[0].Select(p => p + p).ToArray()])
        {
            NodeInputs = [0, 0],
        });
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BiasRowBroadcastOverTheBatch(int[] dims)
    {
        var shape = new TensorShape(dims);
        OpTester.Check(new OpCase($"add bias {shape}", () => new AddOp(withBias: true), [shape], a =>
        {
            double[] x = a.Inputs[0], b = a.Tensor("bias");
            return [x.Select((v, i) => v + b[i % b.Length]).ToArray()];
        }));
    }

    [Fact]
    public void InputsOfTwoShapesAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new AddOp().InferShapes([new TensorShape(3), new TensorShape(4)]));
        Assert.Equal("add takes two inputs of one shape, got [3] and [4].", e.Message);
    }
}
