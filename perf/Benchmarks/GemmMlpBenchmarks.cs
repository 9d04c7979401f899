using BenchmarkDotNet.Attributes;
using Simd.Perf.Shapes;

namespace Simd.Perf.Benchmarks;

/// <summary>
/// The SGEMMs of the 784-256-128-10 MLP's two large layers at batch 1, 32 and 256: forward (NN), input gradient
/// (NT) and weight gradient (TN), on one and two threads.
/// </summary>
[MemoryDiagnoser]
public class GemmMlpBenchmarks
{
    private GemmCase? _case;

    public static IEnumerable<GemmShape> Shapes => GemmShapes.Mlp();

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _case = new GemmCase(Shape, Threads);

    [GlobalCleanup]
    public void Cleanup() => _case?.Dispose();

    [Benchmark]
    public void Sgemm() => _case!.Run();
}
