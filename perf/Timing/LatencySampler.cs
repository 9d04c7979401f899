using System.Diagnostics;

namespace Simd.Perf.Timing;

/// <summary>
/// Times calls one by one for latency percentiles. The sample array is allocated up front, so the timed loop
/// allocates nothing and the allocation count around it is the callee's alone.
/// </summary>
public sealed class LatencySampler
{
    private readonly double[] _microseconds;

    public LatencySampler(int calls)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(calls, 1);
        _microseconds = new double[calls];
    }

    public int Calls => _microseconds.Length;

    /// <summary>Bytes allocated per call by the current thread during the last <see cref="Run"/>.</summary>
    public double AllocatedBytesPerCall { get; private set; }

    /// <summary>Warms up (see <see cref="Measure.Warm"/>), then times <see cref="Calls"/> calls individually.</summary>
    public LatencySampler Run(Action call, TimeSpan? warmup = null)
    {
        Measure.Warm(call, warmup ?? Measure.DefaultWarmup);
        double tickMicroseconds = 1e6 / Stopwatch.Frequency;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < _microseconds.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            call();
            _microseconds[i] = (Stopwatch.GetTimestamp() - start) * tickMicroseconds;
        }
        AllocatedBytesPerCall = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)_microseconds.Length;
        Array.Sort(_microseconds);
        return this;
    }

    /// <summary>Nearest-rank percentile in microseconds (q in 0..100; 100 is the maximum) of the last run.</summary>
    public double Percentile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 100);
        int rank = (int)Math.Ceiling(q / 100 * _microseconds.Length);
        return _microseconds[Math.Clamp(rank, 1, _microseconds.Length) - 1];
    }
}
