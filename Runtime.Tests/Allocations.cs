namespace Simd.Runtime.Tests;

/// <summary>
/// Bytes a piece of code allocates once warm. The runtime itself allocates now and then on whichever thread
/// happens to trigger it (tiered compilation starting its background worker, the thread pool growing), a few
/// hundred bytes that belong to no call of ours. A call that allocates does so on every run, so the smallest of a
/// few measured runs (up to 10: on a loaded host, slow steps at the scalar width saw the runtime allocate in five in
/// a row) is the figure: 0 only if at least one whole run allocated nothing.
/// </summary>
internal static class Allocations
{
    private const int Attempts = 10;

    /// <summary>Bytes allocated on the calling thread by <paramref name="action"/>, after one warm-up run.</summary>
    public static long OnThisThread(Action action) => Smallest(action, static () => GC.GetAllocatedBytesForCurrentThread());

    /// <summary>Bytes allocated by the whole process while <paramref name="action"/> runs (for code that uses threads).</summary>
    public static long InProcess(Action action) => Smallest(action, static () => GC.GetTotalAllocatedBytes(precise: true));

    private static long Smallest(Action action, Func<long> counter)
    {
        action();
        long smallest = long.MaxValue;
        for (int i = 0; i < Attempts && smallest > 0; i++)
        {
            long before = counter();
            action();
            smallest = Math.Min(smallest, counter() - before);
        }
        return smallest;
    }
}
