using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Graphs;

/// <summary>Builder helpers for selection and broadcasting shapes (<see cref="WhereOp"/>, <see cref="ExpandOp"/>, <see cref="TileOp"/>, <see cref="PadOp"/>).</summary>
public sealed partial class GraphBuilder
{
    /// <summary>condition ? a : b elementwise with numpy's broadcasting (the condition a comparison's 1 or 0; any value but ±0 is true).</summary>
    public Value Where(Value condition, Value a, Value b) => Single(new WhereOp(), condition, a, b);

    /// <summary>
    /// condition ? x : constant (PyTorch's masked_fill: the constant −∞ or a large negative score), the constant the
    /// given values in <paramref name="shape"/>, broadcast against the samples and over the batch; fixed, not trained.
    /// </summary>
    public Value Where(Value condition, Value x, TensorShape shape, float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != shape.Length)
            throw new ArgumentException($"The constant of shape {shape} holds {shape.Length} values, got {values.Length}.");
        var op = new WhereOp(b: shape);
        Value y = Single(op, condition, x);
        op.InitialConstants[2] = [.. values];
        return y;
    }

    /// <summary>Each sample broadcast to <paramref name="shape"/> (numpy's rule both ways); backward sums the copies.</summary>
    public Value Expand(Value x, params int[] shape) => Single(new ExpandOp(shape), x);

    /// <summary>Each sample repeated <paramref name="repeats"/>[k] times along axis k; backward sums the tiles.</summary>
    public Value Tile(Value x, params int[] repeats) => Single(new TileOp(repeats), x);

    /// <summary>Each sample padded by before[k] and after[k] elements on axis k (negative crops), filled as <paramref name="mode"/> says.</summary>
    public Value Pad(Value x, int[] before, int[] after, PadMode mode = PadMode.Constant, float value = 0) => Single(new PadOp(before, after, mode, value), x);
}
