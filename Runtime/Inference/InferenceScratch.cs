using Microsoft.Extensions.ObjectPool;

namespace Simd.Runtime.Inference;

/// <summary>
/// One call's working memory: the activation arena the frozen graph's layout was planned for, and one output row
/// for the single-sample conveniences. 64-byte aligned
/// (pinned arrays) so the SIMD kernels start on a cache line.
/// </summary>
internal sealed class InferenceScratch
{
    private const int AlignFloats = 16;

    private readonly float[] _arena, _row;
    private readonly int _arenaOffset, _rowOffset, _length, _rowLength;

    public InferenceScratch(int activationFloats, int outputFloats)
    {
        _length = activationFloats;
        _rowLength = outputFloats;
        (_arena, _arenaOffset) = Aligned(activationFloats);
        (_row, _rowOffset) = Aligned(outputFloats);
    }

    public Span<float> Arena => _arena.AsSpan(_arenaOffset, _length);

    public Span<float> Row => _row.AsSpan(_rowOffset, _rowLength);

    private static unsafe (float[] Array, int Offset) Aligned(int floats)
    {
        var array = GC.AllocateUninitializedArray<float>(floats + AlignFloats, pinned: true);
        fixed (float* p = array)
        {
            int misalignment = (int)((nuint)p % (AlignFloats * sizeof(float))) / sizeof(float);
            return (array, misalignment == 0 ? 0 : AlignFloats - misalignment);
        }
    }

    /// <summary>Creates scratch for one model; every object it hands out is interchangeable.</summary>
    public sealed class Policy(int activationFloats, int outputFloats) : PooledObjectPolicy<InferenceScratch>
    {
        public override InferenceScratch Create() => new(activationFloats, outputFloats);

        public override bool Return(InferenceScratch obj) => true;
    }
}
