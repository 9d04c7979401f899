using Simd.Perf.Inference;
using Simd.Perf.Timing;

namespace Simd.Perf.Report;

/// <summary>
/// <c>read_bw.*</c>: GB/s of one core streaming a buffer of 24 KB (L1), 512 KB (L2 on most servers), the MLP's
/// weights (0.94 MB: what every batch-1 call reads) and 8 MB (L3). The weights' figure divided into their size is
/// the shortest a batch-1 call can take on one core, whatever the kernel (<c>read_bw.mlp_weights.bound_us</c>).
/// Each figure is the best of <see cref="Measure.Runs"/> runs.
/// </summary>
public sealed class ReadBandwidthFigures : IReportSection
{
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(300);

    public string Name => "read_bw";

    public void Run(ReportWriter writer)
    {
        int weights = InferenceMlp.WeightCount * sizeof(float);
        foreach (var (name, bytes) in new[] { ("kb24", 24 << 10), ("kb512", 512 << 10), ("mlp_weights", weights), ("mb8", 8 << 20) })
        {
            string figure = $"read_bw.{name}", bound = $"{figure}.bound_us";
            bool wantsBound = bytes == weights && writer.Wants(bound);
            if (!writer.Wants(figure) && !wantsBound) continue;
            double gbs = Measure.Best(Measure.Runs, () => ReadBandwidth.Measure(bytes, Budget / Measure.Runs));
            if (writer.Wants(figure)) writer.Add(figure, gbs, Units.GigabytesPerSecond);
            if (wantsBound) writer.Add(bound, weights / gbs / 1e3, Units.Microseconds);
        }
    }
}
