using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>Concat along each axis of rank 1 to 3 samples, of two and three inputs, and of one value twice.</summary>
public sealed class ConcatOpTests
{
    public static TheoryData<int, int[][], int[]> Cases() => new()
    {
        { 0, [[3], [5]], [8] },
        { -1, [[3], [5]], [8] },
        { 0, [[1], [2], [3]], [6] },
        { -1, [[2, 3], [2, 4]], [2, 7] },
        { 1, [[2, 3], [2, 4], [2, 1]], [2, 8] },
        { 0, [[2, 3], [4, 3]], [6, 3] },
        { -2, [[2, 3], [1, 3], [3, 3]], [6, 3] },
        { 1, [[2, 3, 2], [2, 1, 2], [2, 2, 2]], [2, 6, 2] },
        { 0, [[1, 2, 2], [2, 2, 2]], [3, 2, 2] },
        { 2, [[2, 2, 1], [2, 2, 3]], [2, 2, 4] },
    };

    /// <summary>Each input's block of <c>s[axis]·inner</c> values per outer index, in input order.</summary>
    private static OpReference Reference(int axis) => a =>
    {
        var first = a.InputShapes[0];
        int k = axis < 0 ? axis + first.Rank : axis, outer = 1, inner = 1;
        for (int d = 0; d < k; d++) outer *= first[d];
        for (int d = k + 1; d < first.Rank; d++) inner *= first[d];
        var y = new List<double>();
        for (int r = 0; r < a.Rows; r++)
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < a.Inputs.Length; i++)
                {
                    int w = a.InputShapes[i][k] * inner, sample = a.InputShapes[i].Length;
                    y.AddRange(a.Inputs[i].AsSpan(r * sample + o * w, w).ToArray());
                }
        return [[.. y]];
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void JoinsAlongTheAxis(int axis, int[][] inputs, int[] expected)
    {
        var shapes = inputs.Select(d => new TensorShape(d)).ToArray();
        Assert.Equal(new TensorShape(expected), new ConcatOp(axis).InferShapes(shapes)[0]);
        OpTester.Check(new OpCase($"concat {axis} {string.Join(" ", shapes)}", () => new ConcatOp(axis), shapes, Reference(axis)) { ForwardTolerance = 0 });
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public void OneValueTwice(int axis)
    {
        var shape = new TensorShape(2, 3);
        OpTester.Check(new OpCase($"concat self {axis}", () => new ConcatOp(axis), [shape], Reference(axis)) { NodeInputs = [0, 0], ForwardTolerance = 0 });
    }

    [Fact]
    public void MismatchedShapesAndAxesSayWhich()
    {
        var e = Assert.Throws<ArgumentException>(() => new ConcatOp(-1).InferShapes([new TensorShape(2, 3), new TensorShape(3, 3)]));
        Assert.Equal("concat along axis -1: input 1 is [3×3], which does not match [2×3] outside that axis.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ConcatOp(2).InferShapes([new TensorShape(2, 3)]));
        Assert.Equal("concat axis 2 is outside the 2 dimensions of each [2×3] sample.", e.Message);
    }
}
