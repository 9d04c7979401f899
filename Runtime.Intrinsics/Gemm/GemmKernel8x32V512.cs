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
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c04 = default, c05 = default, c06 = default, c07 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        // Offsets as native ints, hoisted: the JIT would otherwise re-extend them every iteration.
        nint r1 = ars, r2 = 2 * r1, r3 = 3 * r1, q1 = bps, q2 = 2 * q1, q3 = 3 * q1, ak = aks, bk = bks;
        int p = 0;
        // Unrolled by two (the JIT never unrolls); the order of operations per accumulator is unchanged.
        for (; p + 2 <= k; p += 2, a += 2 * ak, b += 2 * bk)
        {
            {
                Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + W);
                Vector512<float> b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
                if (TShape.Pairs > 1) { b2 = Vector512.Load(b + q1); b3 = Vector512.Load(b + q1 + W); }
                if (TShape.Pairs > 2)
                {
                    b4 = Vector512.Load(b + q2); b5 = Vector512.Load(b + q2 + W);
                    b6 = Vector512.Load(b + q3); b7 = Vector512.Load(b + q3 + W);
                }
                Vector512<float> av = Vector512.Create(*a);
                c00 = Vector512.MultiplyAddEstimate(av, b0, c00); c01 = Vector512.MultiplyAddEstimate(av, b1, c01);
                if (TShape.Pairs > 1) { c02 = Vector512.MultiplyAddEstimate(av, b2, c02); c03 = Vector512.MultiplyAddEstimate(av, b3, c03); }
                if (TShape.Pairs > 2)
                {
                    c04 = Vector512.MultiplyAddEstimate(av, b4, c04); c05 = Vector512.MultiplyAddEstimate(av, b5, c05);
                    c06 = Vector512.MultiplyAddEstimate(av, b6, c06); c07 = Vector512.MultiplyAddEstimate(av, b7, c07);
                }
                if (TShape.Rows > 1)
                {
                    av = Vector512.Create(a[r1]);
                    c10 = Vector512.MultiplyAddEstimate(av, b0, c10); c11 = Vector512.MultiplyAddEstimate(av, b1, c11);
                    if (TShape.Pairs > 1) { c12 = Vector512.MultiplyAddEstimate(av, b2, c12); c13 = Vector512.MultiplyAddEstimate(av, b3, c13); }
                }
                if (TShape.Rows > 2)
                {
                    av = Vector512.Create(a[r2]);
                    c20 = Vector512.MultiplyAddEstimate(av, b0, c20); c21 = Vector512.MultiplyAddEstimate(av, b1, c21);
                    av = Vector512.Create(a[r3]);
                    c30 = Vector512.MultiplyAddEstimate(av, b0, c30); c31 = Vector512.MultiplyAddEstimate(av, b1, c31);
                }
            }
            {
                Vector512<float> b0 = Vector512.Load(b + bk), b1 = Vector512.Load(b + bk + W);
                Vector512<float> b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
                if (TShape.Pairs > 1) { b2 = Vector512.Load(b + bk + q1); b3 = Vector512.Load(b + bk + q1 + W); }
                if (TShape.Pairs > 2)
                {
                    b4 = Vector512.Load(b + bk + q2); b5 = Vector512.Load(b + bk + q2 + W);
                    b6 = Vector512.Load(b + bk + q3); b7 = Vector512.Load(b + bk + q3 + W);
                }
                Vector512<float> av = Vector512.Create(a[ak]);
                c00 = Vector512.MultiplyAddEstimate(av, b0, c00); c01 = Vector512.MultiplyAddEstimate(av, b1, c01);
                if (TShape.Pairs > 1) { c02 = Vector512.MultiplyAddEstimate(av, b2, c02); c03 = Vector512.MultiplyAddEstimate(av, b3, c03); }
                if (TShape.Pairs > 2)
                {
                    c04 = Vector512.MultiplyAddEstimate(av, b4, c04); c05 = Vector512.MultiplyAddEstimate(av, b5, c05);
                    c06 = Vector512.MultiplyAddEstimate(av, b6, c06); c07 = Vector512.MultiplyAddEstimate(av, b7, c07);
                }
                if (TShape.Rows > 1)
                {
                    av = Vector512.Create(a[ak + r1]);
                    c10 = Vector512.MultiplyAddEstimate(av, b0, c10); c11 = Vector512.MultiplyAddEstimate(av, b1, c11);
                    if (TShape.Pairs > 1) { c12 = Vector512.MultiplyAddEstimate(av, b2, c12); c13 = Vector512.MultiplyAddEstimate(av, b3, c13); }
                }
                if (TShape.Rows > 2)
                {
                    av = Vector512.Create(a[ak + r2]);
                    c20 = Vector512.MultiplyAddEstimate(av, b0, c20); c21 = Vector512.MultiplyAddEstimate(av, b1, c21);
                    av = Vector512.Create(a[ak + r3]);
                    c30 = Vector512.MultiplyAddEstimate(av, b0, c30); c31 = Vector512.MultiplyAddEstimate(av, b1, c31);
                }
            }
        }
        if (p < k)
        {
            {
                Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + W);
                Vector512<float> b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
                if (TShape.Pairs > 1) { b2 = Vector512.Load(b + q1); b3 = Vector512.Load(b + q1 + W); }
                if (TShape.Pairs > 2)
                {
                    b4 = Vector512.Load(b + q2); b5 = Vector512.Load(b + q2 + W);
                    b6 = Vector512.Load(b + q3); b7 = Vector512.Load(b + q3 + W);
                }
                Vector512<float> av = Vector512.Create(*a);
                c00 = Vector512.MultiplyAddEstimate(av, b0, c00); c01 = Vector512.MultiplyAddEstimate(av, b1, c01);
                if (TShape.Pairs > 1) { c02 = Vector512.MultiplyAddEstimate(av, b2, c02); c03 = Vector512.MultiplyAddEstimate(av, b3, c03); }
                if (TShape.Pairs > 2)
                {
                    c04 = Vector512.MultiplyAddEstimate(av, b4, c04); c05 = Vector512.MultiplyAddEstimate(av, b5, c05);
                    c06 = Vector512.MultiplyAddEstimate(av, b6, c06); c07 = Vector512.MultiplyAddEstimate(av, b7, c07);
                }
                if (TShape.Rows > 1)
                {
                    av = Vector512.Create(a[r1]);
                    c10 = Vector512.MultiplyAddEstimate(av, b0, c10); c11 = Vector512.MultiplyAddEstimate(av, b1, c11);
                    if (TShape.Pairs > 1) { c12 = Vector512.MultiplyAddEstimate(av, b2, c12); c13 = Vector512.MultiplyAddEstimate(av, b3, c13); }
                }
                if (TShape.Rows > 2)
                {
                    av = Vector512.Create(a[r2]);
                    c20 = Vector512.MultiplyAddEstimate(av, b0, c20); c21 = Vector512.MultiplyAddEstimate(av, b1, c21);
                    av = Vector512.Create(a[r3]);
                    c30 = Vector512.MultiplyAddEstimate(av, b0, c30); c31 = Vector512.MultiplyAddEstimate(av, b1, c31);
                }
            }
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

    /// <summary>
    /// Four dot products of one row of A with four rows of B (op(B) = Bᵀ read in place), both contiguous along k:
    /// c[q] = Σ_p a[p]·b[q·ldb + p]. Even and odd vectors of k go to separate accumulators (eight chains in flight);
    /// the k tail is added in order after the vector sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dots4(int k, float* a, float* b, int ldb, float* c, in GemmStore store)
    {
        float* b1 = b + ldb, b2 = b + 2 * (nint)ldb, b3 = b + 3 * (nint)ldb;
        Vector512<float> e0 = default, e1 = default, e2 = default, e3 = default;
        Vector512<float> o0 = default, o1 = default, o2 = default, o3 = default;
        int p = 0;
        for (; p + 2 * W <= k; p += 2 * W)
        {
            Vector512<float> av = Vector512.Load(a + p);
            e0 = Vector512.MultiplyAddEstimate(av, Vector512.Load(b + p), e0);
            e1 = Vector512.MultiplyAddEstimate(av, Vector512.Load(b1 + p), e1);
            e2 = Vector512.MultiplyAddEstimate(av, Vector512.Load(b2 + p), e2);
            e3 = Vector512.MultiplyAddEstimate(av, Vector512.Load(b3 + p), e3);
            av = Vector512.Load(a + p + W);
            o0 = Vector512.MultiplyAddEstimate(av, Vector512.Load(b + p + W), o0);
            o1 = Vector512.MultiplyAddEstimate(av, Vector512.Load(b1 + p + W), o1);
            o2 = Vector512.MultiplyAddEstimate(av, Vector512.Load(b2 + p + W), o2);
            o3 = Vector512.MultiplyAddEstimate(av, Vector512.Load(b3 + p + W), o3);
        }
        if (p + W <= k)
        {
            Vector512<float> av = Vector512.Load(a + p);
            e0 = Vector512.MultiplyAddEstimate(av, Vector512.Load(b + p), e0);
            e1 = Vector512.MultiplyAddEstimate(av, Vector512.Load(b1 + p), e1);
            e2 = Vector512.MultiplyAddEstimate(av, Vector512.Load(b2 + p), e2);
            e3 = Vector512.MultiplyAddEstimate(av, Vector512.Load(b3 + p), e3);
            p += W;
        }
        float s0 = Vector512.Sum(e0 + o0), s1 = Vector512.Sum(e1 + o1), s2 = Vector512.Sum(e2 + o2), s3 = Vector512.Sum(e3 + o3);
        for (; p < k; p++)
        {
            float x = a[p];
            s0 += x * b[p];
            s1 += x * b1[p];
            s2 += x * b2[p];
            s3 += x * b3[p];
        }
        GemmStore.Scalar(c, s0, store, 0);
        GemmStore.Scalar(c + 1, s1, store, 1);
        GemmStore.Scalar(c + 2, s2, store, 2);
        GemmStore.Scalar(c + 3, s3, store, 3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* c, Vector512<float> lo, Vector512<float> hi, in GemmStore s)
    {
        Vector512<float> alpha = Vector512.Create(s.Alpha);
        lo *= alpha;
        hi *= alpha;
        if (s.ReadC)
        {
            Vector512<float> beta = Vector512.Create(s.Beta);
            lo = Vector512.MultiplyAddEstimate(Vector512.Load(c), beta, lo);
            hi = Vector512.MultiplyAddEstimate(Vector512.Load(c + W), beta, hi);
        }
        if (s.Bias != null)
        {
            lo += Vector512.Load(s.Bias);
            hi += Vector512.Load(s.Bias + W);
        }
        if (s.Relu)
        {
            // IEEE maximum: NaN stays NaN, −0 becomes +0.
            lo = Vector512.Max(lo, Vector512<float>.Zero);
            hi = Vector512.Max(hi, Vector512<float>.Zero);
        }
        lo.Store(c);
        hi.Store(c + W);
    }
}
