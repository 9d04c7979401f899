using Simd.Perf.Timing;
using Simd.Runtime.Intrinsics;

namespace Simd.Perf.Shapes;

/// <summary>
/// A GEMM problem with its operands allocated once (64-byte aligned, filled with fixed random values) so that
/// timed calls touch nothing but the kernel. <see cref="Call"/> is a cached delegate: invoking it allocates nothing.
/// </summary>
public sealed class GemmCase : IDisposable
{
    private readonly AlignedBuffer _a;
    private readonly AlignedBuffer _b;
    private readonly AlignedBuffer _c;

    public GemmCase(GemmShape shape, int threads)
    {
        Shape = shape;
        Threads = threads;
        _a = new AlignedBuffer(shape.ASize, seed: 1);
        _b = new AlignedBuffer(shape.BSize, seed: 2);
        _c = new AlignedBuffer(shape.CSize, seed: 3);
        Call = Run;
    }

    public GemmShape Shape { get; }

    public int Threads { get; }

    public Action Call { get; }

    public ReadOnlySpan<float> A => _a.Span;

    public ReadOnlySpan<float> B => _b.Span;

    public Span<float> C => _c.Span;

    // beta = 0: what a forward layer does, and C's previous contents cannot drift between repetitions.
    public void Run() => Gemm.Multiply(Shape.OpA, Shape.OpB, Shape.M, Shape.N, Shape.K,
        1f, _a.Span, Shape.Lda, _b.Span, Shape.Ldb, 0f, _c.Span, Shape.Ldc, default, Threads);

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
    }
}
