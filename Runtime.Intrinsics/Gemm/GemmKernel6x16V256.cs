using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The Vector256 GEMM kernel (AVX2 + FMA): a 6×16 register tile (<c>Tile</c> of 6 rows, 12 of the 16 ymm registers
/// accumulate).
/// </summary>
internal readonly unsafe struct GemmKernel6x16V256 : IGemmKernel
{
    const int W = 8;
    const int Nr = 2 * W;
    const int Mr = 6;

    public static SimdWidth Width => SimdWidth.V256;
    public static int MR => Mr;
    public static int NR => Nr;
    public static bool HasRowKernels => true;

    public static void Tile(int kc, float* a, float* b, int bs, float* c, int ldc, in GemmStore store) =>
        GemmVectorKernels<Vector256<float>, Float256>.Tile<GemmRowShape6x1>(kc, a, b, bs, c, ldc, store);

    public static void TileInPlace(int kc, float* a, int ars, int aks, float* b, int bs, float* c, int ldc, in GemmStore store) =>
        GemmVectorKernels<Vector256<float>, Float256>.TileInPlace<GemmRowShape6x1>(kc, a, ars, aks, b, bs, c, ldc, store);

    public static bool HasTransposedTile => false;

    public static void TileTransposed(int kc, float* a, int ars, int aks, float* b, int bs, float* c, int ldc, in GemmStore store) =>
        throw new NotSupportedException("only the 8×32 tile stores transposed");

    public static void StoreRows(float* acc, int lda, int n, int rows, float* c, int ldc, in GemmStore store) =>
        GemmVectorKernels<Vector256<float>, Float256>.StoreRows(acc, lda, n, rows, c, ldc, store);

    public static void Outer(int rows, float* a, int ars, float* b, int n, float* c, int ldc, in GemmStore store) =>
        GemmVectorKernels<Vector256<float>, Float256>.Outer(rows, a, ars, b, n, c, ldc, store);

    public static void Rows(int rows, int pairs, int k, float* a, int ars, int aks, float* b, int bks, int bps,
        float* c, int ldc, in GemmStore store) =>
        GemmVectorKernels<Vector256<float>, Float256>.Rows(rows, pairs, k, a, ars, aks, b, bks, bps, c, ldc, store);

    /// <summary>Four dot products of one row of A with four rows of B read in place (see <see cref="GemmVectorKernels{TOps, TVec}.Dots4"/>).</summary>
    public static void Dots4(int k, float* a, float* b, int ldb, float* c, in GemmStore store) =>
        GemmVectorKernels<Vector256<float>, Float256>.Dots4(k, a, b, ldb, c, store);
}
