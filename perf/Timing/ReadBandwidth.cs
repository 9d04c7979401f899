using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Simd.Runtime.Intrinsics;

namespace Simd.Perf.Timing;

/// <summary>
/// How fast one core streams a buffer it reads again and again: eight vector sums over the whole buffer, nothing
/// else in the loop. A buffer that fits a cache level measures that level's bandwidth into the core. Batch-1
/// inference reads each weight once per call, so this, not the FMA peak, bounds its latency.
/// </summary>
public static unsafe class ReadBandwidth
{
    /// <summary>GB/s reading <paramref name="bytes"/> (rounded up to 512: 128 floats, a step at every width) over and over; the median of the runs.</summary>
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

    /// <summary>The kernels' width (<see cref="Isa.Width"/>), so the figure reads as fast as they can.</summary>
    private static float Sum(float* p, int floats) => Isa.Width switch
    {
        SimdWidth.V512 => Sum<Vector512<float>, Float512>(p, floats),
        SimdWidth.V256 => Sum<Vector256<float>, Float256>(p, floats),
        _ => Sum<Vector128<float>, Float128>(p, floats),
    };

    /// <summary>Eight accumulators: eight loads in flight per step, and 128 floats a step at any width.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Sum<TVec, TOps>(float* p, int floats)
        where TVec : struct
        where TOps : struct, IFloatVector<TVec>
    {
        int w = TOps.Count;
        TVec a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int i = 0; i < floats; i += 8 * w)
        {
            a0 = TOps.Add(a0, TOps.Load(p + i)); a1 = TOps.Add(a1, TOps.Load(p + i + w));
            a2 = TOps.Add(a2, TOps.Load(p + i + 2 * w)); a3 = TOps.Add(a3, TOps.Load(p + i + 3 * w));
            a4 = TOps.Add(a4, TOps.Load(p + i + 4 * w)); a5 = TOps.Add(a5, TOps.Load(p + i + 5 * w));
            a6 = TOps.Add(a6, TOps.Load(p + i + 6 * w)); a7 = TOps.Add(a7, TOps.Load(p + i + 7 * w));
        }
        return TOps.Sum(TOps.Add(TOps.Add(TOps.Add(a0, a1), TOps.Add(a2, a3)), TOps.Add(TOps.Add(a4, a5), TOps.Add(a6, a7))));
    }
}
