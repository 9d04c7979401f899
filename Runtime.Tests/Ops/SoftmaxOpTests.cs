using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>Softmax over the last sample axis, for one to three dimensions.</summary>
public sealed class SoftmaxOpTests
{
    public static TheoryData<int[]> Shapes() => new() { new[] { 1 }, new[] { 2 }, new[] { 10 }, new[] { 3, 4 }, new[] { 2, 2, 7 }, new[] { 33 } };

    /// <summary>exp(x − max)/Σ exp(x − max) over each run of the last dimension, in double.</summary>
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
            for (int c = 0; c < cols; c++) y[start + c] = Math.Exp(x[start + c] - max) / sum;
        }
        return [y];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void OverTheLastAxis(int[] dims)
    {
        var shape = new TensorShape(dims);
        OpTester.Check(new OpCase($"softmax {shape}", () => new SoftmaxOp(), [shape], Reference));
        OpTester.Check(new OpCase($"softmax {shape} evaluation", () => new SoftmaxOp(), [shape], Reference) { Training = false });
    }
}
