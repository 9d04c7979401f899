using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Vector256 GEMM kernels (AVX2+FMA): a 6×16 register tile, 12 accumulators plus two B vectors and one broadcast
/// of the 16 ymm registers; each k step is two loads, six broadcasts and twelve FMAs.
/// </summary>
internal readonly unsafe struct GemmKernel6x16V256 : IGemmKernel
{
    const int W = 8;
    const int Nr = 2 * W;
    const int Mr = 6;

    public static SimdWidth Width => SimdWidth.V256;
    public static int MR => Mr;
    public static int NR => Nr;
    public static int MC => 144;
    public static int KC => 256;
    public static int NC => 4080;
    public static bool HasRowKernels => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(int kc, float* a, float* b, int bs, float* c, int ldc, in GemmStore store)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector256<float> b0, b1, av;
        int p = 0;
        // Unrolled by four: the JIT never unrolls, and the loop overhead would otherwise share the FMA ports' cycles.
        nint bs1 = bs, bs2 = 2 * bs1, bs3 = 3 * bs1, bs4 = 4 * bs1;
        for (; p + 4 <= kc; p += 4, a += 4 * Mr, b += bs4)
        {
            b0 = Vector256.Load(b); b1 = Vector256.Load(b + W);
            av = Vector256.Create(a[0]); c00 = Vector256.MultiplyAddEstimate(av, b0, c00); c01 = Vector256.MultiplyAddEstimate(av, b1, c01);
            av = Vector256.Create(a[1]); c10 = Vector256.MultiplyAddEstimate(av, b0, c10); c11 = Vector256.MultiplyAddEstimate(av, b1, c11);
            av = Vector256.Create(a[2]); c20 = Vector256.MultiplyAddEstimate(av, b0, c20); c21 = Vector256.MultiplyAddEstimate(av, b1, c21);
            av = Vector256.Create(a[3]); c30 = Vector256.MultiplyAddEstimate(av, b0, c30); c31 = Vector256.MultiplyAddEstimate(av, b1, c31);
            av = Vector256.Create(a[4]); c40 = Vector256.MultiplyAddEstimate(av, b0, c40); c41 = Vector256.MultiplyAddEstimate(av, b1, c41);
            av = Vector256.Create(a[5]); c50 = Vector256.MultiplyAddEstimate(av, b0, c50); c51 = Vector256.MultiplyAddEstimate(av, b1, c51);

            b0 = Vector256.Load(b + bs1); b1 = Vector256.Load(b + bs1 + W);
            av = Vector256.Create(a[6]); c00 = Vector256.MultiplyAddEstimate(av, b0, c00); c01 = Vector256.MultiplyAddEstimate(av, b1, c01);
            av = Vector256.Create(a[7]); c10 = Vector256.MultiplyAddEstimate(av, b0, c10); c11 = Vector256.MultiplyAddEstimate(av, b1, c11);
            av = Vector256.Create(a[8]); c20 = Vector256.MultiplyAddEstimate(av, b0, c20); c21 = Vector256.MultiplyAddEstimate(av, b1, c21);
            av = Vector256.Create(a[9]); c30 = Vector256.MultiplyAddEstimate(av, b0, c30); c31 = Vector256.MultiplyAddEstimate(av, b1, c31);
            av = Vector256.Create(a[10]); c40 = Vector256.MultiplyAddEstimate(av, b0, c40); c41 = Vector256.MultiplyAddEstimate(av, b1, c41);
            av = Vector256.Create(a[11]); c50 = Vector256.MultiplyAddEstimate(av, b0, c50); c51 = Vector256.MultiplyAddEstimate(av, b1, c51);

            b0 = Vector256.Load(b + bs2); b1 = Vector256.Load(b + bs2 + W);
            av = Vector256.Create(a[12]); c00 = Vector256.MultiplyAddEstimate(av, b0, c00); c01 = Vector256.MultiplyAddEstimate(av, b1, c01);
            av = Vector256.Create(a[13]); c10 = Vector256.MultiplyAddEstimate(av, b0, c10); c11 = Vector256.MultiplyAddEstimate(av, b1, c11);
            av = Vector256.Create(a[14]); c20 = Vector256.MultiplyAddEstimate(av, b0, c20); c21 = Vector256.MultiplyAddEstimate(av, b1, c21);
            av = Vector256.Create(a[15]); c30 = Vector256.MultiplyAddEstimate(av, b0, c30); c31 = Vector256.MultiplyAddEstimate(av, b1, c31);
            av = Vector256.Create(a[16]); c40 = Vector256.MultiplyAddEstimate(av, b0, c40); c41 = Vector256.MultiplyAddEstimate(av, b1, c41);
            av = Vector256.Create(a[17]); c50 = Vector256.MultiplyAddEstimate(av, b0, c50); c51 = Vector256.MultiplyAddEstimate(av, b1, c51);

            b0 = Vector256.Load(b + bs3); b1 = Vector256.Load(b + bs3 + W);
            av = Vector256.Create(a[18]); c00 = Vector256.MultiplyAddEstimate(av, b0, c00); c01 = Vector256.MultiplyAddEstimate(av, b1, c01);
            av = Vector256.Create(a[19]); c10 = Vector256.MultiplyAddEstimate(av, b0, c10); c11 = Vector256.MultiplyAddEstimate(av, b1, c11);
            av = Vector256.Create(a[20]); c20 = Vector256.MultiplyAddEstimate(av, b0, c20); c21 = Vector256.MultiplyAddEstimate(av, b1, c21);
            av = Vector256.Create(a[21]); c30 = Vector256.MultiplyAddEstimate(av, b0, c30); c31 = Vector256.MultiplyAddEstimate(av, b1, c31);
            av = Vector256.Create(a[22]); c40 = Vector256.MultiplyAddEstimate(av, b0, c40); c41 = Vector256.MultiplyAddEstimate(av, b1, c41);
            av = Vector256.Create(a[23]); c50 = Vector256.MultiplyAddEstimate(av, b0, c50); c51 = Vector256.MultiplyAddEstimate(av, b1, c51);
        }
        for (; p < kc; p++, a += Mr, b += bs1)
        {
            b0 = Vector256.Load(b); b1 = Vector256.Load(b + W);
            av = Vector256.Create(a[0]); c00 = Vector256.MultiplyAddEstimate(av, b0, c00); c01 = Vector256.MultiplyAddEstimate(av, b1, c01);
            av = Vector256.Create(a[1]); c10 = Vector256.MultiplyAddEstimate(av, b0, c10); c11 = Vector256.MultiplyAddEstimate(av, b1, c11);
            av = Vector256.Create(a[2]); c20 = Vector256.MultiplyAddEstimate(av, b0, c20); c21 = Vector256.MultiplyAddEstimate(av, b1, c21);
            av = Vector256.Create(a[3]); c30 = Vector256.MultiplyAddEstimate(av, b0, c30); c31 = Vector256.MultiplyAddEstimate(av, b1, c31);
            av = Vector256.Create(a[4]); c40 = Vector256.MultiplyAddEstimate(av, b0, c40); c41 = Vector256.MultiplyAddEstimate(av, b1, c41);
            av = Vector256.Create(a[5]); c50 = Vector256.MultiplyAddEstimate(av, b0, c50); c51 = Vector256.MultiplyAddEstimate(av, b1, c51);
        }
        Store(c, c00, c01, store);
        Store(c + ldc, c10, c11, store);
        Store(c + 2 * ldc, c20, c21, store);
        Store(c + 3 * ldc, c30, c31, store);
        Store(c + 4 * ldc, c40, c41, store);
        Store(c + 5 * ldc, c50, c51, store);
    }

    public static void Rows(int rows, int pairs, int k, float* a, int ars, int aks, float* b, int bks, int bps,
        float* c, int ldc, in GemmStore store)
    {
        switch (rows * 8 + pairs)
        {
            case 1 * 8 + 4: RowKernel<GemmRowShape1x4>(k, a, ars, aks, b, bks, bps, c, ldc, store); break;
            case 2 * 8 + 2: RowKernel<GemmRowShape2x2>(k, a, ars, aks, b, bks, bps, c, ldc, store); break;
            case 1 * 8 + 1: RowKernel<GemmRowShape1x1>(k, a, ars, aks, b, bks, bps, c, ldc, store); break;
            case 2 * 8 + 1: RowKernel<GemmRowShape2x1>(k, a, ars, aks, b, bks, bps, c, ldc, store); break;
            case 4 * 8 + 1: RowKernel<GemmRowShape4x1>(k, a, ars, aks, b, bks, bps, c, ldc, store); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), $"no {rows}×{pairs} row kernel");
        }
    }

    /// <summary>
    /// Rows of A in place against pairs of B vectors streamed row by row: at most eight accumulators, so even a
    /// single row keeps eight FMA chains in flight. Branches on the shape's constants vanish at JIT time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void RowKernel<TShape>(int k, float* a, int ars, int aks, float* b, int bks, int bps, float* c, int ldc,
        in GemmStore store) where TShape : struct, IGemmRowShape
    {
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default, c04 = default, c05 = default, c06 = default, c07 = default;
        Vector256<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        float* a1 = a + ars, a2 = a + 2 * ars, a3 = a + 3 * ars;
        float* q1 = b + bps, q2 = b + 2 * bps, q3 = b + 3 * bps;
        for (int p = 0; p < k; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + W);
            Vector256<float> b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
            if (TShape.Pairs > 1) { b2 = Vector256.Load(q1); b3 = Vector256.Load(q1 + W); }
            if (TShape.Pairs > 2) { b4 = Vector256.Load(q2); b5 = Vector256.Load(q2 + W); b6 = Vector256.Load(q3); b7 = Vector256.Load(q3 + W); }
            Vector256<float> av = Vector256.Create(*a);
            c00 = Vector256.MultiplyAddEstimate(av, b0, c00); c01 = Vector256.MultiplyAddEstimate(av, b1, c01);
            if (TShape.Pairs > 1) { c02 = Vector256.MultiplyAddEstimate(av, b2, c02); c03 = Vector256.MultiplyAddEstimate(av, b3, c03); }
            if (TShape.Pairs > 2)
            {
                c04 = Vector256.MultiplyAddEstimate(av, b4, c04); c05 = Vector256.MultiplyAddEstimate(av, b5, c05);
                c06 = Vector256.MultiplyAddEstimate(av, b6, c06); c07 = Vector256.MultiplyAddEstimate(av, b7, c07);
            }
            if (TShape.Rows > 1)
            {
                av = Vector256.Create(*a1);
                c10 = Vector256.MultiplyAddEstimate(av, b0, c10); c11 = Vector256.MultiplyAddEstimate(av, b1, c11);
                if (TShape.Pairs > 1) { c12 = Vector256.MultiplyAddEstimate(av, b2, c12); c13 = Vector256.MultiplyAddEstimate(av, b3, c13); }
            }
            if (TShape.Rows > 2)
            {
                av = Vector256.Create(*a2);
                c20 = Vector256.MultiplyAddEstimate(av, b0, c20); c21 = Vector256.MultiplyAddEstimate(av, b1, c21);
                av = Vector256.Create(*a3);
                c30 = Vector256.MultiplyAddEstimate(av, b0, c30); c31 = Vector256.MultiplyAddEstimate(av, b1, c31);
            }
            a += aks; a1 += aks; a2 += aks; a3 += aks;
            b += bks; q1 += bks; q2 += bks; q3 += bks;
        }
        Store(c, c00, c01, store);
        if (TShape.Pairs > 1) Store(c + Nr, c02, c03, store.WithBias(store.Bias == null ? null : store.Bias + Nr));
        if (TShape.Pairs > 2)
        {
            Store(c + 2 * Nr, c04, c05, store.WithBias(store.Bias == null ? null : store.Bias + 2 * Nr));
            Store(c + 3 * Nr, c06, c07, store.WithBias(store.Bias == null ? null : store.Bias + 3 * Nr));
        }
        if (TShape.Rows > 1)
        {
            Store(c + ldc, c10, c11, store);
            if (TShape.Pairs > 1) Store(c + ldc + Nr, c12, c13, store.WithBias(store.Bias == null ? null : store.Bias + Nr));
        }
        if (TShape.Rows > 2)
        {
            Store(c + 2 * ldc, c20, c21, store);
            Store(c + 3 * ldc, c30, c31, store);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* c, Vector256<float> lo, Vector256<float> hi, in GemmStore s)
    {
        Vector256<float> alpha = Vector256.Create(s.Alpha);
        lo *= alpha;
        hi *= alpha;
        if (s.ReadC)
        {
            Vector256<float> beta = Vector256.Create(s.Beta);
            lo = Vector256.MultiplyAddEstimate(Vector256.Load(c), beta, lo);
            hi = Vector256.MultiplyAddEstimate(Vector256.Load(c + W), beta, hi);
        }
        if (s.Bias != null)
        {
            lo += Vector256.Load(s.Bias);
            hi += Vector256.Load(s.Bias + W);
        }
        if (s.Relu)
        {
            // IEEE maximum: NaN stays NaN, −0 becomes +0.
            lo = Vector256.Max(lo, Vector256<float>.Zero);
            hi = Vector256.Max(hi, Vector256<float>.Zero);
        }
        lo.Store(c);
        hi.Store(c + W);
    }
}
