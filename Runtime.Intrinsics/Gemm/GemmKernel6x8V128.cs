using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Vector128 GEMM kernels (SSE on x64, NEON on ARM64): a 6×8 register tile, 12 accumulators plus two B vectors and one broadcast
/// of the 16 xmm registers (32 on NEON); each k step is two loads, six broadcasts and twelve FMAs.
/// </summary>
internal readonly unsafe struct GemmKernel6x8V128 : IGemmKernel
{
    const int W = 4;
    const int Nr = 2 * W;
    const int Mr = 6;

    public static SimdWidth Width => SimdWidth.V128;
    public static int MR => Mr;
    public static int NR => Nr;
    public static int MC => 144;
    public static int KC => 256;
    public static int NC => 4080;
    public static bool HasRowKernels => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int kc, float* a, float* b, int bs, float* c, int ldc, in GemmStore store)
    {
        Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector128<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector128<float> b0, b1, av;
        int p = 0;
        // Unrolled by four: the JIT never unrolls, and the loop overhead would otherwise share the FMA ports' cycles.
        nint bs1 = bs, bs2 = 2 * bs1, bs3 = 3 * bs1, bs4 = 4 * bs1;
        for (; p + 4 <= kc; p += 4, a += 4 * Mr, b += bs4)
        {
            b0 = Vector128.Load(b); b1 = Vector128.Load(b + W);
            av = Vector128.Create(a[0]); c00 = Vector128.MultiplyAddEstimate(av, b0, c00); c01 = Vector128.MultiplyAddEstimate(av, b1, c01);
            av = Vector128.Create(a[1]); c10 = Vector128.MultiplyAddEstimate(av, b0, c10); c11 = Vector128.MultiplyAddEstimate(av, b1, c11);
            av = Vector128.Create(a[2]); c20 = Vector128.MultiplyAddEstimate(av, b0, c20); c21 = Vector128.MultiplyAddEstimate(av, b1, c21);
            av = Vector128.Create(a[3]); c30 = Vector128.MultiplyAddEstimate(av, b0, c30); c31 = Vector128.MultiplyAddEstimate(av, b1, c31);
            av = Vector128.Create(a[4]); c40 = Vector128.MultiplyAddEstimate(av, b0, c40); c41 = Vector128.MultiplyAddEstimate(av, b1, c41);
            av = Vector128.Create(a[5]); c50 = Vector128.MultiplyAddEstimate(av, b0, c50); c51 = Vector128.MultiplyAddEstimate(av, b1, c51);

            b0 = Vector128.Load(b + bs1); b1 = Vector128.Load(b + bs1 + W);
            av = Vector128.Create(a[6]); c00 = Vector128.MultiplyAddEstimate(av, b0, c00); c01 = Vector128.MultiplyAddEstimate(av, b1, c01);
            av = Vector128.Create(a[7]); c10 = Vector128.MultiplyAddEstimate(av, b0, c10); c11 = Vector128.MultiplyAddEstimate(av, b1, c11);
            av = Vector128.Create(a[8]); c20 = Vector128.MultiplyAddEstimate(av, b0, c20); c21 = Vector128.MultiplyAddEstimate(av, b1, c21);
            av = Vector128.Create(a[9]); c30 = Vector128.MultiplyAddEstimate(av, b0, c30); c31 = Vector128.MultiplyAddEstimate(av, b1, c31);
            av = Vector128.Create(a[10]); c40 = Vector128.MultiplyAddEstimate(av, b0, c40); c41 = Vector128.MultiplyAddEstimate(av, b1, c41);
            av = Vector128.Create(a[11]); c50 = Vector128.MultiplyAddEstimate(av, b0, c50); c51 = Vector128.MultiplyAddEstimate(av, b1, c51);

            b0 = Vector128.Load(b + bs2); b1 = Vector128.Load(b + bs2 + W);
            av = Vector128.Create(a[12]); c00 = Vector128.MultiplyAddEstimate(av, b0, c00); c01 = Vector128.MultiplyAddEstimate(av, b1, c01);
            av = Vector128.Create(a[13]); c10 = Vector128.MultiplyAddEstimate(av, b0, c10); c11 = Vector128.MultiplyAddEstimate(av, b1, c11);
            av = Vector128.Create(a[14]); c20 = Vector128.MultiplyAddEstimate(av, b0, c20); c21 = Vector128.MultiplyAddEstimate(av, b1, c21);
            av = Vector128.Create(a[15]); c30 = Vector128.MultiplyAddEstimate(av, b0, c30); c31 = Vector128.MultiplyAddEstimate(av, b1, c31);
            av = Vector128.Create(a[16]); c40 = Vector128.MultiplyAddEstimate(av, b0, c40); c41 = Vector128.MultiplyAddEstimate(av, b1, c41);
            av = Vector128.Create(a[17]); c50 = Vector128.MultiplyAddEstimate(av, b0, c50); c51 = Vector128.MultiplyAddEstimate(av, b1, c51);

            b0 = Vector128.Load(b + bs3); b1 = Vector128.Load(b + bs3 + W);
            av = Vector128.Create(a[18]); c00 = Vector128.MultiplyAddEstimate(av, b0, c00); c01 = Vector128.MultiplyAddEstimate(av, b1, c01);
            av = Vector128.Create(a[19]); c10 = Vector128.MultiplyAddEstimate(av, b0, c10); c11 = Vector128.MultiplyAddEstimate(av, b1, c11);
            av = Vector128.Create(a[20]); c20 = Vector128.MultiplyAddEstimate(av, b0, c20); c21 = Vector128.MultiplyAddEstimate(av, b1, c21);
            av = Vector128.Create(a[21]); c30 = Vector128.MultiplyAddEstimate(av, b0, c30); c31 = Vector128.MultiplyAddEstimate(av, b1, c31);
            av = Vector128.Create(a[22]); c40 = Vector128.MultiplyAddEstimate(av, b0, c40); c41 = Vector128.MultiplyAddEstimate(av, b1, c41);
            av = Vector128.Create(a[23]); c50 = Vector128.MultiplyAddEstimate(av, b0, c50); c51 = Vector128.MultiplyAddEstimate(av, b1, c51);
        }
        for (; p < kc; p++, a += Mr, b += bs1)
        {
            b0 = Vector128.Load(b); b1 = Vector128.Load(b + W);
            av = Vector128.Create(a[0]); c00 = Vector128.MultiplyAddEstimate(av, b0, c00); c01 = Vector128.MultiplyAddEstimate(av, b1, c01);
            av = Vector128.Create(a[1]); c10 = Vector128.MultiplyAddEstimate(av, b0, c10); c11 = Vector128.MultiplyAddEstimate(av, b1, c11);
            av = Vector128.Create(a[2]); c20 = Vector128.MultiplyAddEstimate(av, b0, c20); c21 = Vector128.MultiplyAddEstimate(av, b1, c21);
            av = Vector128.Create(a[3]); c30 = Vector128.MultiplyAddEstimate(av, b0, c30); c31 = Vector128.MultiplyAddEstimate(av, b1, c31);
            av = Vector128.Create(a[4]); c40 = Vector128.MultiplyAddEstimate(av, b0, c40); c41 = Vector128.MultiplyAddEstimate(av, b1, c41);
            av = Vector128.Create(a[5]); c50 = Vector128.MultiplyAddEstimate(av, b0, c50); c51 = Vector128.MultiplyAddEstimate(av, b1, c51);
        }
        Store(c, c00, c01, store);
        Store(c + ldc, c10, c11, store);
        Store(c + 2 * ldc, c20, c21, store);
        Store(c + 3 * ldc, c30, c31, store);
        Store(c + 4 * ldc, c40, c41, store);
        Store(c + 5 * ldc, c50, c51, store);
    }

    public static void Rows(int rows, int pairs, int k, float* a, int ars, int aks, float* b, int bks, int bps,
        float* c, int ldc, in GemmStore store) =>
        GemmVectorKernels<Float128, Vector128<float>>.Rows(rows, pairs, k, a, ars, aks, b, bks, bps, c, ldc, store);

    /// <summary>Four dot products of one row of A with four rows of B read in place (see <see cref="GemmVectorKernels{TOps, TVec}.Dots4"/>).</summary>
    public static void Dots4(int k, float* a, float* b, int ldb, float* c, in GemmStore store) =>
        GemmVectorKernels<Float128, Vector128<float>>.Dots4(k, a, b, ldb, c, store);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* c, Vector128<float> lo, Vector128<float> hi, in GemmStore s) =>
        GemmVectorKernels<Float128, Vector128<float>>.Store(c, lo, hi, s);
}
