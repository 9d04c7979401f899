using System.Runtime.InteropServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// op(B) (K×N) packed once into the panel layout of one width's kernels, for weights reused across many calls
/// (<see cref="Gemm.Multiply(int, float, ReadOnlySpan{float}, int, GemmPackedB, float, Span{float}, int, GemmEpilogue, int)"/>).
/// Layout: K blocks of KC rows; within a block, ⌈N/NR⌉ panels of kc×NR, k-major, zero-padded past N. Batch-1
/// inference streams each panel contiguously. Native, 64-byte aligned memory: dispose it when done.
/// </summary>
public sealed unsafe class GemmPackedB : IDisposable
{
    float* _data;

    internal GemmPackedB(SimdWidth width, int k, int n, int nr, int kc)
    {
        Width = width;
        K = k;
        N = n;
        NR = nr;
        KC = kc;
        PaddedColumns = (n + nr - 1) / nr * nr;
        long floats = Math.Max(1L, (long)k * PaddedColumns);
        _data = (float*)NativeMemory.AlignedAlloc((nuint)(floats * sizeof(float)), 64);
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

    internal float* Data
    {
        get
        {
            ObjectDisposedException.ThrowIf(_data == null, this);
            return _data;
        }
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~GemmPackedB() => Free();

    void Free()
    {
        float* data = _data;
        _data = null;
        if (data != null) NativeMemory.AlignedFree(data);
    }
}
