using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The 8×32 register tile of Cᵀ (row r, a pair of vectors over 32 rows of C, is column r of C) written to C itself:
/// 32 rows of eight floats, each through the operations of <see cref="GemmVectorKernels{TOps, TVec}.Store"/> in
/// its order (alpha, beta·C, bias, ReLU), lane by lane, so the bits are the blocked path's. The transposed product's
/// tiles end here instead of in a strip of Cᵀ that a second pass transposes and stores (0.7 µs of a 9 µs
/// 32×128·(256×128)ᵀ product; Zen 5). The transposes are AVX-512 shuffles; Vector512 in software spills the tile.
/// </summary>
internal static unsafe class GemmTransposedStore
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* c, int ldc, in GemmStore store,
        Vector512<float> c00, Vector512<float> c01, Vector512<float> c10, Vector512<float> c11,
        Vector512<float> c20, Vector512<float> c21, Vector512<float> c30, Vector512<float> c31,
        Vector512<float> c40, Vector512<float> c41, Vector512<float> c50, Vector512<float> c51,
        Vector512<float> c60, Vector512<float> c61, Vector512<float> c70, Vector512<float> c71)
    {
        // A copy the stores to C cannot alias, so its fields stay in registers across them.
        GemmStore s = store;
        Vector512<float> alpha = Vector512.Create(s.Alpha);
        c00 = Float512.Multiply(c00, alpha); c01 = Float512.Multiply(c01, alpha);
        c10 = Float512.Multiply(c10, alpha); c11 = Float512.Multiply(c11, alpha);
        c20 = Float512.Multiply(c20, alpha); c21 = Float512.Multiply(c21, alpha);
        c30 = Float512.Multiply(c30, alpha); c31 = Float512.Multiply(c31, alpha);
        c40 = Float512.Multiply(c40, alpha); c41 = Float512.Multiply(c41, alpha);
        c50 = Float512.Multiply(c50, alpha); c51 = Float512.Multiply(c51, alpha);
        c60 = Float512.Multiply(c60, alpha); c61 = Float512.Multiply(c61, alpha);
        c70 = Float512.Multiply(c70, alpha); c71 = Float512.Multiply(c71, alpha);
        nint step = ldc;
        if (Avx512F.IsSupported)
        {
            Half(c, step, s, c00, c10, c20, c30, c40, c50, c60, c70);
            Half(c + 16 * step, step, s, c01, c11, c21, c31, c41, c51, c61, c71);
            return;
        }
        Vector512<float>* t = stackalloc Vector512<float>[16];
        t[0] = c00; t[1] = c01; t[2] = c10; t[3] = c11; t[4] = c20; t[5] = c21; t[6] = c30; t[7] = c31;
        t[8] = c40; t[9] = c41; t[10] = c50; t[11] = c51; t[12] = c60; t[13] = c61; t[14] = c70; t[15] = c71;
        Spilled((float*)t, c, step, s);
    }

    /// <summary>Rows 0..15 of C (or 16..31) from x0..x7, columns 0..7 of C over those rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Half(float* c, nint ldc, in GemmStore s, Vector512<float> x0, Vector512<float> x1, Vector512<float> x2,
        Vector512<float> x3, Vector512<float> x4, Vector512<float> x5, Vector512<float> x6, Vector512<float> x7)
    {
        Vector512<float> t0 = Avx512F.UnpackLow(x0, x1), t1 = Avx512F.UnpackHigh(x0, x1);
        Vector512<float> t2 = Avx512F.UnpackLow(x2, x3), t3 = Avx512F.UnpackHigh(x2, x3);
        Vector512<float> t4 = Avx512F.UnpackLow(x4, x5), t5 = Avx512F.UnpackHigh(x4, x5);
        Vector512<float> t6 = Avx512F.UnpackLow(x6, x7), t7 = Avx512F.UnpackHigh(x6, x7);
        // In each 128-bit lane L, u(q) holds row 4L+q of C: columns 0..3 (q < 4) or 4..7 (u(q+4)).
        Vector512<float> u0 = Avx512F.Shuffle(t0, t2, 0x44), u1 = Avx512F.Shuffle(t0, t2, 0xEE);
        Vector512<float> u2 = Avx512F.Shuffle(t1, t3, 0x44), u3 = Avx512F.Shuffle(t1, t3, 0xEE);
        Vector512<float> u4 = Avx512F.Shuffle(t4, t6, 0x44), u5 = Avx512F.Shuffle(t4, t6, 0xEE);
        Vector512<float> u6 = Avx512F.Shuffle(t5, t7, 0x44), u7 = Avx512F.Shuffle(t5, t7, 0xEE);
        // Lanes 0 and 1 (rows q and 4+q), or 2 and 3 (rows 8+q and 12+q), of u(q) beside those of u(q+4).
        Vector512<int> low = Vector512.Create(0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
        Vector512<int> high = Vector512.Create(8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
        Pair(c, c + 4 * ldc, Avx512F.PermuteVar16x32x2(u0, low, u4), s);
        Pair(c + 8 * ldc, c + 12 * ldc, Avx512F.PermuteVar16x32x2(u0, high, u4), s);
        Pair(c + ldc, c + 5 * ldc, Avx512F.PermuteVar16x32x2(u1, low, u5), s);
        Pair(c + 9 * ldc, c + 13 * ldc, Avx512F.PermuteVar16x32x2(u1, high, u5), s);
        Pair(c + 2 * ldc, c + 6 * ldc, Avx512F.PermuteVar16x32x2(u2, low, u6), s);
        Pair(c + 10 * ldc, c + 14 * ldc, Avx512F.PermuteVar16x32x2(u2, high, u6), s);
        Pair(c + 3 * ldc, c + 7 * ldc, Avx512F.PermuteVar16x32x2(u3, low, u7), s);
        Pair(c + 11 * ldc, c + 15 * ldc, Avx512F.PermuteVar16x32x2(u3, high, u7), s);
    }

    /// <summary>
    /// Without AVX-512: the tile (alpha applied; row r at t[32·r]) from memory, two rows of C at a time. Internal so
    /// that machines with AVX-512 test it beside the shuffles.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Spilled(float* t, float* c, nint ldc, in GemmStore s)
    {
        float* rows = stackalloc float[16];
        for (int i = 0; i < 32; i += 2)
        {
            for (int r = 0; r < 8; r++)
            {
                rows[r] = t[r * 32 + i];
                rows[8 + r] = t[r * 32 + i + 1];
            }
            Pair(c + i * ldc, c + (i + 1) * ldc, Vector512.Load(rows), s);
        }
    }

    /// <summary>Two rows of C, eight floats each (lo, then hi), from alpha·acc: beta·C, bias and ReLU as Store adds them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Pair(float* lo, float* hi, Vector512<float> v, in GemmStore s)
    {
        if (s.ReadC) v = Float512.MultiplyAdd(Vector512.Create(Vector256.Load(lo), Vector256.Load(hi)), Vector512.Create(s.Beta), v);
        if (s.Bias != null)
        {
            Vector256<float> bias = Vector256.Load(s.Bias);
            v = Float512.Add(v, Vector512.Create(bias, bias));
        }
        if (s.Relu) v = Float512.Max(v, default);
        v.GetLower().Store(lo);
        v.GetUpper().Store(hi);
    }
}
