using System.Runtime.InteropServices;

namespace Simd.Perf.Timing;

/// <summary>
/// A 64-byte-aligned native float buffer. Alignment keeps every run's vector loads on the same cache-line
/// boundaries, so timings do not drift with where the GC happened to put an array.
/// </summary>
public sealed unsafe class AlignedBuffer : IDisposable
{
    private float* _data;

    public AlignedBuffer(int length, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _data = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(length, 1) * sizeof(float), 64);
        Fill(seed);
    }

    public int Length { get; }

    public Span<float> Span => _data == null
        ? throw new ObjectDisposedException(nameof(AlignedBuffer))
        : new Span<float>(_data, Length);

    /// <summary>Deterministic values in [-1, 1): no denormals, no overflow, and results that are never all zero.</summary>
    public void Fill(int seed)
    {
        var rng = new Random(seed);
        var span = Span;
        for (int i = 0; i < span.Length; i++) span[i] = (float)(rng.NextDouble() * 2 - 1);
    }

    public void Dispose()
    {
        if (_data != null)
        {
            NativeMemory.AlignedFree(_data);
            _data = null;
        }
        GC.SuppressFinalize(this);
    }

    ~AlignedBuffer() => Dispose();
}
