using System.Runtime.Intrinsics;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// The 8×32 tile's transposed store writes each element of Cᵀ to its place in C with the operations of the row
/// store, through the AVX-512 shuffles and through the spilled copy that runs without them; and the transposed
/// product's second pass: every block size it mixes (8×8 blocks, 4-column and 4-row remainders,
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

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, true, true)]
    [InlineData(true, false, true)]
    public unsafe void TransposedStorePutsEveryElementInPlace(bool readC, bool bias, bool relu)
    {
        const int Ldc = 8 + 3;
        var tile = new float[8 * 32];
        var rnd = new Random(7);
        for (int i = 0; i < tile.Length; i++) tile[i] = (float)(rnd.NextDouble() * 2 - 1);
        var biasRow = new float[8];
        for (int i = 0; i < 8; i++) biasRow[i] = i * 0.25f - 1;
        var c0 = new float[32 * Ldc];
        for (int i = 0; i < c0.Length; i++) c0[i] = (float)(rnd.NextDouble() * 2 - 1);
        float[] shuffled = (float[])c0.Clone(), spilled = (float[])c0.Clone();
        fixed (float* t = tile, b = biasRow, cs = shuffled, cp = spilled)
        {
            var store = new GemmStore(0.75f, 0.5f, readC, bias ? b : null, relu);
            var v = (Vector512<float>*)t;
            GemmTransposedStore.Store(cs, Ldc, store, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7],
                v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]);
            var scaled = new float[8 * 32];
            for (int i = 0; i < scaled.Length; i++) scaled[i] = tile[i] * 0.75f;
            fixed (float* s = scaled) GemmTransposedStore.Spilled(s, cp, Ldc, store);
            // The row store's operations (those of Float512, as in GemmVectorKernels.Store), element by element at
            // C's place: column r of C is row r of the tile.
            for (int j = 0; j < 32; j++)
            {
                for (int r = 0; r < 8; r++)
                {
                    float x = 0.75f * tile[r * 32 + j];
                    if (readC) x = Lane(Float512.MultiplyAdd(Vector512.Create(c0[j * Ldc + r]), Vector512.Create(0.5f), Vector512.Create(x)));
                    if (bias) x = Lane(Float512.Add(Vector512.Create(x), Vector512.Create(biasRow[r])));
                    if (relu) x = Lane(Float512.Max(Vector512.Create(x), default));
                    Assert.True(shuffled[j * Ldc + r] == x, $"shuffled C[{j}, {r}] = {shuffled[j * Ldc + r]}, expected {x}");
                    Assert.True(spilled[j * Ldc + r] == x, $"spilled C[{j}, {r}] = {spilled[j * Ldc + r]}, expected {x}");
                }
                for (int r = 8; r < Ldc; r++)
                {
                    Assert.True(shuffled[j * Ldc + r] == c0[j * Ldc + r], $"shuffled wrote C[{j}, {r}] past the tile");
                    Assert.True(spilled[j * Ldc + r] == c0[j * Ldc + r], $"spilled wrote C[{j}, {r}] past the tile");
                }
            }
        }
    }

    static float Lane(Vector512<float> v) => v.ToScalar();
}
