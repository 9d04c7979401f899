namespace Simd.Perf.Timing;

/// <summary>Seconds per call over a set of timed repetitions.</summary>
public readonly record struct Measurement(double MedianSeconds, double BestSeconds, int Repetitions, double AllocatedBytesPerCall)
{
    /// <summary>Giga floating-point operations per second at the median time.</summary>
    public double Gflops(double flopsPerCall) => flopsPerCall / MedianSeconds / 1e9;

    public double BestGflops(double flopsPerCall) => flopsPerCall / BestSeconds / 1e9;
}
