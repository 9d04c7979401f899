using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Simd.Perf.Benchmarks;

/// <summary>
/// The configuration every benchmark runs under: BenchmarkDotNet's defaults plus the GFLOPS and % of peak columns,
/// and a short job (1 launch, 3 warm-up, 5 measured iterations) because the box has two cores shared with builds;
/// <c>--full</c> keeps BenchmarkDotNet's default job, and an explicit <c>--job</c> on the command line wins.
/// </summary>
public static class PerfConfig
{
    public static IConfig Create(bool full, bool jobOnCommandLine = false)
    {
        var config = DefaultConfig.Instance
            .AddColumn(GflopsColumn.Gflops, GflopsColumn.PercentOfPeak)
            .WithOption(ConfigOptions.JoinSummary, false);
        if (!full && !jobOnCommandLine)
        {
            config = config.AddJob(Job.Default
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(5)
                .WithId("Short"));
        }
        return config;
    }
}
