using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

public unsafe class WorkerPoolTests
{
    struct Counts
    {
        public int* Hits;
        public int ThrowAt;
    }

    static void Count(void* state, int i)
    {
        var s = (Counts*)state;
        Interlocked.Increment(ref s->Hits[i]);
        if (i == s->ThrowAt) throw new InvalidOperationException($"item {i} failed");
    }

    static void RunCounting(WorkerPool pool, int count, int[] hits, int throwAt = -1)
    {
        fixed (int* h = hits)
        {
            var s = new Counts { Hits = h, ThrowAt = throwAt };
            pool.Run(count, &Count, &s);
        }
    }

    static WorkerPool? s_nestedPool;

    static void CountNested(void* state, int i)
    {
        var s = (Counts*)state;
        var inner = new Counts { Hits = s->Hits + 100 * (i + 1), ThrowAt = -1 };
        s_nestedPool!.Run(10, &Count, &inner);
        Interlocked.Increment(ref s->Hits[i]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void RunsEveryItemExactlyOnceAndIsReused(int workers)
    {
        var pool = new WorkerPool(workers);
        foreach (int count in new[] { 0, 1, 2, 3, 17, 1000, 5, 1000 })
        {
            for (int repeat = 0; repeat < 20; repeat++)
            {
                var hits = new int[Math.Max(1, count)];
                RunCounting(pool, count, hits);
                for (int i = 0; i < count; i++) Assert.Equal(1, hits[i]);
            }
        }
    }

    [Fact]
    public void AnItemsExceptionReachesTheCallerAfterAllItemsRan()
    {
        var pool = new WorkerPool(2);
        var hits = new int[50];
        var e = Assert.Throws<InvalidOperationException>(() => RunCounting(pool, 50, hits, throwAt: 7));
        Assert.Contains("item 7", e.Message);
        Assert.All(hits, v => Assert.Equal(1, v));
        RunCounting(pool, 50, hits);
        Assert.All(hits, v => Assert.Equal(2, v));
    }

    [Fact]
    public void NestedRunsExecuteInlineOnTheItemsThread()
    {
        s_nestedPool = new WorkerPool(2);
        var hits = new int[100 * 5];
        fixed (int* h = hits)
        {
            var s = new Counts { Hits = h, ThrowAt = -1 };
            s_nestedPool.Run(4, &CountNested, &s);
        }
        for (int i = 0; i < 4; i++) Assert.Equal(1, hits[i]);
        for (int i = 1; i <= 4; i++)
            for (int j = 0; j < 10; j++) Assert.Equal(1, hits[100 * i + j]);
    }

    [Fact]
    public void SharedPoolHasAWorkerPerExtraProcessor() =>
        Assert.Equal(Math.Max(1, Environment.ProcessorCount - 1), WorkerPool.Shared.WorkerCount);

    [Fact]
    public void ArgumentsAreChecked()
    {
        var pool = new WorkerPool(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => RunCounting(pool, -1, new int[1]));
        Assert.Throws<ArgumentNullException>(() => pool.Run(1, null, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool(-1));
    }
}
