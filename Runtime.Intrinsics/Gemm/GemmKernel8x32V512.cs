using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The Vector512 GEMM kernel (AVX-512; in software elsewhere): an 8×32 register tile (<c>Tile</c> of 8 rows, 16 of the
/// 32 zmm registers accumulate).
/// </summary>
internal readonly unsafe struct GemmKernel8x32V512 : IGemmKernel
{
    const int W = 16;
    const int Nr = 2 * W;
    const int Mr = 8;

    public static SimdWidth Width => SimdWidth.V512;
    public static int MR => Mr;
    public static int NR => Nr;
    public static bool HasRowKernels => true;

    public static void Tile(int kc, float* a, float* b, int bs, float* c, int ldc, in GemmStore store) =>
        GemmVectorKernels<Vector512<float>, Float512>.Tile<GemmRowShape8x1>(kc, a, b, bs, c, ldc, store);

    public static void TileInPlace(int kc, float* a, int ars, int aks, float* b, int bs, float* c, int ldc, in GemmStore store) =>
        GemmVectorKernels<Vector512<float>, Float512>.TileInPlace<GemmRowShape8x1>(kc, a, ars, aks, b, bs, c, ldc, store);

    public static bool HasTransposedTile => true;

    public static void TileTransposed(int kc, float* a, int ars, int aks, float* b, int bs, float* c, int ldc, in GemmStore store) =>
        GemmVectorKernels<Vector512<float>, Float512>.TileInPlace<GemmRowShape8x1TransposedC>(kc, a, ars, aks, b, bs, c, ldc, store);

    public static void StoreRows(float* acc, int lda, int n, int rows, float* c, int ldc, in GemmStore store) =>
        GemmVectorKernels<Vector512<float>, Float512>.StoreRows(acc, lda, n, rows, c, ldc, store);

    public static void Outer(int rows, float* a, int ars, float* b, int n, float* c, int ldc, in GemmStore store) =>
        GemmVectorKernels<Vector512<float>, Float512>.Outer(rows, a, ars, b, n, c, ldc, store);

    public static void Rows(int rows, int pairs, int k, float* a, int ars, int aks, float* b, int bks, int bps,
        float* c, int ldc, in GemmStore store) =>
        GemmVectorKernels<Vector512<float>, Float512>.Rows(rows, pairs, k, a, ars, aks, b, bks, bps, c, ldc, store);

    /// <summary>Four dot products of one row of A with four rows of B read in place (see <see cref="GemmVectorKernels{TOps, TVec}.Dots4"/>).</summary>
    public static void Dots4(int k, float* a, float* b, int ldb, float* c, in GemmStore store) =>
        GemmVectorKernels<Vector512<float>, Float512>.Dots4(k, a, b, ldb, c, store);
}
