using System.Runtime.CompilerServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Plain float GEMM kernel for machines without vector hardware: a 4×4 register tile (16 scalar accumulators) on
/// the same packed panels, so the scalar width shares the blocked loops and their edge handling.
/// </summary>
internal readonly unsafe struct GemmKernel4x4Scalar : IGemmKernel
{
    const int Mr = 4;
    const int Nr = 4;

    public static SimdWidth Width => SimdWidth.Scalar;
    public static int MR => Mr;
    public static int NR => Nr;
    public static bool HasRowKernels => false;

    public static void Tile(int kc, float* a, float* b, int bs, float* c, int ldc, in GemmStore store) =>
        TileInPlace(kc, a, 1, Mr, b, bs, c, ldc, store);

    /// <summary>The tile on A with any strides: a packed panel is rows 1 apart and k steps MR apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TileInPlace(int kc, float* a, int ars, int aks, float* b, int bs, float* c, int ldc, in GemmStore store)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        nint o1 = ars, o2 = 2 * o1, o3 = 3 * o1;
        for (int p = 0; p < kc; p++, a += aks, b += bs)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            float av = a[0]; c00 += av * b0; c01 += av * b1; c02 += av * b2; c03 += av * b3;
            av = a[o1]; c10 += av * b0; c11 += av * b1; c12 += av * b2; c13 += av * b3;
            av = a[o2]; c20 += av * b0; c21 += av * b1; c22 += av * b2; c23 += av * b3;
            av = a[o3]; c30 += av * b0; c31 += av * b1; c32 += av * b2; c33 += av * b3;
        }
        Store(c, c00, c01, c02, c03, store);
        Store(c + ldc, c10, c11, c12, c13, store);
        Store(c + 2 * ldc, c20, c21, c22, c23, store);
        Store(c + 3 * ldc, c30, c31, c32, c33, store);
    }

    public static void Dots4(int k, float* a, float* b, int ldb, float* c, in GemmStore store) =>
        throw new NotSupportedException("the scalar width has no dot kernels");

    public static bool HasTransposedTile => false;

    public static void TileTransposed(int kc, float* a, int ars, int aks, float* b, int bs, float* c, int ldc, in GemmStore store) =>
        throw new NotSupportedException("only the 8×32 tile stores transposed");

    public static void StoreRows(float* acc, int lda, int n, int rows, float* c, int ldc, in GemmStore store) =>
        throw new NotSupportedException("the scalar width has no transposed product");

    public static void Outer(int rows, float* a, int ars, float* b, int n, float* c, int ldc, in GemmStore store) =>
        throw new NotSupportedException("the scalar width has no outer-product kernel");

    public static void Rows(int rows, int pairs, int k, float* a, int ars, int aks, float* b, int bks, int bps,
        float* c, int ldc, in GemmStore store) =>
        throw new NotSupportedException("the scalar width has no row kernels");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* c, float v0, float v1, float v2, float v3, in GemmStore s)
    {
        c[0] = Store(c[0], v0, s, 0);
        c[1] = Store(c[1], v1, s, 1);
        c[2] = Store(c[2], v2, s, 2);
        c[3] = Store(c[3], v3, s, 3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Store(float old, float acc, in GemmStore s, int j)
    {
        float v = s.Alpha * acc;
        if (s.ReadC) v += s.Beta * old;
        if (s.Bias != null) v += s.Bias[j];
        if (s.Relu) v = float.IsNaN(v) ? v : Math.Max(v, 0f);
        return v;
    }
}
