using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Simd.Runtime.Inference;

namespace Simd.Perf.Inference;

/// <summary>
/// The machine's own latency tail beside a model's: batch-1 calls alternate with a loop that streams a buffer as
/// large as the model's weights for as long as a call's median, each timed on its own. Interleaving exposes both
/// to the same moments (the host's noise comes in bursts), so whatever the loop's p99 shows above its p50 is what
/// interrupts, preemption and neighbours evicting the shared cache add to any code that reads that much memory.
/// </summary>
public static class NoiseFloor
{
    public static (LatencySummary Model, LatencySummary Floor) MeasureBeside(InferenceModel model, int calls, int weightFloats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(calls);
        var input = InferenceMlp.Inputs(model.InputSize);
        var output = new float[model.OutputSize];
        var buffer = new float[Math.Max(1, weightFloats / Vector<float>.Count) * Vector<float>.Count];
        var random = new Random(1);
        for (int i = 0; i < buffer.Length; i++) buffer[i] = random.NextSingle();

        LatencyHarness.Warm(model, input, 1, output, TimeSpan.FromMilliseconds(300));
        double callMedian = Median(101, () => model.Predict(input, output));
        long probe = buffer.Length / Vector<float>.Count;
        double probeMedian = Median(101, () => Stream(buffer, probe));
        long vectors = Math.Max(1, (long)(probe * callMedian / probeMedian));

        var modelTimes = new double[calls];
        var floorTimes = new double[calls];
        double toMicroseconds = 1e6 / Stopwatch.Frequency;
        float sink = 0;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            model.Predict(input, output);
            long t1 = Stopwatch.GetTimestamp();
            sink += Stream(buffer, vectors);
            long t2 = Stopwatch.GetTimestamp();
            modelTimes[i] = (t1 - t0) * toMicroseconds;
            floorTimes[i] = (t2 - t1) * toMicroseconds;
        }
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        GC.KeepAlive(sink);
        return (LatencySummary.From(modelTimes, 1, 1, wall, allocated), LatencySummary.From(floorTimes, 1, 1, wall, 0));
    }

    private static double Median(int runs, Action action)
    {
        var times = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
        }
        Array.Sort(times);
        return times[runs / 2];
    }

    /// <summary>Sums <paramref name="vectors"/> vectors of the buffer from its start, wrapping around.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Stream(float[] buffer, long vectors)
    {
        ReadOnlySpan<Vector<float>> all = MemoryMarshal.Cast<float, Vector<float>>(buffer);
        Vector<float> sum = default;
        int next = 0;
        for (long v = 0; v < vectors; v++)
        {
            sum += all[next];
            if (++next == all.Length) next = 0;
        }
        return Vector.Sum(sum);
    }
}
