using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The GEMM kernels every vector width shares, written once against <see cref="IFloatVector{TVec}"/>: the
/// register tile of the blocked path (6 or 8 rows), the row kernels of the small-M path, the dot products of its NT form, and the store of a pair of C vectors (alpha,
/// beta, bias, ReLU). Each width's kernel struct keeps only its register tile and calls these; the JIT compiles them
/// separately per width, so <c>TOps</c> calls inline to that width's instructions.
/// </summary>
internal static unsafe class GemmVectorKernels<TVec, TOps>
    where TVec : struct
    where TOps : struct, IFloatVector<TVec>
{
    /// <summary>Lanes per vector; a B pair (one tile column group) is two vectors.</summary>
    static int W => TOps.Count;

    static int Nr => 2 * TOps.Count;

    /// <summary>
    /// The register tile of the blocked path: 6 or 8 rows (<c>TShape.Rows</c>, a JIT-time constant) of two vectors
    /// each. Six rows keep 12 accumulators, two B vectors and a broadcast within the 16 registers of AVX2 and SSE;
    /// eight rows (16 accumulators) suit the 32 of AVX-512: twice the FMA chains the two pipes need in flight, and
    /// batches of 32 or 64 rows fill whole tiles. Each k step is two loads, a broadcast per row and two FMAs per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<TShape>(int kc, float* a, float* b, int bs, float* c, int ldc, in GemmStore store)
        where TShape : struct, IGemmRowShape
    {
        TVec c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        TVec c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        TVec b0, b1, av;
        int R = TShape.Rows;
        PrefetchTile(c, ldc, R);
        int p = 0;
        // Unrolled by four: the JIT never unrolls, and the loop overhead would otherwise share the FMA ports' cycles.
        nint bs1 = bs, bs2 = 2 * bs1, bs3 = 3 * bs1, bs4 = 4 * bs1;
        for (; p + 4 <= kc; p += 4, a += 4 * R, b += bs4)
        {
            b0 = TOps.Load(b); b1 = TOps.Load(b + W);
            av = TOps.Create(a[0]); c00 = TOps.MultiplyAdd(av, b0, c00); c01 = TOps.MultiplyAdd(av, b1, c01);
            av = TOps.Create(a[1]); c10 = TOps.MultiplyAdd(av, b0, c10); c11 = TOps.MultiplyAdd(av, b1, c11);
            av = TOps.Create(a[2]); c20 = TOps.MultiplyAdd(av, b0, c20); c21 = TOps.MultiplyAdd(av, b1, c21);
            av = TOps.Create(a[3]); c30 = TOps.MultiplyAdd(av, b0, c30); c31 = TOps.MultiplyAdd(av, b1, c31);
            av = TOps.Create(a[4]); c40 = TOps.MultiplyAdd(av, b0, c40); c41 = TOps.MultiplyAdd(av, b1, c41);
            av = TOps.Create(a[5]); c50 = TOps.MultiplyAdd(av, b0, c50); c51 = TOps.MultiplyAdd(av, b1, c51);
            if (TShape.Rows > 6)
            {
                av = TOps.Create(a[6]); c60 = TOps.MultiplyAdd(av, b0, c60); c61 = TOps.MultiplyAdd(av, b1, c61);
                av = TOps.Create(a[7]); c70 = TOps.MultiplyAdd(av, b0, c70); c71 = TOps.MultiplyAdd(av, b1, c71);
            }

            b0 = TOps.Load(b + bs1); b1 = TOps.Load(b + bs1 + W);
            av = TOps.Create(a[R + 0]); c00 = TOps.MultiplyAdd(av, b0, c00); c01 = TOps.MultiplyAdd(av, b1, c01);
            av = TOps.Create(a[R + 1]); c10 = TOps.MultiplyAdd(av, b0, c10); c11 = TOps.MultiplyAdd(av, b1, c11);
            av = TOps.Create(a[R + 2]); c20 = TOps.MultiplyAdd(av, b0, c20); c21 = TOps.MultiplyAdd(av, b1, c21);
            av = TOps.Create(a[R + 3]); c30 = TOps.MultiplyAdd(av, b0, c30); c31 = TOps.MultiplyAdd(av, b1, c31);
            av = TOps.Create(a[R + 4]); c40 = TOps.MultiplyAdd(av, b0, c40); c41 = TOps.MultiplyAdd(av, b1, c41);
            av = TOps.Create(a[R + 5]); c50 = TOps.MultiplyAdd(av, b0, c50); c51 = TOps.MultiplyAdd(av, b1, c51);
            if (TShape.Rows > 6)
            {
                av = TOps.Create(a[R + 6]); c60 = TOps.MultiplyAdd(av, b0, c60); c61 = TOps.MultiplyAdd(av, b1, c61);
                av = TOps.Create(a[R + 7]); c70 = TOps.MultiplyAdd(av, b0, c70); c71 = TOps.MultiplyAdd(av, b1, c71);
            }

            b0 = TOps.Load(b + bs2); b1 = TOps.Load(b + bs2 + W);
            av = TOps.Create(a[2 * R + 0]); c00 = TOps.MultiplyAdd(av, b0, c00); c01 = TOps.MultiplyAdd(av, b1, c01);
            av = TOps.Create(a[2 * R + 1]); c10 = TOps.MultiplyAdd(av, b0, c10); c11 = TOps.MultiplyAdd(av, b1, c11);
            av = TOps.Create(a[2 * R + 2]); c20 = TOps.MultiplyAdd(av, b0, c20); c21 = TOps.MultiplyAdd(av, b1, c21);
            av = TOps.Create(a[2 * R + 3]); c30 = TOps.MultiplyAdd(av, b0, c30); c31 = TOps.MultiplyAdd(av, b1, c31);
            av = TOps.Create(a[2 * R + 4]); c40 = TOps.MultiplyAdd(av, b0, c40); c41 = TOps.MultiplyAdd(av, b1, c41);
            av = TOps.Create(a[2 * R + 5]); c50 = TOps.MultiplyAdd(av, b0, c50); c51 = TOps.MultiplyAdd(av, b1, c51);
            if (TShape.Rows > 6)
            {
                av = TOps.Create(a[2 * R + 6]); c60 = TOps.MultiplyAdd(av, b0, c60); c61 = TOps.MultiplyAdd(av, b1, c61);
                av = TOps.Create(a[2 * R + 7]); c70 = TOps.MultiplyAdd(av, b0, c70); c71 = TOps.MultiplyAdd(av, b1, c71);
            }

            b0 = TOps.Load(b + bs3); b1 = TOps.Load(b + bs3 + W);
            av = TOps.Create(a[3 * R + 0]); c00 = TOps.MultiplyAdd(av, b0, c00); c01 = TOps.MultiplyAdd(av, b1, c01);
            av = TOps.Create(a[3 * R + 1]); c10 = TOps.MultiplyAdd(av, b0, c10); c11 = TOps.MultiplyAdd(av, b1, c11);
            av = TOps.Create(a[3 * R + 2]); c20 = TOps.MultiplyAdd(av, b0, c20); c21 = TOps.MultiplyAdd(av, b1, c21);
            av = TOps.Create(a[3 * R + 3]); c30 = TOps.MultiplyAdd(av, b0, c30); c31 = TOps.MultiplyAdd(av, b1, c31);
            av = TOps.Create(a[3 * R + 4]); c40 = TOps.MultiplyAdd(av, b0, c40); c41 = TOps.MultiplyAdd(av, b1, c41);
            av = TOps.Create(a[3 * R + 5]); c50 = TOps.MultiplyAdd(av, b0, c50); c51 = TOps.MultiplyAdd(av, b1, c51);
            if (TShape.Rows > 6)
            {
                av = TOps.Create(a[3 * R + 6]); c60 = TOps.MultiplyAdd(av, b0, c60); c61 = TOps.MultiplyAdd(av, b1, c61);
                av = TOps.Create(a[3 * R + 7]); c70 = TOps.MultiplyAdd(av, b0, c70); c71 = TOps.MultiplyAdd(av, b1, c71);
            }
        }
        for (; p < kc; p++, a += R, b += bs1)
        {
            b0 = TOps.Load(b); b1 = TOps.Load(b + W);
            av = TOps.Create(a[0]); c00 = TOps.MultiplyAdd(av, b0, c00); c01 = TOps.MultiplyAdd(av, b1, c01);
            av = TOps.Create(a[1]); c10 = TOps.MultiplyAdd(av, b0, c10); c11 = TOps.MultiplyAdd(av, b1, c11);
            av = TOps.Create(a[2]); c20 = TOps.MultiplyAdd(av, b0, c20); c21 = TOps.MultiplyAdd(av, b1, c21);
            av = TOps.Create(a[3]); c30 = TOps.MultiplyAdd(av, b0, c30); c31 = TOps.MultiplyAdd(av, b1, c31);
            av = TOps.Create(a[4]); c40 = TOps.MultiplyAdd(av, b0, c40); c41 = TOps.MultiplyAdd(av, b1, c41);
            av = TOps.Create(a[5]); c50 = TOps.MultiplyAdd(av, b0, c50); c51 = TOps.MultiplyAdd(av, b1, c51);
            if (TShape.Rows > 6)
            {
                av = TOps.Create(a[6]); c60 = TOps.MultiplyAdd(av, b0, c60); c61 = TOps.MultiplyAdd(av, b1, c61);
                av = TOps.Create(a[7]); c70 = TOps.MultiplyAdd(av, b0, c70); c71 = TOps.MultiplyAdd(av, b1, c71);
            }
        }
        Store(c, c00, c01, store);
        Store(c + ldc, c10, c11, store);
        Store(c + 2 * ldc, c20, c21, store);
        Store(c + 3 * ldc, c30, c31, store);
        Store(c + 4 * ldc, c40, c41, store);
        Store(c + 5 * ldc, c50, c51, store);
        if (TShape.Rows > 6)
        {
            Store(c + 6 * ldc, c60, c61, store);
            Store(c + 7 * ldc, c70, c71, store);
        }
    }

    /// <summary>
    /// <see cref="Tile{TShape}"/> on A read in place: element (r, p) at a[r·ars + p·aks], the rows of A as stored
    /// (ars = lda, aks = 1) or the columns of a transposed A (ars = 1, aks = lda), so nothing is packed. The same
    /// multiply-adds in the same order as the packed tile, so both round alike; only full tiles of rows (the caller
    /// packs a partial last panel, whose rows past the matrix would be read).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TileInPlace<TShape>(int kc, float* a, int ars, int aks, float* b, int bs, float* c, int ldc,
        in GemmStore store) where TShape : struct, IGemmRowShape
    {
        TVec c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        TVec c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        TVec b0, b1, av;
        if (!TShape.TransposedC) PrefetchTile(c, ldc, TShape.Rows);
        // Row offsets hoisted as native ints; one pointer steps along k.
        nint o1 = ars, o2 = 2 * o1, o3 = 3 * o1, o4 = 4 * o1, o5 = 5 * o1, o6 = 6 * o1, o7 = 7 * o1, ak = aks;
        nint bs1 = bs, bs2 = 2 * bs1, bs3 = 3 * bs1, bs4 = 4 * bs1;
        int p = 0;
        for (; p + 4 <= kc; p += 4, b += bs4)
        {
            b0 = TOps.Load(b); b1 = TOps.Load(b + W);
            av = TOps.Create(a[0]); c00 = TOps.MultiplyAdd(av, b0, c00); c01 = TOps.MultiplyAdd(av, b1, c01);
            av = TOps.Create(a[o1]); c10 = TOps.MultiplyAdd(av, b0, c10); c11 = TOps.MultiplyAdd(av, b1, c11);
            av = TOps.Create(a[o2]); c20 = TOps.MultiplyAdd(av, b0, c20); c21 = TOps.MultiplyAdd(av, b1, c21);
            av = TOps.Create(a[o3]); c30 = TOps.MultiplyAdd(av, b0, c30); c31 = TOps.MultiplyAdd(av, b1, c31);
            av = TOps.Create(a[o4]); c40 = TOps.MultiplyAdd(av, b0, c40); c41 = TOps.MultiplyAdd(av, b1, c41);
            av = TOps.Create(a[o5]); c50 = TOps.MultiplyAdd(av, b0, c50); c51 = TOps.MultiplyAdd(av, b1, c51);
            if (TShape.Rows > 6)
            {
                av = TOps.Create(a[o6]); c60 = TOps.MultiplyAdd(av, b0, c60); c61 = TOps.MultiplyAdd(av, b1, c61);
                av = TOps.Create(a[o7]); c70 = TOps.MultiplyAdd(av, b0, c70); c71 = TOps.MultiplyAdd(av, b1, c71);
            }
            a += ak;
            b0 = TOps.Load(b + bs1); b1 = TOps.Load(b + bs1 + W);
            av = TOps.Create(a[0]); c00 = TOps.MultiplyAdd(av, b0, c00); c01 = TOps.MultiplyAdd(av, b1, c01);
            av = TOps.Create(a[o1]); c10 = TOps.MultiplyAdd(av, b0, c10); c11 = TOps.MultiplyAdd(av, b1, c11);
            av = TOps.Create(a[o2]); c20 = TOps.MultiplyAdd(av, b0, c20); c21 = TOps.MultiplyAdd(av, b1, c21);
            av = TOps.Create(a[o3]); c30 = TOps.MultiplyAdd(av, b0, c30); c31 = TOps.MultiplyAdd(av, b1, c31);
            av = TOps.Create(a[o4]); c40 = TOps.MultiplyAdd(av, b0, c40); c41 = TOps.MultiplyAdd(av, b1, c41);
            av = TOps.Create(a[o5]); c50 = TOps.MultiplyAdd(av, b0, c50); c51 = TOps.MultiplyAdd(av, b1, c51);
            if (TShape.Rows > 6)
            {
                av = TOps.Create(a[o6]); c60 = TOps.MultiplyAdd(av, b0, c60); c61 = TOps.MultiplyAdd(av, b1, c61);
                av = TOps.Create(a[o7]); c70 = TOps.MultiplyAdd(av, b0, c70); c71 = TOps.MultiplyAdd(av, b1, c71);
            }
            a += ak;
            b0 = TOps.Load(b + bs2); b1 = TOps.Load(b + bs2 + W);
            av = TOps.Create(a[0]); c00 = TOps.MultiplyAdd(av, b0, c00); c01 = TOps.MultiplyAdd(av, b1, c01);
            av = TOps.Create(a[o1]); c10 = TOps.MultiplyAdd(av, b0, c10); c11 = TOps.MultiplyAdd(av, b1, c11);
            av = TOps.Create(a[o2]); c20 = TOps.MultiplyAdd(av, b0, c20); c21 = TOps.MultiplyAdd(av, b1, c21);
            av = TOps.Create(a[o3]); c30 = TOps.MultiplyAdd(av, b0, c30); c31 = TOps.MultiplyAdd(av, b1, c31);
            av = TOps.Create(a[o4]); c40 = TOps.MultiplyAdd(av, b0, c40); c41 = TOps.MultiplyAdd(av, b1, c41);
            av = TOps.Create(a[o5]); c50 = TOps.MultiplyAdd(av, b0, c50); c51 = TOps.MultiplyAdd(av, b1, c51);
            if (TShape.Rows > 6)
            {
                av = TOps.Create(a[o6]); c60 = TOps.MultiplyAdd(av, b0, c60); c61 = TOps.MultiplyAdd(av, b1, c61);
                av = TOps.Create(a[o7]); c70 = TOps.MultiplyAdd(av, b0, c70); c71 = TOps.MultiplyAdd(av, b1, c71);
            }
            a += ak;
            b0 = TOps.Load(b + bs3); b1 = TOps.Load(b + bs3 + W);
            av = TOps.Create(a[0]); c00 = TOps.MultiplyAdd(av, b0, c00); c01 = TOps.MultiplyAdd(av, b1, c01);
            av = TOps.Create(a[o1]); c10 = TOps.MultiplyAdd(av, b0, c10); c11 = TOps.MultiplyAdd(av, b1, c11);
            av = TOps.Create(a[o2]); c20 = TOps.MultiplyAdd(av, b0, c20); c21 = TOps.MultiplyAdd(av, b1, c21);
            av = TOps.Create(a[o3]); c30 = TOps.MultiplyAdd(av, b0, c30); c31 = TOps.MultiplyAdd(av, b1, c31);
            av = TOps.Create(a[o4]); c40 = TOps.MultiplyAdd(av, b0, c40); c41 = TOps.MultiplyAdd(av, b1, c41);
            av = TOps.Create(a[o5]); c50 = TOps.MultiplyAdd(av, b0, c50); c51 = TOps.MultiplyAdd(av, b1, c51);
            if (TShape.Rows > 6)
            {
                av = TOps.Create(a[o6]); c60 = TOps.MultiplyAdd(av, b0, c60); c61 = TOps.MultiplyAdd(av, b1, c61);
                av = TOps.Create(a[o7]); c70 = TOps.MultiplyAdd(av, b0, c70); c71 = TOps.MultiplyAdd(av, b1, c71);
            }
            a += ak;
        }
        for (; p < kc; p++, a += ak, b += bs1)
        {
            b0 = TOps.Load(b); b1 = TOps.Load(b + W);
            av = TOps.Create(a[0]); c00 = TOps.MultiplyAdd(av, b0, c00); c01 = TOps.MultiplyAdd(av, b1, c01);
            av = TOps.Create(a[o1]); c10 = TOps.MultiplyAdd(av, b0, c10); c11 = TOps.MultiplyAdd(av, b1, c11);
            av = TOps.Create(a[o2]); c20 = TOps.MultiplyAdd(av, b0, c20); c21 = TOps.MultiplyAdd(av, b1, c21);
            av = TOps.Create(a[o3]); c30 = TOps.MultiplyAdd(av, b0, c30); c31 = TOps.MultiplyAdd(av, b1, c31);
            av = TOps.Create(a[o4]); c40 = TOps.MultiplyAdd(av, b0, c40); c41 = TOps.MultiplyAdd(av, b1, c41);
            av = TOps.Create(a[o5]); c50 = TOps.MultiplyAdd(av, b0, c50); c51 = TOps.MultiplyAdd(av, b1, c51);
            if (TShape.Rows > 6)
            {
                av = TOps.Create(a[o6]); c60 = TOps.MultiplyAdd(av, b0, c60); c61 = TOps.MultiplyAdd(av, b1, c61);
                av = TOps.Create(a[o7]); c70 = TOps.MultiplyAdd(av, b0, c70); c71 = TOps.MultiplyAdd(av, b1, c71);
            }
        }
        if (TShape.TransposedC)
        {
            GemmTransposedStore.Store(c, ldc, store, As512(c00), As512(c01), As512(c10), As512(c11), As512(c20), As512(c21),
                As512(c30), As512(c31), As512(c40), As512(c41), As512(c50), As512(c51), As512(c60), As512(c61),
                As512(c70), As512(c71));
            return;
        }
        Store(c, c00, c01, store);
        Store(c + ldc, c10, c11, store);
        Store(c + 2 * ldc, c20, c21, store);
        Store(c + 3 * ldc, c30, c31, store);
        Store(c + 4 * ldc, c40, c41, store);
        Store(c + 5 * ldc, c50, c51, store);
        if (TShape.Rows > 6)
        {
            Store(c + 6 * ldc, c60, c61, store);
            Store(c + 7 * ldc, c70, c71, store);
        }
    }

    /// <summary>The 512-bit tile's accumulators as what they are (only the transposed-C shape, 8×32, asks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> As512(TVec v) => Unsafe.BitCast<TVec, Vector512<float>>(v);

    /// <summary>
    /// Asks for the tile's rows of C (their first and last bytes: two lines at 512 bits, or one misaligned row's
    /// two) before the k loop, so the loads and stores at its end find them in L1. Rows of C lie ldc apart, too far
    /// for the hardware prefetchers, and at 1024² and beyond C is in L3 or memory: those misses, once per tile and
    /// K block, cost 5–10% of a 2048³ product without this.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void PrefetchTile(float* c, int ldc, int rows)
    {
        if (!Sse.IsSupported) return;
        nint step = ldc;
        for (int r = 0; r < rows; r++, c += step)
        {
            Sse.Prefetch0(c);
            Sse.Prefetch0(c + Nr - 1);
        }
    }

    /// <summary>
    /// C rows = a[r·ars]·b[0..n) for n a multiple of two vectors: each product is one multiply-add onto zero, as in a
    /// one-step <see cref="Tile{TShape}"/>, so both paths round alike. Rows of C are written whole and in order —
    /// streaming stores where the tile path would write eight-row strips of a matrix that does not fit L1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Outer(int rows, float* a, int ars, float* b, int n, float* c, int ldc, in GemmStore store)
    {
        nint step = ars;
        // A copy the stores to C cannot alias, so its fields stay in registers across them.
        GemmStore s = store;
        float* bias = s.Bias;
        for (int r = 0; r < rows; r++, a += step, c += ldc)
        {
            TVec av = TOps.Create(*a);
            for (int j = 0; j < n; j += Nr)
            {
                TVec lo = TOps.MultiplyAdd(av, TOps.Load(b + j), default);
                TVec hi = TOps.MultiplyAdd(av, TOps.Load(b + j + W), default);
                Store(c + j, lo, hi, s.WithBias(bias == null ? null : bias + j));
            }
        }
    }

    /// <summary>
    /// rows rows of c[0..n) (ldc apart) from accumulators acc[0..n) (lda apart), n a multiple of two vectors, through
    /// <see cref="Store"/>. A strip's rows in one call: one call per row cost more than the stores (1.7 µs of a 10 µs
    /// 32×128·(256×128)ᵀ product, against 0.3 µs in one call; Zen 5).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void StoreRows(float* acc, int lda, int n, int rows, float* c, int ldc, in GemmStore store)
    {
        GemmStore s = store;
        float* bias = s.Bias;
        for (int r = 0; r < rows; r++, acc += lda, c += ldc)
        {
            for (int j = 0; j < n; j += Nr)
                Store(c + j, TOps.Load(acc + j), TOps.Load(acc + j + W), s.WithBias(bias == null ? null : bias + j));
        }
    }

    /// <summary>The row-kernel shapes the small-M driver asks for: 1×4, 2×2, 1×2, 1×1, 2×1 and 4×1 (rows × B pairs).</summary>
    public static void Rows(int rows, int pairs, int k, float* a, int ars, int aks, float* b, int bks, int bps,
        float* c, int ldc, in GemmStore store)
    {
        switch (rows * 8 + pairs)
        {
            case 1 * 8 + 4: RowKernel<GemmRowShape1x4>(k, a, ars, aks, b, bks, bps, c, ldc, store); break;
            case 2 * 8 + 2: RowKernel<GemmRowShape2x2>(k, a, ars, aks, b, bks, bps, c, ldc, store); break;
            case 1 * 8 + 2: RowKernel<GemmRowShape1x2>(k, a, ars, aks, b, bks, bps, c, ldc, store); break;
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
    public static void RowKernel<TShape>(int k, float* a, int ars, int aks, float* b, int bks, int bps, float* c, int ldc,
        in GemmStore store) where TShape : struct, IGemmRowShape
    {
        TVec c00 = default, c01 = default, c02 = default, c03 = default, c04 = default, c05 = default, c06 = default, c07 = default;
        TVec c10 = default, c11 = default, c12 = default, c13 = default;
        TVec c20 = default, c21 = default, c30 = default, c31 = default;
        // Offsets as native ints, hoisted: the JIT would otherwise re-extend them every iteration.
        nint r1 = ars, r2 = 2 * r1, r3 = 3 * r1, q1 = bps, q2 = 2 * q1, q3 = 3 * q1, ak = aks, bk = bks;
        int p = 0;
        // Unrolled by two (the JIT never unrolls); the order of operations per accumulator is unchanged.
        for (; p + 2 <= k; p += 2, a += 2 * ak, b += 2 * bk)
        {
            {
                TVec b0 = TOps.Load(b), b1 = TOps.Load(b + W);
                TVec b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
                if (TShape.Pairs > 1) { b2 = TOps.Load(b + q1); b3 = TOps.Load(b + q1 + W); }
                if (TShape.Pairs > 2)
                {
                    b4 = TOps.Load(b + q2); b5 = TOps.Load(b + q2 + W);
                    b6 = TOps.Load(b + q3); b7 = TOps.Load(b + q3 + W);
                }
                TVec av = TOps.Create(*a);
                c00 = TOps.MultiplyAdd(av, b0, c00); c01 = TOps.MultiplyAdd(av, b1, c01);
                if (TShape.Pairs > 1) { c02 = TOps.MultiplyAdd(av, b2, c02); c03 = TOps.MultiplyAdd(av, b3, c03); }
                if (TShape.Pairs > 2)
                {
                    c04 = TOps.MultiplyAdd(av, b4, c04); c05 = TOps.MultiplyAdd(av, b5, c05);
                    c06 = TOps.MultiplyAdd(av, b6, c06); c07 = TOps.MultiplyAdd(av, b7, c07);
                }
                if (TShape.Rows > 1)
                {
                    av = TOps.Create(a[r1]);
                    c10 = TOps.MultiplyAdd(av, b0, c10); c11 = TOps.MultiplyAdd(av, b1, c11);
                    if (TShape.Pairs > 1) { c12 = TOps.MultiplyAdd(av, b2, c12); c13 = TOps.MultiplyAdd(av, b3, c13); }
                }
                if (TShape.Rows > 2)
                {
                    av = TOps.Create(a[r2]);
                    c20 = TOps.MultiplyAdd(av, b0, c20); c21 = TOps.MultiplyAdd(av, b1, c21);
                    av = TOps.Create(a[r3]);
                    c30 = TOps.MultiplyAdd(av, b0, c30); c31 = TOps.MultiplyAdd(av, b1, c31);
                }
            }
            {
                TVec b0 = TOps.Load(b + bk), b1 = TOps.Load(b + bk + W);
                TVec b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
                if (TShape.Pairs > 1) { b2 = TOps.Load(b + bk + q1); b3 = TOps.Load(b + bk + q1 + W); }
                if (TShape.Pairs > 2)
                {
                    b4 = TOps.Load(b + bk + q2); b5 = TOps.Load(b + bk + q2 + W);
                    b6 = TOps.Load(b + bk + q3); b7 = TOps.Load(b + bk + q3 + W);
                }
                TVec av = TOps.Create(a[ak]);
                c00 = TOps.MultiplyAdd(av, b0, c00); c01 = TOps.MultiplyAdd(av, b1, c01);
                if (TShape.Pairs > 1) { c02 = TOps.MultiplyAdd(av, b2, c02); c03 = TOps.MultiplyAdd(av, b3, c03); }
                if (TShape.Pairs > 2)
                {
                    c04 = TOps.MultiplyAdd(av, b4, c04); c05 = TOps.MultiplyAdd(av, b5, c05);
                    c06 = TOps.MultiplyAdd(av, b6, c06); c07 = TOps.MultiplyAdd(av, b7, c07);
                }
                if (TShape.Rows > 1)
                {
                    av = TOps.Create(a[ak + r1]);
                    c10 = TOps.MultiplyAdd(av, b0, c10); c11 = TOps.MultiplyAdd(av, b1, c11);
                    if (TShape.Pairs > 1) { c12 = TOps.MultiplyAdd(av, b2, c12); c13 = TOps.MultiplyAdd(av, b3, c13); }
                }
                if (TShape.Rows > 2)
                {
                    av = TOps.Create(a[ak + r2]);
                    c20 = TOps.MultiplyAdd(av, b0, c20); c21 = TOps.MultiplyAdd(av, b1, c21);
                    av = TOps.Create(a[ak + r3]);
                    c30 = TOps.MultiplyAdd(av, b0, c30); c31 = TOps.MultiplyAdd(av, b1, c31);
                }
            }
        }
        if (p < k)
        {
            {
                TVec b0 = TOps.Load(b), b1 = TOps.Load(b + W);
                TVec b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
                if (TShape.Pairs > 1) { b2 = TOps.Load(b + q1); b3 = TOps.Load(b + q1 + W); }
                if (TShape.Pairs > 2)
                {
                    b4 = TOps.Load(b + q2); b5 = TOps.Load(b + q2 + W);
                    b6 = TOps.Load(b + q3); b7 = TOps.Load(b + q3 + W);
                }
                TVec av = TOps.Create(*a);
                c00 = TOps.MultiplyAdd(av, b0, c00); c01 = TOps.MultiplyAdd(av, b1, c01);
                if (TShape.Pairs > 1) { c02 = TOps.MultiplyAdd(av, b2, c02); c03 = TOps.MultiplyAdd(av, b3, c03); }
                if (TShape.Pairs > 2)
                {
                    c04 = TOps.MultiplyAdd(av, b4, c04); c05 = TOps.MultiplyAdd(av, b5, c05);
                    c06 = TOps.MultiplyAdd(av, b6, c06); c07 = TOps.MultiplyAdd(av, b7, c07);
                }
                if (TShape.Rows > 1)
                {
                    av = TOps.Create(a[r1]);
                    c10 = TOps.MultiplyAdd(av, b0, c10); c11 = TOps.MultiplyAdd(av, b1, c11);
                    if (TShape.Pairs > 1) { c12 = TOps.MultiplyAdd(av, b2, c12); c13 = TOps.MultiplyAdd(av, b3, c13); }
                }
                if (TShape.Rows > 2)
                {
                    av = TOps.Create(a[r2]);
                    c20 = TOps.MultiplyAdd(av, b0, c20); c21 = TOps.MultiplyAdd(av, b1, c21);
                    av = TOps.Create(a[r3]);
                    c30 = TOps.MultiplyAdd(av, b0, c30); c31 = TOps.MultiplyAdd(av, b1, c31);
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
        TVec e0 = default, e1 = default, e2 = default, e3 = default;
        TVec o0 = default, o1 = default, o2 = default, o3 = default;
        int p = 0;
        for (; p + 2 * W <= k; p += 2 * W)
        {
            TVec av = TOps.Load(a + p);
            e0 = TOps.MultiplyAdd(av, TOps.Load(b + p), e0);
            e1 = TOps.MultiplyAdd(av, TOps.Load(b1 + p), e1);
            e2 = TOps.MultiplyAdd(av, TOps.Load(b2 + p), e2);
            e3 = TOps.MultiplyAdd(av, TOps.Load(b3 + p), e3);
            av = TOps.Load(a + p + W);
            o0 = TOps.MultiplyAdd(av, TOps.Load(b + p + W), o0);
            o1 = TOps.MultiplyAdd(av, TOps.Load(b1 + p + W), o1);
            o2 = TOps.MultiplyAdd(av, TOps.Load(b2 + p + W), o2);
            o3 = TOps.MultiplyAdd(av, TOps.Load(b3 + p + W), o3);
        }
        if (p + W <= k)
        {
            TVec av = TOps.Load(a + p);
            e0 = TOps.MultiplyAdd(av, TOps.Load(b + p), e0);
            e1 = TOps.MultiplyAdd(av, TOps.Load(b1 + p), e1);
            e2 = TOps.MultiplyAdd(av, TOps.Load(b2 + p), e2);
            e3 = TOps.MultiplyAdd(av, TOps.Load(b3 + p), e3);
            p += W;
        }
        float s0 = TOps.Sum(TOps.Add(e0, o0)), s1 = TOps.Sum(TOps.Add(e1, o1)), s2 = TOps.Sum(TOps.Add(e2, o2)), s3 = TOps.Sum(TOps.Add(e3, o3));
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
    public static void Store(float* c, TVec lo, TVec hi, in GemmStore s)
    {
        TVec alpha = TOps.Create(s.Alpha);
        lo = TOps.Multiply(lo, alpha);
        hi = TOps.Multiply(hi, alpha);
        if (s.ReadC)
        {
            TVec beta = TOps.Create(s.Beta);
            lo = TOps.MultiplyAdd(TOps.Load(c), beta, lo);
            hi = TOps.MultiplyAdd(TOps.Load(c + W), beta, hi);
        }
        if (s.Bias != null)
        {
            lo = TOps.Add(lo, TOps.Load(s.Bias));
            hi = TOps.Add(hi, TOps.Load(s.Bias + W));
        }
        if (s.Relu)
        {
            // IEEE maximum: NaN stays NaN, −0 becomes +0.
            lo = TOps.Max(lo, default);
            hi = TOps.Max(hi, default);
        }
        TOps.Store(lo, c);
        TOps.Store(hi, c + W);
    }
}
