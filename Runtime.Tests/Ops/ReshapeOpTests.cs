using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>Reshape: explicit sizes, one -1 (whatever is left) and 0 (keep the input's dimension there).</summary>
public sealed class ReshapeOpTests
{
    public static TheoryData<int[], int[], int[]> Reshapes() => new()
    {
        { [12], [3, 4], [3, 4] },
        { [3, 4], [4, 3], [4, 3] },
        { [3, 4], [-1], [12] },
        { [3, 4], [3, -1], [3, 4] },
        { [3, 4], [0, 2, -1], [3, 2, 2] },
        { [2, 3, 4], [0, -1], [2, 12] },
        { [2, 3, 4], [0, 0, 0], [2, 3, 4] },
        { [6], [2, -1, 1], [2, 3, 1] },
        { [1], [1, 1], [1, 1] },
    };

    [Theory]
    [MemberData(nameof(Reshapes))]
    public void KeepsTheValuesInOrder(int[] input, int[] target, int[] expected)
    {
        var shape = new TensorShape(input);
        Assert.Equal(new TensorShape(expected), new ReshapeOp(target).InferShapes([shape])[0]);
        foreach (bool training in new[] { true, false })
            OpTester.Check(new OpCase($"reshape {shape} to [{string.Join(",", target)}] {training}", () => new ReshapeOp(target), [shape], a => [a.Inputs[0]])
            {
                Training = training,
                ForwardTolerance = 0,
            });
    }

    [Theory]
    [InlineData(new[] { 5 }, new[] { 2, -1 }, "cannot fit the 5 values of each [5] sample into [2, -1]")]
    [InlineData(new[] { 3, 4 }, new[] { 0, 5 }, "holds 15 values per sample, the input [3×4] has 12")]
    [InlineData(new[] { 6 }, new[] { 0, 0 }, "dimension 1 is 0 (keep), but the input [6] has no dimension 1")]
    public void ShapesThatDoNotFitSaySo(int[] input, int[] target, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new ReshapeOp(target).InferShapes([new TensorShape(input)]));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void TwoFreeDimensionsAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ReshapeOp(-1, -1));
        Assert.StartsWith("reshape dimensions [-1, -1] may hold one -1", e.Message);
    }
}
