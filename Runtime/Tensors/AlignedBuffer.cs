using System.Runtime.InteropServices;

namespace Simd.Runtime.Tensors;

/// <summary>
/// One native block of floats aligned to 64 bytes (a cache line, and a whole Vector512), zeroed on allocation.
/// A model carves all its tensors out of a few of these, so the hot loop never touches the GC heap.
/// </summary>
public sealed unsafe class AlignedBuffer : IDisposable
{
    /// <summary>Alignment in bytes of the block and of every tensor planned inside it.</summary>
    public const int Alignment = 64;

    private float* _pointer;

    public AlignedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        nuint bytes = (nuint)Math.Max(length, 1) * sizeof(float);
        _pointer = (float*)NativeMemory.AlignedAlloc(bytes, Alignment);
        NativeMemory.Clear(_pointer, bytes);
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
            NativeMemory.AlignedFree(_pointer);
            _pointer = null;
        }
    }
}
