using System.Runtime.InteropServices;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Layout;

/// <summary>
/// The register-block transposes (8 × 8 with AVX, 4 × 4 with SSE or NEON) against the scalar reference at every
/// width, bit for bit: matrices whose sides leave blocks and tiles partly filled on both axes, matrices inside a
/// larger permutation (strided), and values a move must keep exactly (NaN payloads, infinities, −0, subnormals).
/// </summary>
[Trait("Category", "Kernels")]
public sealed class TransposeWidthTests
{
    public static IEnumerable<object[]> Widths() => KernelTestData.WidthCases();

    private static float[] Values(int length, int seed)
    {
        var random = new Random(seed);
        float[] special = [float.NaN, BitConverter.Int32BitsToSingle(0x7FC0_1234), float.PositiveInfinity, float.NegativeInfinity, -0f, 1e-40f, float.MaxValue];
        return [.. Enumerable.Range(0, length).Select(i => i % 17 == 3 ? special[i % special.Length] : (float)(random.NextDouble() * 2 - 1))];
    }

    private static void Check(SimdWidth width, int count, int[] shape, int[] perm)
    {
        int length = count * shape.Aggregate(1, (p, d) => p * d);
        float[] x = Values(length, length + shape[0]);
        var expected = new float[length + 5];
        var y = new float[length + 5];
        Array.Fill(expected, -3f);
        Array.Fill(y, -3f);
        TransposeScalar.Permute(x, expected, count, shape, perm);
        Transpose.Permute(width, x, y, count, shape, perm);
        Assert.True(MemoryMarshal.Cast<float, int>(expected.AsSpan()).SequenceEqual(MemoryMarshal.Cast<float, int>(y.AsSpan())),
            $"{width}: count {count}, shape [{string.Join(", ", shape)}], perm [{string.Join(", ", perm)}]");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void MatricesOfEverySideUpToFortyMatchTheReference(SimdWidth width)
    {
        for (int rows = 1; rows <= 40; rows++)
            foreach (int columns in (int[])[1, 3, 4, 7, 8, 9, 15, 16, 17, 24, 31, 33, 40])
                Check(width, 1, [rows, columns], [1, 0]);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void LargeBatchedAndStridedMatricesMatchTheReference(SimdWidth width)
    {
        Check(width, 1, [64, 200], [1, 0]);
        Check(width, 3, [130, 97], [1, 0]);
        Check(width, 2, [9, 5, 17], [2, 1, 0]);
        Check(width, 2, [33, 3, 20], [2, 0, 1]);
        Check(width, 1, [4, 24, 16], [0, 2, 1]);
    }
}
