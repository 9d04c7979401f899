using System.Diagnostics;
using Simd.Perf.Shapes;
using Simd.Perf.Timing;

namespace Simd.Perf.Report;

/// <summary>
/// <c>sgemm.&lt;shape&gt;.t&lt;threads&gt;</c> in GFLOPS (2·m·n·k per call, median of timed repetitions) with a
/// <c>.pct_peak</c> companion against the FMA peak at the same thread count, and <c>.alloc_bytes</c> per call for
/// two cases. Shapes: squares 512–2048 and every MLP shape (forward NN, backward NT and TN).
/// </summary>
public sealed class GemmFigures : IReportSection
{
    /// <summary>The whole section's time limit; a shape that would overrun it is skipped, not cut short.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    /// <summary>Timed repetitions per shape (after warm-up); large squares take at least 3 repetitions anyway.</summary>
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

    public void Run(ReportWriter writer)
    {
        var cases = Cases().Where(c => writer.Wants(FigureName(c.Shape, c.Threads))).ToList();
        var clock = Stopwatch.StartNew();
        double lastGflops = double.NaN;
        for (int i = 0; i < cases.Count; i++)
        {
            var (shape, threads) = cases[i];
            string name = FigureName(shape, threads);

            // Keep the least a case costs in reserve for every later one, so one slow shape cannot starve the rest.
            var left = Budget - clock.Elapsed - (cases.Count - i - 1) * CheapestCase;
            // Predict from the previous shape's rate, slowed down by a margin because a kernel that is slow at all is
            // usually slower still on larger operands; the first shape (512³) is cheap at any plausible speed.
            double predicted = double.IsNaN(lastGflops) ? 0 : MinimumCalls * Margin * shape.Flops / (lastGflops * 1e9);
            if (left <= TimeSpan.Zero || predicted > left.TotalSeconds)
            {
                writer.Skip(name, Units.Gflops,
                    $"needs about {predicted:0.0} s at {lastGflops:0.0} GFLOPS; {Math.Max(0, left.TotalSeconds):0.0} s of the section's budget left");
                continue;
            }

            var slice = left / (cases.Count - i);
            var timed = Clamp(slice * 0.6, CheapestCase / 2, PerShape);
            var warmup = Clamp(slice * 0.3, CheapestCase / 4, Measure.DefaultWarmup);

            using var gemm = new GemmCase(shape, threads);
            long deadline = Stopwatch.GetTimestamp() + (long)(left.TotalSeconds * Stopwatch.Frequency);
            var m = Measure.Run(gemm.Call, timed, warmup, allCalls: threads > 1, deadline: deadline);
            double gflops = m.Gflops(shape.Flops);
            lastGflops = gflops;
            writer.Add(name, gflops, Units.Gflops);
            writer.Add(name + ".pct_peak", MachinePeak.Percent(gflops, threads), Units.Percent);
            if (ReportsAllocation(name)) writer.Add(name + ".alloc_bytes", m.AllocatedBytesPerCall, Units.Bytes);
        }
    }

    private static string FigureName(GemmShape shape, int threads) => $"sgemm.{shape.Name}.t{threads}";

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) =>
        value < min ? min : value > max ? max : value;
}
