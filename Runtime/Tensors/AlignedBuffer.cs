using System.Runtime.InteropServices;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tensors;

/// <summary>
/// One native block of floats aligned to 64 bytes (a cache line, and a whole Vector512), zeroed on allocation.
/// A model carves all its tensors out of a few of these, so the hot loop never touches the GC heap. Large blocks
/// come from, and go back to, a cache of recently freed ones (NativeBlocks in Runtime.Intrinsics).
/// </summary>
public sealed unsafe class AlignedBuffer : IDisposable
{
    /// <summary>Alignment in bytes of the block and of every tensor planned inside it.</summary>
    public const int Alignment = 64;

    private float* _pointer;
    private readonly nuint _bytes;

    public AlignedBuffer(int length) : this(length, zeroed: true) { }

    /// <param name="zeroed">False only for a caller that writes every float before anything reads it.</param>
    internal AlignedBuffer(int length, bool zeroed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _bytes = (nuint)Math.Max(length, 1) * sizeof(float);
        _pointer = (float*)NativeBlocks.Allocate(_bytes);
        if (zeroed) NativeMemory.Clear(_pointer, _bytes);
    }

    ~AlignedBuffer() => Free();

    public int Length { get; }

    public Span<float> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_pointer == null, this);
            return new Span<float>(_pointer, Length);
        }
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_pointer != null)
        {
            NativeBlocks.Free(_pointer, _bytes);
            _pointer = null;
        }
    }
}
