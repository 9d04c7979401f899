using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Simd.Perf.Inference;

/// <summary>
/// The machine's own latency tail: a loop that touches no memory, sized to take as long as a given call, timed
/// call by call exactly as <see cref="LatencyHarness"/> times the model. Whatever its p99 shows above its p50 is
/// interrupts, preemption and the hypervisor, which no code run here escapes; a model call's tail reads against it.
/// </summary>
public static class NoiseFloor
{
    public static LatencySummary Measure(double microseconds, int calls)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(calls);
        int iterations = Calibrate(microseconds);
        var timings = new double[calls];
        double toMicroseconds = 1e6 / Stopwatch.Frequency, sink = 0;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            sink += Spin(iterations);
            timings[i] = (Stopwatch.GetTimestamp() - t0) * toMicroseconds;
        }
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        GC.KeepAlive(sink);
        return LatencySummary.From(timings, threads: 1, batch: 1, wall, allocatedBytes: 0);
    }

    /// <summary>Iterations of <see cref="Spin"/> whose median time is <paramref name="microseconds"/>.</summary>
    private static int Calibrate(double microseconds)
    {
        const int probe = 100_000;
        var times = new double[31];
        for (int i = 0; i < times.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Spin(probe);
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }
        Array.Sort(times);
        return Math.Max(1, (int)(probe * microseconds / times[times.Length / 2]));
    }

    /// <summary>A dependent chain of multiply-adds in registers: constant work per iteration, no memory traffic.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Spin(int iterations)
    {
        double a = 1, b = 1.0000001;
        for (int i = 0; i < iterations; i++) a = a * b + 1e-9;
        return a;
    }
}
