using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Simd.Perf.Timing;
using Simd.Runtime.Intrinsics;

namespace Simd.Perf.Benchmarks;

/// <summary>
/// Our activation gradients dx = f'(x)·dy (TensorPrimitives has none to compare with), at the same lengths as the
/// forward benchmarks so that the cost of a backward pass reads against its forward one.
/// </summary>
[MemoryDiagnoser]
public class ActivationBackwardBenchmarks
{
    private AlignedBuffer? _x;
    private AlignedBuffer? _y;
    private AlignedBuffer? _dy;
    private AlignedBuffer? _dx;

    [Params(ActivationKind.Relu, ActivationKind.Sigmoid, ActivationKind.Tanh, ActivationKind.GeluTanh, ActivationKind.Silu)]
    public ActivationKind Kind { get; set; }

    [Params(1024, 65536)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _x = new AlignedBuffer(Length, seed: 1);
        TensorPrimitives.Multiply(_x.Span, 5f, _x.Span);
        _y = new AlignedBuffer(Length);
        Activations.Forward(Kind, _x.Span, _y.Span);
        _dy = new AlignedBuffer(Length, seed: 2);
        _dx = new AlignedBuffer(Length);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _x?.Dispose();
        _y?.Dispose();
        _dy?.Dispose();
        _dx?.Dispose();
    }

    [Benchmark]
    public void Backward() => Activations.Backward(Kind, _x!.Span, _y!.Span, _dy!.Span, _dx!.Span);
}
