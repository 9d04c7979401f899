using BenchmarkDotNet.Attributes;
using Simd.Perf.Training;

namespace Simd.Perf.Benchmarks;

/// <summary>
/// One training step of the 784-256-128-10 MLP (the report's <c>train.mlp.*</c>) at batch 1, 32 and 512 on one
/// thread; the Allocated column must read 0 B.
/// </summary>
[MemoryDiagnoser]
public class TrainingBenchmarks
{
    private TrainingStep? _step;

    [Params(1, 32, 512)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup() => _step = TrainingStep.Mlp(Batch);

    [GlobalCleanup]
    public void Cleanup() => _step?.Dispose();

    [Benchmark]
    public void TrainStep() => _step!.Run();
}
