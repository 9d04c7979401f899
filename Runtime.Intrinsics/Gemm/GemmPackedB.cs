namespace Simd.Runtime.Intrinsics;

/// <summary>
/// op(B) (K×N) packed once into the panel layout of one width's kernels, for weights reused across many calls
/// (<see cref="Gemm.Multiply(int, float, ReadOnlySpan{float}, int, GemmPackedB, float, Span{float}, int, GemmEpilogue, int)"/>).
/// Layout: K blocks of KC rows; within a block, ⌈N/NR⌉ panels of kc×NR, k-major, zero-padded past N. Batch-1
/// inference streams each panel contiguously. Native, 64-byte aligned memory: dispose it when done.
/// </summary>
public sealed unsafe class GemmPackedB : IDisposable
{
    readonly NativeFloats _data;

    internal GemmPackedB(SimdWidth width, int k, int n, int nr, int kc)
    {
        Width = width;
        K = k;
        N = n;
        NR = nr;
        KC = kc;
        PaddedColumns = (n + nr - 1) / nr * nr;
        _data = new NativeFloats((long)k * PaddedColumns);
    }

    /// <summary>The width whose kernels this layout feeds.</summary>
    public SimdWidth Width { get; }

    /// <summary>Rows of op(B): the inner dimension of the product.</summary>
    public int K { get; }

    /// <summary>Columns of op(B) and of C.</summary>
    public int N { get; }

    internal int NR { get; }
    internal int KC { get; }
    internal int PaddedColumns { get; }

    internal float* Data => _data.Of(this);

    public void Dispose() => _data.Dispose();
}
