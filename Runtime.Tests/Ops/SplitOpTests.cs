using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// SplitOp over a sweep of sample shapes, axes (first, middle, last, negative) and sizes (uneven, a piece of 0, one
/// piece): forward against plain index arithmetic in double, backward (the output gradients joined) against its
/// finite differences, at batches 1, 2, 7 and 32.
/// </summary>
public sealed class SplitOpTests
{
    /// <summary>Output i holds the entries of x whose index along the axis falls in piece i.</summary>
    private static double[][] Reference(OpReferenceArgs a)
    {
        var op = (SplitOp)a.Op;
        int[] shape = a.InputShapes[0].ToArray();
        int axis = op.Axis < 0 ? op.Axis + shape.Length : op.Axis;
        int outer = shape[..axis].Aggregate(1, (p, d) => p * d), inner = shape[(axis + 1)..].Aggregate(1, (p, d) => p * d);
        int length = a.InputShapes[0].Length;
        var outputs = new double[op.Sizes.Count][];
        int start = 0;
        for (int i = 0; i < outputs.Length; i++)
        {
            int size = op.Sizes[i];
            var y = outputs[i] = new double[a.Rows * outer * size * inner];
            for (int r = 0; r < a.Rows; r++)
                for (int o = 0; o < outer; o++)
                    for (int s = 0; s < size; s++)
                        for (int n = 0; n < inner; n++)
                            y[((r * outer + o) * size + s) * inner + n] = a.Inputs[0][r * length + (o * shape[axis] + start + s) * inner + n];
            start += size;
        }
        return outputs;
    }

    private static OpCase Case(int[] shape, int axis, int[] sizes, bool training = true) =>
        new($"split {new TensorShape(shape)} axis {axis} [{string.Join(", ", sizes)}]{(training ? "" : " evaluation")}", () => new SplitOp(axis, sizes),
            [new TensorShape(shape)], Reference)
        {
            Training = training,
        };

    [Fact]
    public void PiecesAlongEachAxisTrain()
    {
        OpTester.Check(Case([24], 0, [8, 8, 8]));
        OpTester.Check(Case([6, 24], -1, [8, 8, 8]));
        OpTester.Check(Case([6, 24], 0, [1, 5]));
        OpTester.Check(Case([2, 7, 3], 1, [3, 0, 4]));
        OpTester.Check(Case([2, 7, 3], 2, [2, 1]));
        OpTester.Check(Case([5, 4], 1, [4]));
        OpTester.Check(Case([3, 33], 1, [17, 16], training: false));
    }

    [Fact]
    public void SizesThatDoNotCoverTheAxisAreRefusedAndSettingsRoundTrip()
    {
        Assert.Equal("split of [6×24] along axis 1 into [8, 8]: the sizes add up to 16, the axis has 24.",
            Assert.Throws<ArgumentException>(() => new SplitOp(1, 8, 8).InferShapes([new TensorShape(6, 24)])).Message);
        Assert.Equal("split axis 2 is outside the 2 dimensions of each [6×24] sample.",
            Assert.Throws<ArgumentException>(() => new SplitOp(2, 24).InferShapes([new TensorShape(6, 24)])).Message);
        Assert.Equal("split takes one size or more, none negative; got [3, -1].", Assert.Throws<ArgumentException>(() => new SplitOp(0, 3, -1)).Message);
        var op = (SplitOp)OpRegistry.Clone(new SplitOp(-1, 3, 5));
        Assert.Equal(-1, op.Axis);
        Assert.Equal([3, 5], op.Sizes);
    }
}
