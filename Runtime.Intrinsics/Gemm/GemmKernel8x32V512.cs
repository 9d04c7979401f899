using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Vector512 GEMM kernels (AVX-512; in software elsewhere): an 8×32 register tile, 16 accumulators plus two B vectors and one
/// broadcast of the 32 zmm registers; each k step is two loads, eight broadcasts and sixteen FMAs. Eight rows rather
/// than six: twice the FMA chains the two pipes need in flight, and batches of 32 or 64 rows fill whole tiles.
/// </summary>
internal readonly unsafe struct GemmKernel8x32V512 : IGemmKernel
{
    const int W = 16;
    const int Nr = 2 * W;
    const int Mr = 8;

    public static SimdWidth Width => SimdWidth.V512;
    public static int MR => Mr;
    public static int NR => Nr;
    public static int MC => 144;
    public static int KC => 512;
    public static int NC => 4064;
    public static bool HasRowKernels => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int kc, float* a, float* b, int bs, float* c, int ldc, in GemmStore store)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        Vector512<float> b0, b1, av;
        int p = 0;
        // Unrolled by four: the JIT never unrolls, and the loop overhead would otherwise share the FMA ports' cycles.
        nint bs1 = bs, bs2 = 2 * bs1, bs3 = 3 * bs1, bs4 = 4 * bs1;
        for (; p + 4 <= kc; p += 4, a += 4 * Mr, b += bs4)
        {
            b0 = Vector512.Load(b); b1 = Vector512.Load(b + W);
            av = Vector512.Create(a[0]); c00 = Vector512.MultiplyAddEstimate(av, b0, c00); c01 = Vector512.MultiplyAddEstimate(av, b1, c01);
            av = Vector512.Create(a[1]); c10 = Vector512.MultiplyAddEstimate(av, b0, c10); c11 = Vector512.MultiplyAddEstimate(av, b1, c11);
            av = Vector512.Create(a[2]); c20 = Vector512.MultiplyAddEstimate(av, b0, c20); c21 = Vector512.MultiplyAddEstimate(av, b1, c21);
            av = Vector512.Create(a[3]); c30 = Vector512.MultiplyAddEstimate(av, b0, c30); c31 = Vector512.MultiplyAddEstimate(av, b1, c31);
            av = Vector512.Create(a[4]); c40 = Vector512.MultiplyAddEstimate(av, b0, c40); c41 = Vector512.MultiplyAddEstimate(av, b1, c41);
            av = Vector512.Create(a[5]); c50 = Vector512.MultiplyAddEstimate(av, b0, c50); c51 = Vector512.MultiplyAddEstimate(av, b1, c51);
            av = Vector512.Create(a[6]); c60 = Vector512.MultiplyAddEstimate(av, b0, c60); c61 = Vector512.MultiplyAddEstimate(av, b1, c61);
            av = Vector512.Create(a[7]); c70 = Vector512.MultiplyAddEstimate(av, b0, c70); c71 = Vector512.MultiplyAddEstimate(av, b1, c71);

            b0 = Vector512.Load(b + bs1); b1 = Vector512.Load(b + bs1 + W);
            av = Vector512.Create(a[8]); c00 = Vector512.MultiplyAddEstimate(av, b0, c00); c01 = Vector512.MultiplyAddEstimate(av, b1, c01);
            av = Vector512.Create(a[9]); c10 = Vector512.MultiplyAddEstimate(av, b0, c10); c11 = Vector512.MultiplyAddEstimate(av, b1, c11);
            av = Vector512.Create(a[10]); c20 = Vector512.MultiplyAddEstimate(av, b0, c20); c21 = Vector512.MultiplyAddEstimate(av, b1, c21);
            av = Vector512.Create(a[11]); c30 = Vector512.MultiplyAddEstimate(av, b0, c30); c31 = Vector512.MultiplyAddEstimate(av, b1, c31);
            av = Vector512.Create(a[12]); c40 = Vector512.MultiplyAddEstimate(av, b0, c40); c41 = Vector512.MultiplyAddEstimate(av, b1, c41);
            av = Vector512.Create(a[13]); c50 = Vector512.MultiplyAddEstimate(av, b0, c50); c51 = Vector512.MultiplyAddEstimate(av, b1, c51);
            av = Vector512.Create(a[14]); c60 = Vector512.MultiplyAddEstimate(av, b0, c60); c61 = Vector512.MultiplyAddEstimate(av, b1, c61);
            av = Vector512.Create(a[15]); c70 = Vector512.MultiplyAddEstimate(av, b0, c70); c71 = Vector512.MultiplyAddEstimate(av, b1, c71);

            b0 = Vector512.Load(b + bs2); b1 = Vector512.Load(b + bs2 + W);
            av = Vector512.Create(a[16]); c00 = Vector512.MultiplyAddEstimate(av, b0, c00); c01 = Vector512.MultiplyAddEstimate(av, b1, c01);
            av = Vector512.Create(a[17]); c10 = Vector512.MultiplyAddEstimate(av, b0, c10); c11 = Vector512.MultiplyAddEstimate(av, b1, c11);
            av = Vector512.Create(a[18]); c20 = Vector512.MultiplyAddEstimate(av, b0, c20); c21 = Vector512.MultiplyAddEstimate(av, b1, c21);
            av = Vector512.Create(a[19]); c30 = Vector512.MultiplyAddEstimate(av, b0, c30); c31 = Vector512.MultiplyAddEstimate(av, b1, c31);
            av = Vector512.Create(a[20]); c40 = Vector512.MultiplyAddEstimate(av, b0, c40); c41 = Vector512.MultiplyAddEstimate(av, b1, c41);
            av = Vector512.Create(a[21]); c50 = Vector512.MultiplyAddEstimate(av, b0, c50); c51 = Vector512.MultiplyAddEstimate(av, b1, c51);
            av = Vector512.Create(a[22]); c60 = Vector512.MultiplyAddEstimate(av, b0, c60); c61 = Vector512.MultiplyAddEstimate(av, b1, c61);
            av = Vector512.Create(a[23]); c70 = Vector512.MultiplyAddEstimate(av, b0, c70); c71 = Vector512.MultiplyAddEstimate(av, b1, c71);

            b0 = Vector512.Load(b + bs3); b1 = Vector512.Load(b + bs3 + W);
            av = Vector512.Create(a[24]); c00 = Vector512.MultiplyAddEstimate(av, b0, c00); c01 = Vector512.MultiplyAddEstimate(av, b1, c01);
            av = Vector512.Create(a[25]); c10 = Vector512.MultiplyAddEstimate(av, b0, c10); c11 = Vector512.MultiplyAddEstimate(av, b1, c11);
            av = Vector512.Create(a[26]); c20 = Vector512.MultiplyAddEstimate(av, b0, c20); c21 = Vector512.MultiplyAddEstimate(av, b1, c21);
            av = Vector512.Create(a[27]); c30 = Vector512.MultiplyAddEstimate(av, b0, c30); c31 = Vector512.MultiplyAddEstimate(av, b1, c31);
            av = Vector512.Create(a[28]); c40 = Vector512.MultiplyAddEstimate(av, b0, c40); c41 = Vector512.MultiplyAddEstimate(av, b1, c41);
            av = Vector512.Create(a[29]); c50 = Vector512.MultiplyAddEstimate(av, b0, c50); c51 = Vector512.MultiplyAddEstimate(av, b1, c51);
            av = Vector512.Create(a[30]); c60 = Vector512.MultiplyAddEstimate(av, b0, c60); c61 = Vector512.MultiplyAddEstimate(av, b1, c61);
            av = Vector512.Create(a[31]); c70 = Vector512.MultiplyAddEstimate(av, b0, c70); c71 = Vector512.MultiplyAddEstimate(av, b1, c71);
        }
        for (; p < kc; p++, a += Mr, b += bs1)
        {
            b0 = Vector512.Load(b); b1 = Vector512.Load(b + W);
            av = Vector512.Create(a[0]); c00 = Vector512.MultiplyAddEstimate(av, b0, c00); c01 = Vector512.MultiplyAddEstimate(av, b1, c01);
            av = Vector512.Create(a[1]); c10 = Vector512.MultiplyAddEstimate(av, b0, c10); c11 = Vector512.MultiplyAddEstimate(av, b1, c11);
            av = Vector512.Create(a[2]); c20 = Vector512.MultiplyAddEstimate(av, b0, c20); c21 = Vector512.MultiplyAddEstimate(av, b1, c21);
            av = Vector512.Create(a[3]); c30 = Vector512.MultiplyAddEstimate(av, b0, c30); c31 = Vector512.MultiplyAddEstimate(av, b1, c31);
            av = Vector512.Create(a[4]); c40 = Vector512.MultiplyAddEstimate(av, b0, c40); c41 = Vector512.MultiplyAddEstimate(av, b1, c41);
            av = Vector512.Create(a[5]); c50 = Vector512.MultiplyAddEstimate(av, b0, c50); c51 = Vector512.MultiplyAddEstimate(av, b1, c51);
            av = Vector512.Create(a[6]); c60 = Vector512.MultiplyAddEstimate(av, b0, c60); c61 = Vector512.MultiplyAddEstimate(av, b1, c61);
            av = Vector512.Create(a[7]); c70 = Vector512.MultiplyAddEstimate(av, b0, c70); c71 = Vector512.MultiplyAddEstimate(av, b1, c71);
        }
        Store(c, c00, c01, store);
        Store(c + ldc, c10, c11, store);
        Store(c + 2 * ldc, c20, c21, store);
        Store(c + 3 * ldc, c30, c31, store);
        Store(c + 4 * ldc, c40, c41, store);
        Store(c + 5 * ldc, c50, c51, store);
        Store(c + 6 * ldc, c60, c61, store);
        Store(c + 7 * ldc, c70, c71, store);
    }


    public static void Rows(int rows, int pairs, int k, float* a, int ars, int aks, float* b, int bks, int bps,
        float* c, int ldc, in GemmStore store) =>
        GemmVectorKernels<Float512, Vector512<float>>.Rows(rows, pairs, k, a, ars, aks, b, bks, bps, c, ldc, store);

    /// <summary>Four dot products of one row of A with four rows of B read in place (see <see cref="GemmVectorKernels{TOps, TVec}.Dots4"/>).</summary>
    public static void Dots4(int k, float* a, float* b, int ldb, float* c, in GemmStore store) =>
        GemmVectorKernels<Float512, Vector512<float>>.Dots4(k, a, b, ldb, c, store);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* c, Vector512<float> lo, Vector512<float> hi, in GemmStore s) =>
        GemmVectorKernels<Float512, Vector512<float>>.Store(c, lo, hi, s);
}
