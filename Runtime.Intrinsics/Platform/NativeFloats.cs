namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Floats in native, 64-byte aligned memory that the GC neither moves nor scans: the packed weights blocks
/// (<see cref="GemmPackedB"/>, <see cref="GatePackedWeights"/>) keep theirs in one. Freed by
/// <see cref="Dispose"/>, or by the finalizer when the owner was dropped undisposed.
/// </summary>
internal sealed unsafe class NativeFloats : IDisposable
{
    float* _data;
    readonly nuint _bytes;

    /// <summary>At least one float, so an empty block still has an address.</summary>
    public NativeFloats(long floats)
    {
        _bytes = (nuint)(Math.Max(1L, floats) * sizeof(float));
        _data = (float*)NativeBlocks.Allocate(_bytes);
    }

    /// <summary>The memory; <paramref name="owner"/> is named when it was disposed.</summary>
    public float* Of(object owner)
    {
        ObjectDisposedException.ThrowIf(_data == null, owner);
        return _data;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~NativeFloats() => Free();

    void Free()
    {
        float* data = _data;
        _data = null;
        if (data != null) NativeBlocks.Free(data, _bytes);
    }
}
