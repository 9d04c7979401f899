using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Simd.Runtime.Intrinsics;

namespace Simd.Perf.Timing;

/// <summary>
/// The machine's multiply-add peak as this process can reach it: independent chains of vector multiply-adds with
/// nothing else in the loop. GEMM efficiency is quoted against this figure rather than a datasheet clock, because
/// it already includes the clock the cores actually run at under this load (boost, shared host, thermal limits).
/// </summary>
public static class FmaPeak
{
    /// <summary>
    /// Independent accumulator chains per loop. Zen cores issue two FMAs per cycle with a 4-cycle latency, so at
    /// least 8 chains must be in flight to keep both pipes busy; 12 leaves slack for the loop overhead and still
    /// fits the 16 vector registers of AVX2 with the two operand registers.
    /// </summary>
    public const int Chains = 12;

    /// <summary>Floating-point operations of one loop iteration at a width: chains × lanes × 2 (multiply and add).</summary>
    public static double FlopsPerIteration(SimdWidth width) => Chains * Lanes(width) * 2.0;

    public static int Lanes(SimdWidth width) => width == SimdWidth.Scalar ? 1 : (int)width / 32;

    /// <summary>GFLOPS of <paramref name="threads"/> threads running the loop at once; the best of several runs.</summary>
    public static double Measure(SimdWidth width, int threads, TimeSpan budget)
    {
        // Size one run to about 20 ms: long enough to hide thread start-up, short enough for several runs.
        long iterations = 1 << 16;
        Run(width, iterations);
        while (Time(width, 1, iterations) < 0.02 && iterations < (1L << 40)) iterations *= 2;

        double best = double.MaxValue;
        var clock = Stopwatch.StartNew();
        int runs = 0;
        do
        {
            best = Math.Min(best, Time(width, threads, iterations));
            runs++;
        }
        while (runs < 3 || clock.Elapsed < budget);
        return threads * iterations * FlopsPerIteration(width) / best / 1e9;
    }

