using BenchmarkDotNet.Attributes;
using Simd.Perf.Shapes;

namespace Simd.Perf.Benchmarks;

/// <summary>Square SGEMM, C = A·B with n×n operands, on one and two threads.</summary>
[MemoryDiagnoser]
public class GemmSquareBenchmarks
{
    private GemmCase? _case;

    [Params(64, 128, 256, 512, 1024, 2048)]
    public int N { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup() => _case = new GemmCase(GemmShape.Square(N), Threads);

    [GlobalCleanup]
    public void Cleanup() => _case?.Dispose();

    [Benchmark]
    public void Sgemm() => _case!.Run();
}
