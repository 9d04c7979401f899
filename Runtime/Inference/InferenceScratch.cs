using Microsoft.Extensions.ObjectPool;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Inference;

/// <summary>
/// One call's working memory: the activation arena the frozen graph's layout was planned for, and one output row
/// for the single-sample conveniences, in native 64-byte aligned blocks so the SIMD kernels start on a cache line.
/// Native rather than pinned arrays: pinned arrays count towards the garbage collector's oldest generation, so a
/// service that loads models repeatedly would run a full collection every few loads.
/// </summary>
internal sealed class InferenceScratch : IDisposable
{
    private readonly AlignedBuffer _arena, _row;

    public InferenceScratch(int activationFloats, int outputFloats)
    {
        _arena = new AlignedBuffer(activationFloats);
        _row = new AlignedBuffer(outputFloats);
    }

    public Span<float> Arena => _arena.Span;

    public Span<float> Row => _row.Span;

    public void Dispose()
    {
        _arena.Dispose();
        _row.Dispose();
    }

    /// <summary>Creates scratch for one model; every object it hands out is interchangeable.</summary>
    public sealed class Policy(int activationFloats, int outputFloats) : PooledObjectPolicy<InferenceScratch>
    {
        public override InferenceScratch Create() => new(activationFloats, outputFloats);

        public override bool Return(InferenceScratch obj) => true;
    }
}
