using Simd.Runtime.Intrinsics;

namespace Simd.Perf.Timing;

/// <summary>
/// The FMA peak at the kernels' width, measured once per process and per thread count: the denominator of every
/// "% of peak" figure, so that the report, the benchmarks and the OpenBLAS comparison all divide by the same number.
/// </summary>
public static class MachinePeak
{
    private static readonly Dictionary<int, double> Measured = [];
    private static readonly Lock Gate = new();

    public static TimeSpan Budget { get; set; } = TimeSpan.FromSeconds(1.5);

    public static double Gflops(int threads)
    {
        lock (Gate)
        {
            if (!Measured.TryGetValue(threads, out double peak))
            {
                peak = FmaPeak.Measure(Isa.Width, threads, Budget);
                Measured[threads] = peak;
            }
            return peak;
        }
    }

    /// <summary>Percent of the <paramref name="threads"/>-thread peak.</summary>
    public static double Percent(double gflops, int threads) => 100.0 * gflops / Gflops(threads);
}
