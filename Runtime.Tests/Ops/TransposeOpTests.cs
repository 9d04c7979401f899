using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// TransposeOp over a sweep of sample shapes and every order of their axes: forward against a plain index loop in
/// double, backward (the inverse permutation) against its finite differences, at batches 1, 2, 7 and 32.
/// </summary>
public sealed class TransposeOpTests
{
    private static IEnumerable<int[]> Permutations(int rank)
    {
        if (rank == 0)
        {
            yield return [];
            yield break;
        }
        foreach (int[] rest in Permutations(rank - 1))
            for (int at = 0; at <= rest.Length; at++)
                yield return [.. rest[..at], rank - 1, .. rest[at..]];
    }

    /// <summary>y[r][o] = x[r][the input index output index o reads], axis by axis.</summary>
    private static double[][] Reference(OpReferenceArgs a)
    {
        int[] shape = a.InputShapes[0].ToArray(), perm = [.. ((TransposeOp)a.Op).Perm];
        int length = a.InputShapes[0].Length, rank = shape.Length;
        var y = new double[a.Rows * length];
        var index = new int[rank];
        for (int r = 0; r < a.Rows; r++)
            for (int o = 0; o < length; o++)
            {
                int rest = o;
                for (int i = rank - 1; i >= 0; i--)
                {
                    int size = shape[perm[i]];
                    index[perm[i]] = rest % size;
                    rest /= size;
                }
                int from = 0;
                for (int d = 0; d < rank; d++) from = from * shape[d] + index[d];
                y[r * length + o] = a.Inputs[0][r * length + from];
            }
        return [y];
    }

    private static OpCase Case(int[] shape, int[] perm, bool training = true) =>
        new($"transpose {new TensorShape(shape)} [{string.Join(", ", perm)}]{(training ? "" : " evaluation")}", () => new TransposeOp(perm), [new TensorShape(shape)], Reference)
        {
            Training = training,
        };

    public static TheoryData<int[]> Shapes() => new() { new[] { 5 }, new[] { 6, 8 }, new[] { 1, 7 }, new[] { 2, 3, 4 }, new[] { 3, 1, 5 }, new[] { 2, 3, 2, 3 }, new[] { 33, 35 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryOrderOfTheSampleAxesTrains(int[] shape)
    {
        foreach (int[] perm in Permutations(shape.Length)) OpTester.Check(Case(shape, perm));
    }

    [Fact]
    public void EvaluationServesTheCallersBuffers() => OpTester.Check(Case([6, 8], [1, 0], training: false));

    [Fact]
    public void SettingsRoundTripThroughTheRegistryAndBadOrdersAreRefused()
    {
        var op = (TransposeOp)OpRegistry.Clone(new TransposeOp(2, 0, 1));
        Assert.Equal([2, 0, 1], op.Perm);
        var e = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(new OpAttributes(TransposeOp.Name).Set("perm", [0L, 0L])));
        Assert.Equal("transpose attribute 'perm' is [0, 0], expected an order of 1 to 8 sample axes, each once.", e.Message);
        Assert.Equal("transpose takes an order of 1 to 8 sample axes, each once; got [1, 2].",
            Assert.Throws<ArgumentException>(() => new TransposeOp(1, 2)).Message);
    }
}
