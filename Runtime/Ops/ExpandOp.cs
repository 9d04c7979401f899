using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Each sample broadcast to a shape (ONNX's Expand, numpy's rule both ways: aligned from the last axis, a size 1 on
/// either side takes the other's, so the output may have more axes than the input, never fewer sizes). Backward sums
/// the gradient over the copies of each input element.
/// </summary>
public sealed class ExpandOp : AxisMapOp
{
    public const string Name = "expand";

    private readonly int[] _shape;

    public ExpandOp(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length > TensorShape.MaxRank || shape.Any(d => d < 1))
            throw new ArgumentException($"expand takes at most {TensorShape.MaxRank} sizes of at least 1, got [{string.Join(", ", shape)}].", nameof(shape));
        _shape = (int[])shape.Clone();
    }

    public override string Kind => Name;

    /// <summary>The shape each sample is broadcast against.</summary>
    public IReadOnlyList<int> Shape => _shape;

    internal static Op Create(OpAttributes a) => new ExpandOp(Array.ConvertAll(a.GetInt64s("shape"), d =>
        d is >= 1 and <= int.MaxValue ? (int)d : throw a.Bad("shape", $"holds {d}, expected sizes of at least 1")));

    public override void WriteAttributes(OpAttributes attributes) => attributes.Set("shape", Array.ConvertAll(_shape, d => (long)d));

    protected override int[][] Maps(TensorShape input)
    {
        int rank = Math.Max(input.Rank, _shape.Length);
        var maps = new int[rank][];
        for (int k = 0; k < rank; k++)
        {
            int d = k < rank - input.Rank ? 1 : input[k - (rank - input.Rank)];
            int s = k < rank - _shape.Length ? 1 : _shape[k - (rank - _shape.Length)];
            if (d != s && d != 1 && s != 1)
                throw new ArgumentException($"expand to [{string.Join(", ", _shape)}]: the input {input} has {d} on axis {k - rank}, which broadcasts only to {d} or from 1, not to {s}.");
            int size = Math.Max(d, s);
            maps[k] = d == 1 ? new int[size] : [.. Enumerable.Range(0, size)];
        }
        return maps;
    }

    public override string ToString() => $"Expand([{string.Join(", ", _shape)}])";
}
