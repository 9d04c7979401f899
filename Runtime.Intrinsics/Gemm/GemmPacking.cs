using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Copies blocks of op(A) and op(B) into the panel layout the micro-kernels stream: an A panel holds MR rows
/// k-major (a[p·MR + r]); a B panel holds NR columns k-major (b[p·NR + j]). Rows and columns beyond the matrix edge
/// are zero, so every kernel call runs a full tile. Width independent: only MR and NR differ.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into ⌈mc/MR⌉ panels of MR×kc.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(int mr, bool transposed, float* a, int lda, int i0, int mc, int p0, int kc, float* dst)
    {
        for (int ir = 0; ir < mc; ir += mr, dst += mr * kc)
        {
            int rows = Math.Min(mr, mc - ir);
            if (transposed)
            {
                // op(A)[i, p] = a[p·lda + i]: each k step is a contiguous run of the panel's rows.
                float* src = a + (long)p0 * lda + i0 + ir;
                if (rows == mr)
                {
                    // Whole panels as vector copies: the element-wise loop took 7 of a 56 µs 784×32·32×256 product.
                    for (int p = 0; p < kc; p++, src += lda) CopyFloats(dst + p * mr, src, mr);
                    continue;
                }
                for (int p = 0; p < kc; p++, src += lda)
                {
                    float* d = dst + p * mr;
                    int r = 0;
                    for (; r < rows; r++) d[r] = src[r];
                    for (; r < mr; r++) d[r] = 0;
                }
            }
            else
            {
                // Rows of A are contiguous along k like rows of Bᵀ: four at a time through the same transposes.
                int r = 0;
                if (Sse.IsSupported)
                {
                    for (; r + 4 <= rows; r += 4)
                        PackTransposed4(a + (long)(i0 + ir + r) * lda + p0, lda, kc, dst + r, mr);
                }
                for (; r < rows; r++)
                {
                    float* src = a + (long)(i0 + ir + r) * lda + p0;
                    float* d = dst + r;
                    for (int p = 0; p < kc; p++) d[p * mr] = src[p];
                }
                for (; r < mr; r++)
                {
                    for (int p = 0; p < kc; p++) dst[p * mr + r] = 0;
                }
            }
        }
    }

    /// <summary>Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into ⌈nc/NR⌉ panels of kc×NR.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(int nr, bool transposed, float* b, int ldb, int p0, int kc, int j0, int nc, float* dst)
    {
        for (int jr = 0; jr < nc; jr += nr, dst += nr * kc)
        {
            int cols = Math.Min(nr, nc - jr);
            if (transposed)
            {
                // op(B)[p, j] = b[j·ldb + p]: each column of the panel is a contiguous run of B's row j.
                int j = 0;
                if (Sse.IsSupported)
                {
                    for (; j + 4 <= cols; j += 4)
                        PackTransposed4(b + (long)(j0 + jr + j) * ldb + p0, ldb, kc, dst + j, nr);
                }
                for (; j < cols; j++)
                {
                    float* src = b + (long)(j0 + jr + j) * ldb + p0;
                    float* d = dst + j;
                    for (int p = 0; p < kc; p++) d[p * nr] = src[p];
                }
                for (; j < nr; j++)
                {
                    for (int p = 0; p < kc; p++) dst[p * nr + j] = 0;
                }
            }
            else
            {
                float* src = b + (long)p0 * ldb + j0 + jr;
                if (cols == nr)
                {
                    for (int p = 0; p < kc; p++, src += ldb) CopyFloats(dst + p * nr, src, nr);
                }
                else
                {
                    for (int p = 0; p < kc; p++, src += ldb)
                    {
                        float* d = dst + p * nr;
                        int j = 0;
                        for (; j < cols; j++) d[j] = src[j];
                        for (; j < nr; j++) d[j] = 0;
                    }
                }
            }
        }
    }

    /// <summary>
    /// dst[i·ldd + j] = src[j·lds + i] for j &lt; rows, i &lt; cols (both multiples of four): the transposed product's
    /// strip of Cᵀ into rows of C, through 8×8 register transposes where AVX exists (24 shuffles per 64 floats
    /// against 32 for four 4×4 blocks), 4×4 ones for the rest where SSE does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(float* src, int lds, float* dst, int ldd, int rows, int cols)
    {
        nint ls = lds, ld = ldd;
        int j = 0;
        if (Avx.IsSupported)
        {
            for (; j + 8 <= rows; j += 8)
            {
                float* s = src + j * ls;
                int i = 0;
                for (; i + 8 <= cols; i += 8) Transpose8(s + i, ls, dst + i * ld + j, ld);
                for (; i < cols; i += 4)
                {
                    Transpose4(s + i, ls, dst + i * ld + j, ld);
                    Transpose4(s + 4 * ls + i, ls, dst + i * ld + j + 4, ld);
                }
            }
        }
        for (; j < rows; j += 4)
        {
            float* s = src + j * ls;
            if (Sse.IsSupported)
            {
                for (int i = 0; i < cols; i += 4) Transpose4(s + i, ls, dst + i * ld + j, ld);
                continue;
            }
            for (int q = 0; q < 4; q++, s += ls)
            {
                for (int i = 0; i < cols; i++) dst[i * ld + j + q] = s[i];
            }
        }
    }

    /// <summary>The 4×4 block at src (rows ls apart) into dst (rows ld apart), transposed (<see cref="Intrinsics.Transpose.Block4"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Transpose4(float* src, nint ls, float* dst, nint ld) => Intrinsics.Transpose.Block4(ref *src, (nuint)ls, ref *dst, (nuint)ld);

    /// <summary>The 8×8 block at src (rows ls apart) into dst (rows ld apart), transposed (<see cref="Intrinsics.Transpose.Block8"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Transpose8(float* src, nint ls, float* dst, nint ld) => Intrinsics.Transpose.Block8(ref *src, (nuint)ls, ref *dst, (nuint)ld);

    /// <summary>
    /// A panel row's few floats (MR or NR: 4 to 32) in whole vectors: a block copy of a length the JIT does not know
    /// is a call to memmove per row, which cost more than the copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void CopyFloats(float* dst, float* src, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= count; i += 8) Vector256.Store(Vector256.Load(src + i), dst + i);
        }
        for (; i + 4 <= count; i += 4) Vector128.Store(Vector128.Load(src + i), dst + i);
        for (; i < count; i++) dst[i] = src[i];
    }

    /// <summary>
    /// Four rows contiguous along k (of Bᵀ, or of A) into four adjacent panel columns, four k at a time through a
    /// 4×4 register transpose: whole-vector loads and stores where the element-wise copy stores one float per
    /// cache line of the panel (packing A element-wise took a tenth of a 256×784×256 product). x64 only;
    /// elsewhere the element-wise copy runs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void PackTransposed4(float* src, int ldb, int kc, float* dst, int nr)
    {
        float* s1 = src + ldb, s2 = s1 + ldb, s3 = s2 + ldb;
        nint step = nr;
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            Vector128<float> r0 = Sse.LoadVector128(src + p), r1 = Sse.LoadVector128(s1 + p);
            Vector128<float> r2 = Sse.LoadVector128(s2 + p), r3 = Sse.LoadVector128(s3 + p);
            Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackLow(r2, r3);
            Vector128<float> t2 = Sse.UnpackHigh(r0, r1), t3 = Sse.UnpackHigh(r2, r3);
            float* d = dst + p * step;
            Sse.Store(d, Sse.MoveLowToHigh(t0, t1));
            Sse.Store(d + step, Sse.MoveHighToLow(t1, t0));
            Sse.Store(d + 2 * step, Sse.MoveLowToHigh(t2, t3));
            Sse.Store(d + 3 * step, Sse.MoveHighToLow(t3, t2));
        }
        for (; p < kc; p++)
        {
            float* d = dst + p * step;
            d[0] = src[p];
            d[1] = s1[p];
            d[2] = s2[p];
            d[3] = s3[p];
        }
    }
}