    private static double Time(SimdWidth width, int threads, long iterations)
    {
        if (threads == 1)
        {
            long start = Stopwatch.GetTimestamp();
            Run(width, iterations);
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        // Dedicated threads released together by a barrier: the wall time covers the slowest thread.
        using var ready = new Barrier(threads + 1);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() =>
            {
                ready.SignalAndWait();
                Run(width, iterations);
            }) { IsBackground = true };
            workers[t].Start();
        }
        ready.SignalAndWait();
        long begin = Stopwatch.GetTimestamp();
        foreach (var worker in workers) worker.Join();
        return Stopwatch.GetElapsedTime(begin).TotalSeconds;
    }

    /// <summary>Runs the loop; returns a value that depends on every chain so the JIT cannot drop any of them.</summary>
    public static float Run(SimdWidth width, long iterations) => width switch
    {
        SimdWidth.V512 => Loop512(iterations),
        SimdWidth.V256 => Loop256(iterations),
        SimdWidth.V128 => Loop128(iterations),
        _ => LoopScalar(iterations),
    };

    // acc = acc·m + a with m just below 1 converges to a/(1 − m) = 1: values stay normal, never overflow and
    // never become denormals, which would slow the loop down for reasons unrelated to the FMA pipes.
    private const float M = 0.999999f;
    private const float A = 0.000001f;

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop256(long iterations)
    {
        Vector256<float> m = Vector256.Create(M), a = Vector256.Create(A);
        Vector256<float> c0 = Vector256<float>.One, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        Vector256<float> c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.MultiplyAddEstimate(c0, m, a);
            c1 = Vector256.MultiplyAddEstimate(c1, m, a);
            c2 = Vector256.MultiplyAddEstimate(c2, m, a);
            c3 = Vector256.MultiplyAddEstimate(c3, m, a);
            c4 = Vector256.MultiplyAddEstimate(c4, m, a);
            c5 = Vector256.MultiplyAddEstimate(c5, m, a);
            c6 = Vector256.MultiplyAddEstimate(c6, m, a);
            c7 = Vector256.MultiplyAddEstimate(c7, m, a);
            c8 = Vector256.MultiplyAddEstimate(c8, m, a);
            c9 = Vector256.MultiplyAddEstimate(c9, m, a);
            c10 = Vector256.MultiplyAddEstimate(c10, m, a);
            c11 = Vector256.MultiplyAddEstimate(c11, m, a);
        }
        var sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11));
        return Vector256.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop512(long iterations)
    {
        Vector512<float> m = Vector512.Create(M), a = Vector512.Create(A);
        Vector512<float> c0 = Vector512<float>.One, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        Vector512<float> c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.MultiplyAddEstimate(c0, m, a);
            c1 = Vector512.MultiplyAddEstimate(c1, m, a);
            c2 = Vector512.MultiplyAddEstimate(c2, m, a);
            c3 = Vector512.MultiplyAddEstimate(c3, m, a);
            c4 = Vector512.MultiplyAddEstimate(c4, m, a);
            c5 = Vector512.MultiplyAddEstimate(c5, m, a);
            c6 = Vector512.MultiplyAddEstimate(c6, m, a);
            c7 = Vector512.MultiplyAddEstimate(c7, m, a);
            c8 = Vector512.MultiplyAddEstimate(c8, m, a);
            c9 = Vector512.MultiplyAddEstimate(c9, m, a);
            c10 = Vector512.MultiplyAddEstimate(c10, m, a);
            c11 = Vector512.MultiplyAddEstimate(c11, m, a);
        }
        var sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11));
        return Vector512.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop128(long iterations)
    {
        Vector128<float> m = Vector128.Create(M), a = Vector128.Create(A);
        Vector128<float> c0 = Vector128<float>.One, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        Vector128<float> c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector128.MultiplyAddEstimate(c0, m, a);
            c1 = Vector128.MultiplyAddEstimate(c1, m, a);
            c2 = Vector128.MultiplyAddEstimate(c2, m, a);
            c3 = Vector128.MultiplyAddEstimate(c3, m, a);
            c4 = Vector128.MultiplyAddEstimate(c4, m, a);
            c5 = Vector128.MultiplyAddEstimate(c5, m, a);
            c6 = Vector128.MultiplyAddEstimate(c6, m, a);
            c7 = Vector128.MultiplyAddEstimate(c7, m, a);
            c8 = Vector128.MultiplyAddEstimate(c8, m, a);
            c9 = Vector128.MultiplyAddEstimate(c9, m, a);
            c10 = Vector128.MultiplyAddEstimate(c10, m, a);
            c11 = Vector128.MultiplyAddEstimate(c11, m, a);
        }
        var sum = ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11));
        return Vector128.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float LoopScalar(long iterations)
    {
        float c0 = 1, c1 = 1, c2 = 1, c3 = 1, c4 = 1, c5 = 1, c6 = 1, c7 = 1, c8 = 1, c9 = 1, c10 = 1, c11 = 1;
        for (long i = 0; i < iterations; i++)
        {
            c0 = float.MultiplyAddEstimate(c0, M, A);
            c1 = float.MultiplyAddEstimate(c1, M, A);
            c2 = float.MultiplyAddEstimate(c2, M, A);
            c3 = float.MultiplyAddEstimate(c3, M, A);
            c4 = float.MultiplyAddEstimate(c4, M, A);
            c5 = float.MultiplyAddEstimate(c5, M, A);
            c6 = float.MultiplyAddEstimate(c6, M, A);
            c7 = float.MultiplyAddEstimate(c7, M, A);
            c8 = float.MultiplyAddEstimate(c8, M, A);
            c9 = float.MultiplyAddEstimate(c9, M, A);
            c10 = float.MultiplyAddEstimate(c10, M, A);
            c11 = float.MultiplyAddEstimate(c11, M, A);
        }
        return ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7)) + ((c8 + c9) + (c10 + c11));
    }
}
