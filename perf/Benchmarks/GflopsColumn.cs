using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Simd.Perf.Shapes;
using Simd.Perf.Timing;

namespace Simd.Perf.Benchmarks;

/// <summary>
/// GFLOPS (2·m·n·k over the mean time) and the same as % of the FMA peak for the case's thread count. The flop
/// count comes from the case's <c>Shape</c> (a <see cref="GemmShape"/>) or <c>N</c> (a square) parameter; other
/// benchmarks show "-". The peak is measured in the host process when the summary is built.
/// </summary>
public sealed class GflopsColumn : IColumn
{
    public static readonly GflopsColumn Gflops = new(percent: false);
    public static readonly GflopsColumn PercentOfPeak = new(percent: true);

    private readonly bool _percent;

    private GflopsColumn(bool percent) => _percent = percent;

    public string Id => _percent ? "PctPeak" : "Gflops";

    public string ColumnName => _percent ? "% peak" : "GFLOPS";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => _percent ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => _percent
        ? "GFLOPS as a percentage of the in-process FMA peak at the same thread count"
        : "Giga floating-point operations per second: 2·M·N·K over the mean time";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? flops = Flops(benchmarkCase);
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (flops is null || meanNs is not > 0) return "-";
        double gflops = flops.Value / meanNs.Value;
        if (!_percent) return gflops.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        int threads = benchmarkCase.Parameters["Threads"] is int t ? t : 1;
        return MachinePeak.Percent(gflops, threads).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static double? Flops(BenchmarkCase benchmarkCase)
    {
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            if (parameter.Name == "Shape" && parameter.Value is GemmShape shape) return shape.Flops;
            if (parameter.Name == "N" && parameter.Value is int n) return 2.0 * n * n * n;
        }
        return null;
    }

    public override string ToString() => ColumnName;
}
