using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

public sealed class FlattenOpTests
{
    public static TheoryData<int[]> Shapes() => new() { new[] { 1 }, new[] { 5 }, new[] { 3, 4 }, new[] { 2, 3, 4 }, new[] { 2, 1, 3, 2 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void CopiesEachSampleIntoOneRow(int[] dims)
    {
        var shape = new TensorShape(dims);
        Assert.Equal(new TensorShape(shape.Length), new FlattenOp().InferShapes([shape])[0]);
        foreach (bool training in new[] { true, false })
            OpTester.Check(new OpCase($"flatten {shape} {training}", () => new FlattenOp(), [shape], a => [a.Inputs[0]])
            {
                Training = training,
                ForwardTolerance = 0,
            });
    }
}
