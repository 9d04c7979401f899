using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Each sample repeated along its axes (ONNX's Tile, numpy's tile of equal rank): output axis k has repeats[k] copies
/// of the input's, one after another. Backward sums the gradient over the tiles.
/// </summary>
public sealed class TileOp : AxisMapOp
{
    public const string Name = "tile";

    private readonly int[] _repeats;

    public TileOp(params int[] repeats)
    {
        ArgumentNullException.ThrowIfNull(repeats);
        if (repeats.Length > TensorShape.MaxRank || repeats.Any(r => r < 1))
            throw new ArgumentException($"tile takes at most {TensorShape.MaxRank} repeats of at least 1, got [{string.Join(", ", repeats)}].", nameof(repeats));
        _repeats = (int[])repeats.Clone();
    }

    public override string Kind => Name;

    /// <summary>How many copies of each sample axis.</summary>
    public IReadOnlyList<int> Repeats => _repeats;

    internal static Op Create(OpAttributes a) => new TileOp(Array.ConvertAll(a.GetInt64s("repeats"), r =>
        r is >= 1 and <= int.MaxValue ? (int)r : throw a.Bad("repeats", $"holds {r}, expected counts of at least 1")));

    public override void WriteAttributes(OpAttributes attributes) => attributes.Set("repeats", Array.ConvertAll(_repeats, r => (long)r));

    protected override int[][] Maps(TensorShape input)
    {
        if (input.Rank != _repeats.Length)
            throw new ArgumentException($"tile by [{string.Join(", ", _repeats)}] takes samples of {_repeats.Length} axes, one repeat count each; the input is {input}.");
        var maps = new int[input.Rank][];
        for (int k = 0; k < input.Rank; k++)
        {
            long size = (long)input[k] * _repeats[k];
            if (size > int.MaxValue) throw new ArgumentException($"tile by [{string.Join(", ", _repeats)}]: axis {k} of {input} would have {size} elements.");
            int d = input[k];
            maps[k] = [.. Enumerable.Range(0, (int)size).Select(i => i % d)];
        }
        return maps;
    }

    public override string ToString() => $"Tile([{string.Join(", ", _repeats)}])";
}
