using System.Diagnostics;
using Simd.Perf.Timing;
using Simd.Runtime.Inference;

namespace Simd.Perf.Inference;

/// <summary>
/// Times every call of <see cref="InferenceModel.Predict(ReadOnlySpan{float}, int, Span{float})"/> on its own, on one
/// thread or on several calling the same model at once (concurrent load), and reports the tail: p50, p90, p99,
/// p99.9 and max. Each thread owns its buffers and a preallocated array of timings, so the harness itself neither
/// allocates nor synchronises while timing. Allocation is counted on the calling threads (GEMM's own worker threads,
/// used with intra-op threads, are not).
/// </summary>
public static class LatencyHarness
{
    public static LatencySummary Measure(InferenceModel model, int batch, int callsPerThread, int threads = 1, TimeSpan? warmup = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(callsPerThread);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        var warm = warmup ?? TimeSpan.FromMilliseconds(300);
        var timings = new double[threads][];
        var allocated = new long[threads];
        using var ready = new Barrier(threads + 1);
        using var done = new Barrier(threads + 1);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int id = t;
            timings[id] = new double[callsPerThread];
            workers[id] = new Thread(() => allocated[id] = Worker(model, batch, warm, timings[id], id, ready, done))
            {
                IsBackground = true,
                Name = $"latency-{id}",
            };
            workers[id].Start();
        }
        ready.SignalAndWait();
        long start = Stopwatch.GetTimestamp();
        done.SignalAndWait();
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        foreach (var w in workers) w.Join();
        return LatencySummary.From(timings.SelectMany(x => x).ToArray(), threads, batch, wall, allocated.Sum());
    }

    /// <summary>Warms up, times its calls and returns the bytes this calling thread allocated while timed.</summary>
    private static long Worker(InferenceModel model, int batch, TimeSpan warmup, double[] timings, int id, Barrier ready, Barrier done)
    {
        var input = InferenceMlp.Inputs(batch * model.InputSize, seed: 100 + id);
        var output = new float[batch * model.OutputSize];
        Warm(model, input, batch, output, warmup);
        double toMicroseconds = 1e6 / Stopwatch.Frequency;
        ready.SignalAndWait();
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < timings.Length; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            model.Predict(input, batch, output);
            timings[i] = (Stopwatch.GetTimestamp() - t0) * toMicroseconds;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        done.SignalAndWait();
        return allocated;
    }

    /// <summary>
    /// Calls the model for <paramref name="warmup"/>, at least 100 times and until the JIT has finished tiering up
    /// (<see cref="TierUp"/>), so timing starts on optimised code with its scratch pooled and its weights in cache.
    /// </summary>
    public static void Warm(InferenceModel model, ReadOnlySpan<float> input, int batch, Span<float> output, TimeSpan warmup)
    {
        long warmEnd = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var tiers = new TierUp();
        for (int calls = 0; Stopwatch.GetTimestamp() < warmEnd || calls < 100 || tiers.Compiling(); calls++) model.Predict(input, batch, output);
    }
}
