using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Layout;

/// <summary>
/// The blocked transpose against its scalar reference, bit for bit: every permutation of ranks 1 to 4 over sizes
/// that leave tiles partly filled (1, 3, 33, 70: size 1 axes are dropped, neighbours merged), batches of 0, 1 and
/// 5, and rank 6; then the argument checks.
/// </summary>
public sealed class TransposeTests
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

    private static void Check(int count, int[] shape, int[] perm)
    {
        int length = count * shape.Aggregate(1, (p, d) => p * d);
        var random = new Random(length + 31 * perm.Sum());
        float[] x = [.. Enumerable.Range(0, length).Select(_ => (float)random.NextDouble())];
        var expected = new float[length + 3];
        var y = new float[length + 3];
        Array.Fill(expected, -7f);
        Array.Fill(y, -7f);
        TransposeScalar.Permute(x, expected, count, shape, perm);
        Transpose.Permute(x, y, count, shape, perm);
        Assert.True(expected.AsSpan().SequenceEqual(y), $"count {count}, shape [{string.Join(", ", shape)}], perm [{string.Join(", ", perm)}]");
    }

    public static TheoryData<int> Ranks() => [1, 2, 3, 4];

    [Theory]
    [MemberData(nameof(Ranks))]
    public void EveryPermutationMatchesTheReference(int rank)
    {
        int[][] sizes = rank switch
        {
            1 => [[1], [70]],
            2 => [[1, 5], [3, 33], [70, 40], [33, 1]],
            3 => [[2, 3, 4], [1, 33, 35], [5, 1, 7], [3, 70, 2]],
            _ => [[2, 3, 4, 5], [1, 2, 1, 3], [3, 1, 33, 6]],
        };
        foreach (int[] shape in sizes)
            foreach (int[] perm in Permutations(rank))
                foreach (int count in (int[])[0, 1, 5])
                    Check(count, shape, perm);
    }

    [Fact]
    public void RankSixAndLargeMatricesMatchTheReference()
    {
        Check(2, [2, 3, 1, 4, 2, 3], [5, 0, 3, 1, 4, 2]);
        Check(1, [2, 3, 1, 4, 2, 3], [0, 1, 2, 3, 5, 4]);
        Check(3, [130, 97], [1, 0]);
        Check(1, [64, 64], [1, 0]);
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        var x = new float[24];
        var y = new float[24];
        Assert.Equal("The permutation [0, 0, 1] does not name each of the 3 axes once.",
            Assert.Throws<ArgumentException>(() => Transpose.Permute(x, y, 1, [2, 3, 4], [0, 0, 1])).Message);
        Assert.Equal("The shape has 3 axes and the permutation 2; they must agree.",
            Assert.Throws<ArgumentException>(() => Transpose.Permute(x, y, 1, [2, 3, 4], [1, 0])).Message);
        Assert.Equal("y holds 24 floats; count × the shape needs 48.",
            Assert.Throws<ArgumentException>(() => Transpose.Permute(new float[48], y, 2, [2, 3, 4], [2, 1, 0])).Message);
        Assert.Equal("x and y overlap; a transpose writes into another buffer.",
            Assert.Throws<ArgumentException>(() => Transpose.Permute(x, x, 1, [2, 3, 4], [2, 1, 0])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Transpose.Permute(x, y, -1, [2], [0]));
    }
}
