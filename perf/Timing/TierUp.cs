using System.Diagnostics;
using System.Runtime;

namespace Simd.Perf.Timing;

/// <summary>
/// Tiered compilation finishes in the background: a method starts unoptimised (or, with loops, optimised without a
/// profile), is counted for 30 calls once no new method has been compiled for 100 ms, and is recompiled on another
/// thread. A warm-up of fixed length can end before that, and time partly unoptimised code (LeNet's batch-1 call,
/// on a loaded 2-core host: 9.9 µs after 300 ms, 8.4 µs once no method was compiled any more). The warm-ups
/// therefore also wait until the JIT has been quiet for <see cref="Quiet"/>, up to <see cref="Cap"/>.
/// </summary>
internal sealed class TierUp
{
    /// <summary>How long no method may have been compiled: past the runtime's 100 ms delay and a background compile.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    /// <summary>The longest a warm-up waits for the JIT to settle.</summary>
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(5);

    private readonly long _start = Stopwatch.GetTimestamp();
    private long _compiled = JitInfo.GetCompiledMethodCount(currentThread: false);
    private long _lastChange = Stopwatch.GetTimestamp();

    /// <summary>Notes the JIT's count; true while methods were compiled within <see cref="Quiet"/> and <see cref="Cap"/> has not passed.</summary>
    public bool Compiling()
    {
        long now = Stopwatch.GetTimestamp(), compiled = JitInfo.GetCompiledMethodCount(currentThread: false);
        if (compiled != _compiled)
        {
            _compiled = compiled;
            _lastChange = now;
        }
        return Stopwatch.GetElapsedTime(_lastChange, now) < Quiet && Stopwatch.GetElapsedTime(_start, now) < Cap;
    }
}
