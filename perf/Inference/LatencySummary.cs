namespace Simd.Perf.Inference;

/// <summary>Latency distribution of individually timed calls, in microseconds.</summary>
public sealed record LatencySummary(
    int Threads, int Batch, int Calls,
    double P50, double P90, double P99, double P999, double Max, double Mean,
    double SamplesPerSecond, double AllocatedBytesPerCall)
{
    /// <summary>Nearest-rank percentiles of per-call latencies (microseconds, sorted in place).</summary>
    public static LatencySummary From(double[] latencies, int threads, int batch, double wallSeconds, double allocatedBytes)
    {
        Array.Sort(latencies);
        double Rank(double p) => latencies[Math.Clamp((int)Math.Ceiling(p * latencies.Length) - 1, 0, latencies.Length - 1)];
        return new LatencySummary(threads, batch, latencies.Length,
            Rank(0.50), Rank(0.90), Rank(0.99), Rank(0.999), latencies[^1], latencies.Average(),
            (double)latencies.Length * batch / wallSeconds, allocatedBytes / latencies.Length);
    }

    public static string Header =>
        $"{"threads",7} {"batch",5} {"calls",8} {"p50 us",9} {"p90 us",9} {"p99 us",9} {"p99.9 us",9} {"max us",9} {"samples/s",11} {"B/call",6}";

    public override string ToString() =>
        $"{Threads,7} {Batch,5} {Calls,8} {P50,9:0.0} {P90,9:0.0} {P99,9:0.0} {P999,9:0.0} {Max,9:0.0} {SamplesPerSecond,11:0} {AllocatedBytesPerCall,6:0}";
}
