using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Perf.Timing;

/// <summary>
/// How fast one core streams a buffer it reads again and again: eight vector sums over the whole buffer, nothing
/// else in the loop. A buffer that fits a cache level measures that level's bandwidth into the core. Batch-1
/// inference reads each weight once per call, so this, not the FMA peak, bounds its latency.
/// </summary>
public static unsafe class ReadBandwidth
{
    /// <summary>GB/s reading <paramref name="bytes"/> (rounded up to 512) over and over; the median of the runs.</summary>
    public static double Measure(int bytes, TimeSpan budget)
    {
        int floats = (bytes + 511) / 512 * 128;
        using var buffer = new AlignedBuffer(floats, seed: 3);
        float sink = 0;
        var m = Timing.Measure.Run(() =>
        {
            fixed (float* p = buffer.Span) sink += Sum(p, floats);
        }, budget, minRepetitions: 5);
        GC.KeepAlive(sink);
        return floats * 4.0 / m.MedianSeconds / 1e9;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Sum(float* p, int floats)
    {
        // The widest vector the hardware runs: 128 floats (eight vectors of 512 bits, sixteen of 256) per step.
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (int i = 0; i < floats; i += 128)
            {
                a0 += Vector512.Load(p + i); a1 += Vector512.Load(p + i + 16);
                a2 += Vector512.Load(p + i + 32); a3 += Vector512.Load(p + i + 48);
                a4 += Vector512.Load(p + i + 64); a5 += Vector512.Load(p + i + 80);
                a6 += Vector512.Load(p + i + 96); a7 += Vector512.Load(p + i + 112);
            }
            return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
        }
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default, b6 = default, b7 = default;
        for (int i = 0; i < floats; i += 64)
        {
            b0 += Vector256.Load(p + i); b1 += Vector256.Load(p + i + 8);
            b2 += Vector256.Load(p + i + 16); b3 += Vector256.Load(p + i + 24);
            b4 += Vector256.Load(p + i + 32); b5 += Vector256.Load(p + i + 40);
            b6 += Vector256.Load(p + i + 48); b7 += Vector256.Load(p + i + 56);
        }
        return Vector256.Sum(b0 + b1 + b2 + b3 + b4 + b5 + b6 + b7);
    }
}
