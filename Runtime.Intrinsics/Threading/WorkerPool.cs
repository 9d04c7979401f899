using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// A persistent pool of background worker threads that run numbered work items for a caller and wait. A call
/// allocates nothing: the work is a static function pointer and an untyped state pointer. Workers spin for a short
/// while after a job (so back-to-back kernel calls find them awake), then block on a semaphore.
/// </summary>
/// <remarks>
/// One job runs at a time. A call made while another caller's job is running (or from inside a work item) does not
/// wait for the pool: it runs all its items on the calling thread, in order. An exception thrown by an item is
/// rethrown to the caller after every item has finished (the first one, if several throw). Items are claimed
/// dynamically: a worker that is slow to wake leaves its share to the threads already running.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001",
    Justification = "The pool and its workers live as long as the process: their threads never end, so their wait handles are never freed.")]
public sealed unsafe class WorkerPool
{
    static readonly Lazy<WorkerPool> SharedPool = new(() => new WorkerPool(Math.Max(1, Environment.ProcessorCount - 1)));

    /// <summary>The process-wide pool: one worker per processor beyond the caller's own.</summary>
    public static WorkerPool Shared => SharedPool.Value;

    /// <summary>How long an idle worker keeps polling for the next job before it blocks.</summary>
    static readonly long SpinTicks = Stopwatch.Frequency / 10_000; // 100 µs

    readonly Worker[] _workers;
    readonly object _startLock = new();
    int _started;
    int _busy;

    // The current job. Written only by the caller that holds _busy, while the job is closed.
    delegate*<void*, int, void> _body;
    void* _state;
    int _count;
    int _next;
    ExceptionDispatchInfo? _error;

    // Workers join an open job and leave it; the caller closes it when it runs out of items and then waits only for
    // workers that joined. A worker that wakes late finds the job closed and has nothing to do, so a descheduled
    // worker never delays the caller (it takes the items itself).
    const long Closed = 1L << 32;
    long _phase = Closed;
    readonly ManualResetEventSlim _done = new(false);

    /// <summary>Creates a pool with <paramref name="workerCount"/> threads (started on first use).</summary>
    public WorkerPool(int workerCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workerCount);
        _workers = new Worker[workerCount];
    }

    /// <summary>Threads beside the caller's own; a job runs on at most this many plus one.</summary>
    public int WorkerCount => _workers.Length;

    /// <summary>
    /// Runs <c>body(state, i)</c> for every i in [0, count) exactly once, on the caller's thread and up to
    /// <see cref="WorkerCount"/> workers, and returns when all have finished. <paramref name="state"/> must stay
    /// valid (pinned) until then.
    /// </summary>
    public void Run(int count, delegate*<void*, int, void> body, void* state)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (body == null) throw new ArgumentNullException(nameof(body));
        if (count == 0) return;
        int helpers = Math.Min(count - 1, _workers.Length);
        if (helpers == 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++) body(state, i);
            return;
        }
        try
        {
            EnsureStarted();
            _body = body;
            _state = state;
            _count = count;
            _next = 0;
            _error = null;
            _done.Reset();
            Volatile.Write(ref _phase, 0);
            for (int w = 0; w < helpers; w++) _workers[w].Wake();
            Participate();
            if ((Interlocked.Or(ref _phase, Closed) & ~Closed) != 0) _done.Wait();
            _body = null;
            _state = null;
            _error?.Throw();
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>A woken worker takes items only if the job is still open.</summary>
    void Join()
    {
        long phase = Volatile.Read(ref _phase);
        while (true)
        {
            if ((phase & Closed) != 0) return;
            long seen = Interlocked.CompareExchange(ref _phase, phase + 1, phase);
            if (seen == phase) break;
            phase = seen;
        }
        Participate();
        if (Interlocked.Decrement(ref _phase) == Closed) _done.Set();
    }

    void Participate()
    {
        int i;
        while ((i = Interlocked.Increment(ref _next) - 1) < _count)
        {
            try
            {
                _body(_state, i);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
            }
        }
    }

    void EnsureStarted()
    {
        if (Volatile.Read(ref _started) != 0) return;
        lock (_startLock)
        {
            if (_started != 0) return;
            for (int w = 0; w < _workers.Length; w++)
            {
                _workers[w] = new Worker(this);
                var thread = new Thread(_workers[w].Loop) { IsBackground = true, Name = $"Simd worker {w + 1}" };
                thread.Start();
            }
            Volatile.Write(ref _started, 1);
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A worker lives as long as the process (see the pool).")]
    sealed class Worker(WorkerPool pool)
    {
        readonly SemaphoreSlim _signal = new(0);
        int _sequence;
        int _sleeping;

        public void Wake()
        {
            Interlocked.Increment(ref _sequence);
            // Paired with the sleeper's exchange-then-recheck: one of the two sees the other's write.
            if (Volatile.Read(ref _sleeping) != 0) _signal.Release();
        }

        public void Loop()
        {
            int seen = 0;
            while (true)
            {
                int now;
                long start = Stopwatch.GetTimestamp();
                while ((now = Volatile.Read(ref _sequence)) == seen)
                {
                    if (Stopwatch.GetTimestamp() - start < SpinTicks)
                    {
                        Thread.SpinWait(8);
                        continue;
                    }
                    Interlocked.Exchange(ref _sleeping, 1);
                    if (Volatile.Read(ref _sequence) == seen) _signal.Wait();
                    Interlocked.Exchange(ref _sleeping, 0);
                    start = Stopwatch.GetTimestamp();
                }
                seen = now;
                pool.Join();
            }
        }
    }
}
