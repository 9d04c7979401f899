using System.Diagnostics;

namespace Simd.Perf.Timing;

/// <summary>
/// Times a call the way the report needs it: warm up until the JIT has promoted the code to its optimised tier,
/// then time repetitions until a time budget is spent and take the median. The median rather than the mean,
/// because this box is shared and a neighbour's burst shows up as a few slow outliers.
/// </summary>
public static class Measure
{
    /// <summary>
    /// Warm-up length. Tier-0 methods are promoted after 30 calls and a 100 ms quiet period in which the
    /// background compiler runs; 0.25 s of calls, and at least 40 of them when they are fast, covers both.
    /// </summary>
    public static readonly TimeSpan DefaultWarmup = TimeSpan.FromMilliseconds(250);

    /// <param name="call">The operation; it must not allocate, so that the allocation figure shows the callee's.</param>
    /// <param name="budget">Time to spend on the timed repetitions (the warm-up comes on top).</param>
    /// <param name="minRepetitions">Repetitions taken even when they overrun the budget.</param>
    /// <param name="allCalls">Count allocations on every thread (for multi-threaded calls).</param>
    /// <param name="deadline">A <see cref="Stopwatch.GetTimestamp"/> after which no new repetition starts (one
    /// timed repetition is always taken), so that a caller with a hard time limit is never overrun by much.</param>
    public static Measurement Run(Action call, TimeSpan budget, TimeSpan? warmup = null, int minRepetitions = 3,
        int maxRepetitions = 1000, bool allCalls = false, long deadline = long.MaxValue)
    {
        Warm(call, warmup ?? DefaultWarmup, deadline);

        // Time in batches so that calls shorter than the timer's resolution still give honest figures.
        double single = TimeOnce(call);
        int batch = single >= 1e-3 ? 1 : (int)Math.Clamp(1e-3 / Math.Max(single, 1e-9), 1, 1_000_000);
        int planned = (int)Math.Clamp(budget.TotalSeconds / (single * batch), minRepetitions, maxRepetitions);

        var samples = new double[planned];
        int taken = 0;
        long before = allCalls ? GC.GetTotalAllocatedBytes(precise: true) : GC.GetAllocatedBytesForCurrentThread();
        while (taken < planned && (taken == 0 || Stopwatch.GetTimestamp() < deadline))
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < batch; i++) call();
            samples[taken++] = Stopwatch.GetElapsedTime(start).TotalSeconds / batch;
        }
        long after = allCalls ? GC.GetTotalAllocatedBytes(precise: true) : GC.GetAllocatedBytesForCurrentThread();

        Array.Sort(samples, 0, taken);
        double median = taken % 2 == 1 ? samples[taken / 2] : 0.5 * (samples[taken / 2 - 1] + samples[taken / 2]);
        return new Measurement(median, samples[0], taken, (after - before) / ((double)taken * batch));
    }

    /// <summary>
    /// The fastest of <paramref name="runs"/> runs by their medians (allocation: the largest any run saw). On a
    /// shared host a neighbour slows whole stretches of a second; the best run is the one that missed them, so two
    /// reports agree within a few percent where single medians moved by up to 40%.
    /// </summary>
    public static Measurement Best(int runs, Func<Measurement> run)
    {
        Measurement best = run();
        double allocated = best.AllocatedBytesPerCall;
        for (int i = 1; i < runs; i++)
        {
            var m = run();
            allocated = Math.Max(allocated, m.AllocatedBytesPerCall);
            if (m.MedianSeconds < best.MedianSeconds) best = m;
        }
        return best with { AllocatedBytesPerCall = allocated };
    }

    /// <summary>The largest of <paramref name="runs"/> values (a rate: GB/s, samples/s).</summary>
    public static double Best(int runs, Func<double> rate)
    {
        double best = double.MinValue;
        for (int i = 0; i < runs; i++) best = Math.Max(best, rate());
        return best;
    }

    /// <summary>How many runs the report's rate figures take the best of.</summary>
    public const int Runs = 3;

    /// <summary>
    /// Calls until the warm-up time has passed, at least 40 calls were made (or one slow call ran) and the JIT has
    /// finished tiering up (<see cref="TierUp"/>).
    /// </summary>
    public static void Warm(Action call, TimeSpan warmup, long deadline = long.MaxValue)
    {
        long start = Stopwatch.GetTimestamp();
        var tiers = new TierUp();
        int calls = 0;
        do
        {
            call();
            calls++;
        }
        while (Stopwatch.GetTimestamp() < deadline
               && (Stopwatch.GetElapsedTime(start) < warmup || (calls < 40 && Stopwatch.GetElapsedTime(start) < 4 * warmup) || tiers.Compiling()));
    }

    /// <summary>Seconds one call takes.</summary>
    public static double TimeOnce(Action call)
    {
        long start = Stopwatch.GetTimestamp();
        call();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
