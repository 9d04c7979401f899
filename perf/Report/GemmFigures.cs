using System.Diagnostics;
using Simd.Perf.Shapes;
using Simd.Perf.Timing;

namespace Simd.Perf.Report;

/// <summary>
/// <c>sgemm.&lt;shape&gt;.t&lt;threads&gt;</c> in GFLOPS (2·m·n·k per call, the best of <see cref="Passes"/> passes' medians) with a
/// <c>.pct_peak</c> companion against the FMA peak at the same thread count, and <c>.alloc_bytes</c> per call for
/// two cases. Shapes: squares 512–2048 and every MLP shape (forward NN, backward NT and TN).
/// </summary>
public sealed class GemmFigures : IReportSection
{
    /// <summary>The whole section's time limit; a shape that would overrun it is skipped, not cut short.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    /// <summary>Timed repetitions per shape over all passes (after warm-up); large squares take at least 3 repetitions a pass anyway.</summary>
    private static readonly TimeSpan PerShape = TimeSpan.FromMilliseconds(500);

    // Fewest calls one shape costs: warm-up, the sizing call and three timed repetitions.
    private const int MinimumCalls = 5;

    private const double Margin = 3;

    // What a small shape costs at the shortest warm-up and timing this section uses.
    private static readonly TimeSpan CheapestCase = TimeSpan.FromMilliseconds(200);

    public string Name => "sgemm";

    public static IEnumerable<(GemmShape Shape, int Threads)> Cases()
    {
        foreach (int n in (int[])[512, 1024, 2048])
        {
            yield return (GemmShape.Square(n), 1);
            yield return (GemmShape.Square(n), 2);
        }
        foreach (var shape in GemmShapes.Mlp())
        {
            yield return (shape, 1);
            // Two threads for the forward shapes: the ones inference runs, where a second core may serve a request.
            if (shape.OpA == Runtime.Intrinsics.MatrixOp.None && shape.OpB == Runtime.Intrinsics.MatrixOp.None)
                yield return (shape, 2);
        }
    }

    /// <summary>Cases whose per-call allocation is reported: the skinny single-thread path and a threaded one.</summary>
    private static bool ReportsAllocation(string name) => name is "sgemm.m1k784n256.t1" or "sgemm.n1024.t2";

    /// <summary>
    /// Passes over every shape; each figure is its best pass (the fastest median). A neighbour's build on a shared
    /// host slows whole seconds at a time, so passes spread over the section agree far better than one median does.
    /// </summary>
    public const int Passes = 3;

    public void Run(ReportWriter writer)
    {
        var cases = Cases().Where(c => writer.Wants(FigureName(c.Shape, c.Threads))).ToList();
        var clock = Stopwatch.StartNew();
        var best = new Measurement?[cases.Count];
        var skipped = new string?[cases.Count];
        double lastGflops = double.NaN;
        int passesRun = 0;
        for (int pass = 0; pass < Passes; pass++)
        {
            bool ranAny = false;
            for (int i = 0; i < cases.Count; i++)
            {
                if (skipped[i] is not null) continue;
                var (shape, threads) = cases[i];
                // Calls still to come in this pass and the later ones, each owed at least the cheapest case's time.
                int still = cases.Count - i - 1 + (Passes - pass - 1) * cases.Count;
                var left = Budget - clock.Elapsed - still * CheapestCase;
                // Predict from the previous shape's rate, slowed down by a margin because a kernel that is slow at all
                // is usually slower still on larger operands; the first shape (512³) is cheap at any plausible speed.
                double rate = best[i] is Measurement earlier ? earlier.Gflops(shape.Flops) : lastGflops;
                double predicted = double.IsNaN(rate) ? 0 : MinimumCalls * Margin * shape.Flops / (rate * 1e9);
                if (left <= TimeSpan.Zero || predicted > left.TotalSeconds)
                {
                    // A shape measured in an earlier pass keeps its best so far; only a never-measured one is skipped.
                    if (best[i] is null)
                        skipped[i] = $"needs about {predicted:0.0} s at {rate:0.0} GFLOPS; {Math.Max(0, left.TotalSeconds):0.0} s of the section's budget left";
                    continue;
                }

                var slice = left / (still + 1);
                var timed = Clamp(slice * 0.6, CheapestCase / 2, PerShape / Passes);
                // The JIT has promoted the code by the second pass; a short warm-up refills the caches.
                var warmup = Clamp(slice * 0.3, CheapestCase / 4, pass == 0 ? Measure.DefaultWarmup : Measure.DefaultWarmup / 5);

                using var gemm = new GemmCase(shape, threads);
                long deadline = Stopwatch.GetTimestamp() + (long)(left.TotalSeconds * Stopwatch.Frequency);
                var m = Measure.Run(gemm.Call, timed, warmup, allCalls: threads > 1, deadline: deadline);
                lastGflops = m.Gflops(shape.Flops);
                if (best[i] is not Measurement b) best[i] = m;
                else
                {
                    double allocated = Math.Max(m.AllocatedBytesPerCall, b.AllocatedBytesPerCall);
                    best[i] = (m.MedianSeconds < b.MedianSeconds ? m : b) with { AllocatedBytesPerCall = allocated };
                }
                ranAny = true;
            }
            if (ranAny) passesRun++;
        }

        writer.Note($"sgemm: each figure the best of {passesRun} passes' medians");
        for (int i = 0; i < cases.Count; i++)
        {
            var (shape, threads) = cases[i];
            string name = FigureName(shape, threads);
            if (best[i] is not Measurement m)
            {
                writer.Skip(name, Units.Gflops, skipped[i] ?? "not measured");
                continue;
            }
            double gflops = m.Gflops(shape.Flops);
            writer.Add(name, gflops, Units.Gflops);
            writer.Add(name + ".pct_peak", MachinePeak.Percent(gflops, threads), Units.Percent);
            // The largest allocation any pass saw: a figure of 0 means none of them allocated.
            if (ReportsAllocation(name)) writer.Add(name + ".alloc_bytes", m.AllocatedBytesPerCall, Units.Bytes);
        }
    }

    private static string FigureName(GemmShape shape, int threads) => $"sgemm.{shape.Name}.t{threads}";

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) =>
        value < min ? min : value > max ? max : value;
}
