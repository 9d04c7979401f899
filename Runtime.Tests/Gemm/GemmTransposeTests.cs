using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// The transposed product's second pass: every block size it mixes (8×8 blocks, 4-column and 4-row remainders,
/// 4×4 blocks alone) lands each element at its transposed place, with strides wider than the block and nothing
/// written outside it.
/// </summary>
[Trait("Category", "Kernels")]
public class GemmTransposeTests
{
    [Theory]
    [InlineData(4, 4)]
    [InlineData(8, 8)]
    [InlineData(8, 12)]
    [InlineData(12, 8)]
    [InlineData(36, 20)]
    [InlineData(32, 32)]
    [InlineData(48, 44)]
    public unsafe void TransposeMovesEveryElement(int rows, int cols)
    {
        int lds = cols + 5, ldd = rows + 3;
        var src = new float[rows * lds];
        for (int i = 0; i < src.Length; i++) src[i] = i + 1;
        var dst = new float[cols * ldd];
        Array.Fill(dst, -1f);
        fixed (float* s = src, d = dst) GemmPacking.Transpose(s, lds, d, ldd, rows, cols);
        for (int i = 0; i < cols; i++)
        {
            for (int j = 0; j < ldd; j++)
            {
                float expected = j < rows ? src[j * lds + i] : -1f;
                Assert.True(dst[i * ldd + j] == expected, $"{rows}×{cols}: dst[{i}, {j}] = {dst[i * ldd + j]}, expected {expected}");
            }
        }
    }
}
