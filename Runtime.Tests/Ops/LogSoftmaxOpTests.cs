using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>SoftmaxOp's log variant over the last sample axis, for one to three dimensions, and its setting.</summary>
public sealed class LogSoftmaxOpTests
{
    public static TheoryData<int[]> Shapes() => new() { new[] { 1 }, new[] { 2 }, new[] { 10 }, new[] { 3, 4 }, new[] { 2, 2, 7 }, new[] { 33 } };

    /// <summary>(x − max) − log Σ exp(x − max) over each run of the last dimension, in double.</summary>
    private static double[][] Reference(OpReferenceArgs a)
    {
        var shape = a.InputShapes[0];
        int cols = shape[shape.Rank - 1];
        var x = a.Inputs[0];
        var y = new double[x.Length];
        for (int start = 0; start < x.Length; start += cols)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int c = 0; c < cols; c++) max = Math.Max(max, x[start + c]);
            for (int c = 0; c < cols; c++) sum += Math.Exp(x[start + c] - max);
            for (int c = 0; c < cols; c++) y[start + c] = x[start + c] - max - Math.Log(sum);
        }
        return [y];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void OverTheLastAxis(int[] dims)
    {
        var shape = new TensorShape(dims);
        OpTester.Check(new OpCase($"log-softmax {shape}", () => new SoftmaxOp(log: true), [shape], Reference));
        OpTester.Check(new OpCase($"log-softmax {shape} evaluation", () => new SoftmaxOp(log: true), [shape], Reference) { Training = false });
    }

    [Fact]
    public void TheSettingRoundTripsAndAPlainSoftmaxWritesNone()
    {
        Assert.True(((SoftmaxOp)OpRegistry.Clone(new SoftmaxOp(log: true))).Log);
        Assert.False(((SoftmaxOp)OpRegistry.Clone(new SoftmaxOp())).Log);
        var attributes = new OpAttributes(SoftmaxOp.Name);
        new SoftmaxOp().WriteAttributes(attributes);
        Assert.Empty(attributes.Names);
        var e = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(new OpAttributes(SoftmaxOp.Name).Set("log", 2)));
        Assert.Equal("softmax attribute 'log' is 2, expected a value in [0, 1].", e.Message);
    }
}
