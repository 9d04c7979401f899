using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Simd.Perf.Timing;
using Simd.Runtime.Intrinsics;

namespace Simd.Perf.Benchmarks;

/// <summary>
/// Row-wise softmax against <see cref="TensorPrimitives.SoftMax{T}"/> called once per row, with as many rows of
/// <see cref="Cols"/> as fit in <see cref="Length"/>: 10 columns is a classifier's output, 1024 a wide row.
/// </summary>
[MemoryDiagnoser]
public class SoftmaxBenchmarks
{
    private AlignedBuffer? _x;
    private AlignedBuffer? _y;

    [Params(1024, 65536)]
    public int Length { get; set; }

    [Params(10, 1024)]
    public int Cols { get; set; }

    private int Rows => Length / Cols;

    [GlobalSetup]
    public void Setup()
    {
        _x = new AlignedBuffer(Length, seed: 1);
        TensorPrimitives.Multiply(_x.Span, 8f, _x.Span);
        _y = new AlignedBuffer(Length);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _x?.Dispose();
        _y?.Dispose();
    }

    [Benchmark]
    public void Simd() => Softmax.Forward(_x!.Span, _y!.Span, Rows, Cols);

    [Benchmark(Baseline = true)]
    public void TensorPrimitivesPerRow()
    {
        ReadOnlySpan<float> x = _x!.Span;
        Span<float> y = _y!.Span;
        for (int r = 0, rows = Rows, cols = Cols; r < rows; r++)
            TensorPrimitives.SoftMax(x.Slice(r * cols, cols), y.Slice(r * cols, cols));
    }
}
