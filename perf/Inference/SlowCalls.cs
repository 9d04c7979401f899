using System.Diagnostics;
using Simd.Runtime.Inference;

namespace Simd.Perf.Inference;

/// <summary>
/// Where a batch-1 tail comes from: times back-to-back calls with their start times, takes the calls slower than
/// three times the median, and counts how many of the gaps between consecutive slow calls are whole milliseconds
/// (within 20 µs). A periodic tick in the guest or host (a vCPU stalled once per millisecond) shows up there, and
/// touches a fixed share of calls whatever the code does.
/// </summary>
public static class SlowCalls
{
    public sealed record Report(int Calls, double MedianMicroseconds, int Slow, double SlowMeanMicroseconds, int WholeMillisecondGaps)
    {
        public override string ToString() =>
            $"slow calls (> 3× p50 {MedianMicroseconds:0.0} us): {Slow} of {Calls} ({100.0 * Slow / Calls:0.00}%), {SlowMeanMicroseconds:0} us on average; " +
            $"{WholeMillisecondGaps} of the {Math.Max(0, Slow - 1)} gaps between them are whole milliseconds (±20 us)";
    }

    public static Report Measure(InferenceModel model, int calls)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(calls);
        var input = InferenceMlp.Inputs(model.InputSize);
        var output = new float[model.OutputSize];
        LatencyHarness.Warm(model, input, 1, output, TimeSpan.FromMilliseconds(300));

        var starts = new long[calls];
        var times = new double[calls];
        double toMicroseconds = 1e6 / Stopwatch.Frequency;
        for (int i = 0; i < calls; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            model.Predict(input, output);
            times[i] = (Stopwatch.GetTimestamp() - t0) * toMicroseconds;
            starts[i] = t0;
        }
        var sorted = (double[])times.Clone();
        Array.Sort(sorted);
        double median = sorted[calls / 2];

        int slow = 0, wholeMs = 0;
        double slowSum = 0;
        long previous = -1;
        for (int i = 0; i < calls; i++)
        {
            if (times[i] <= 3 * median) continue;
            slow++;
            slowSum += times[i];
            if (previous >= 0)
            {
                double gapMs = (starts[i] - previous) * toMicroseconds / 1000;
                if (gapMs >= 0.5 && Math.Abs(gapMs - Math.Round(gapMs)) <= 0.02) wholeMs++;
            }
            previous = starts[i];
        }
        return new Report(calls, median, slow, slow == 0 ? 0 : slowSum / slow, wholeMs);
    }
}
