namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Packs a recurrent weight block for the per-step products of training, where the weights change after every
/// update: the same layout as <see cref="Gemm.PackB(MatrixOp, int, int, ReadOnlySpan{float}, int)"/>, written into
/// the block packed last time, so a forward pass packs each block once (rather than each step's GEMM packing it
/// again) and allocates nothing after the first.
/// </summary>
internal static unsafe class RecurrentPacking
{
    /// <summary>
    /// op(B) = Bᵀ for b [n × k] (row stride k), written into <paramref name="packed"/> when it has this shape and
    /// the kernels' width, else into a new block (the old one disposed).
    /// </summary>
    public static GemmPackedB Repack(GemmPackedB? packed, int k, int n, ReadOnlySpan<float> b)
    {
        if (packed is null || packed.Width != Isa.Width || packed.K != k || packed.N != n)
        {
            packed?.Dispose();
            return Gemm.PackB(MatrixOp.Transpose, k, n, b, k);
        }
        GemmArguments.Matrix(nameof(b), "k", b.Length, n, k, k);
        fixed (float* pb = b)
        {
            for (int pc = 0; pc < k; pc += packed.KC)
            {
                int kc = Math.Min(packed.KC, k - pc);
                GemmPacking.PackB(packed.NR, true, pb, k, pc, kc, 0, n, packed.Data + (long)pc * packed.PaddedColumns);
            }
        }
        return packed;
    }
}
