using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Simd.Perf.Timing;
using Simd.Runtime.Intrinsics;

namespace Simd.Perf.Benchmarks;

/// <summary>
/// Our forward activations against the <see cref="TensorPrimitives"/> call (or shortest composition of calls) that
/// computes the same function, at an L1-resident and an L2-resident length. Inputs span [-5, 5) so that both
/// branches of piecewise functions and the saturating ends of sigmoid and tanh are exercised.
/// </summary>
[MemoryDiagnoser]
public class ActivationBenchmarks
{
    private AlignedBuffer? _x;
    private AlignedBuffer? _y;
    private AlignedBuffer? _scratch;

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
        _scratch = new AlignedBuffer(Length);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _x?.Dispose();
        _y?.Dispose();
        _scratch?.Dispose();
    }

    [Benchmark]
    public void Simd() => Activations.Forward(Kind, _x!.Span, _y!.Span);

    [Benchmark(Baseline = true)]
    public void TensorPrimitivesEquivalent()
    {
        ReadOnlySpan<float> x = _x!.Span;
        Span<float> y = _y!.Span;
        Span<float> t = _scratch!.Span;
        switch (Kind)
        {
            case ActivationKind.Relu:
                TensorPrimitives.Max(x, 0f, y);
                break;
            case ActivationKind.Sigmoid:
                TensorPrimitives.Sigmoid(x, y);
                break;
            case ActivationKind.Tanh:
                TensorPrimitives.Tanh(x, y);
                break;
            case ActivationKind.GeluTanh:
                // 0.5·x·(1 + tanh(z)) = x·σ(2z), z = √(2/π)·(x + 0.044715·x³): six passes without a GELU primitive.
                TensorPrimitives.Multiply(x, x, t);
                TensorPrimitives.Multiply(t, 2f * 0.7978845608f * 0.044715f, t);
                TensorPrimitives.Add(t, 2f * 0.7978845608f, t);
                TensorPrimitives.Multiply(t, x, t);
                TensorPrimitives.Sigmoid(t, t);
                TensorPrimitives.Multiply(t, x, y);
                break;
            case ActivationKind.Silu:
                TensorPrimitives.Sigmoid(x, t);
                TensorPrimitives.Multiply(t, x, y);
                break;
            default:
                throw new NotSupportedException($"no TensorPrimitives equivalent for {Kind}");
        }
    }
}
