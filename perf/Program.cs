using BenchmarkDotNet.Running;
using Simd.Perf.Benchmarks;
using Simd.Perf.Diagnostics;
using Simd.Perf.Inference;
using Simd.Perf.OpenBlas;
using Simd.Perf.Report;
using Simd.Runtime.Intrinsics;

// Commands: `report` (the quick summary), `openblas` (our GEMM beside OpenBLAS), `latency` (inference latency
// distribution, single-threaded and under concurrent load), `subnormals` (where subnormal floats arise in a
// training run), anything else goes to BenchmarkDotNet (`-- --filter *Gemm*`, `--list flat`; `--full` for BenchmarkDotNet's default, longer job).
Console.WriteLine($"# {Isa.Describe()}");
if (Isa.ConfigurationError is string widthError)
{
    // Measuring the hardware width when another was asked for would mislabel every figure.
    Console.Error.WriteLine($"error: {widthError}");
    return 1;
}

return args switch
{
    ["report", .. var rest] => ReportCommand.Run(rest),
    ["openblas", .. var rest] => OpenBlasComparison.Run(rest),
    ["latency", .. var rest] => LatencyCommand.Run(rest),
    ["subnormals", .. var rest] => SubnormalCommand.Run(rest),
    [OnnxFirstAnswer.Command, .. var rest] => OnnxFirstAnswer.RunCommand(rest),
    _ => Run(args),
};

static int Run(string[] args)
{
    bool full = args.Contains("--full");
    bool jobGiven = args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal));
    var config = PerfConfig.Create(full, jobGiven);
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(PerfConfig).Assembly)
        .Run(args.Where(a => a != "--full").ToArray(), config);
    return summaries.Any(s => s.HasCriticalValidationErrors) ? 1 : 0;
}
