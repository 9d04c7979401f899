using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Flatten and Reshape that keep the batch dimension: Flatten (axis 1) becomes <see cref="FlattenOp"/>, Reshape
/// to a constant shape whose batch entry is 0 or −1 (or a shape computed from the input's, with the batch first)
/// becomes <see cref="ReshapeOp"/> over the sample dimensions. In a
/// graph imported as one sample (no batch axis) both reshape the whole tensor.
/// </summary>
internal static class ShapeMapping
{
    public static OnnxOpMapping[] Mappings =>
    [
        new("Flatten", OnnxOpTable.MinOpset, 1, Flatten),
        new("Reshape", OnnxOpTable.MinOpset, 2, Reshape),
    ];

    private static void Flatten(ImportContext context, OnnxNode node)
    {
        Value x = context.Data(node, 0);
        long axis = node.Int("axis", 1);
        if (context.OneSample)
        {
            // No batch: the whole tensor becomes [rows, columns], a reshape.
            int rank = x.SampleShape.Rank;
            context.Require(node, axis >= -rank && axis <= rank, $"axis {axis} is outside [{-rank}, {rank}] for the input {x.SampleShape}.");
            var (rows, columns) = OnnxShapes.Flatten([.. x.SampleShape.ToArray().Select(d => (long)d)], axis);
            context.Bind(node, context.Add(node, new ReshapeOp((int)rows, (int)columns), x));
            return;
        }
        context.Require(node, context.FullAxis(node, axis, x.SampleShape) == 1, $"axis {axis}; only axis 1 (keep the batch) is supported.");
        context.Bind(node, context.Add(node, new FlattenOp(), x));
    }

    /// <summary>
    /// Reshape's shape: a constant int64 vector, or one computed from shapes whose only unknown entry is the batch, first
    /// (PyTorch's x.view(x.size(0), -1)), which keeps the batch as a 0 would.
    /// </summary>
    private static long[] Dims(ImportContext context, OnnxNode node)
    {
        if (!context.IsConstant(node, 1) && context.Shape(node, 1) is { Scalar: false } computed)
        {
            context.Require(node, computed.Entries.Skip(1).All(e => e is not null) && computed.Entries.Length >= 1,
                $"the shape '{node.Inputs[1]}' is {computed.Text}; a computed shape may leave only its first entry, the batch, unknown.");
            return [.. computed.Entries.Select(e => e ?? 0)];
        }
        return context.Constant(node, 1, OnnxDataType.Int64, rank: 1).Int64s.ToArray();
    }

    private static void Reshape(ImportContext context, OnnxNode node)
    {
        Value x = context.Data(node, 0);
        ReadOnlySpan<long> dims = Dims(context, node);
        string text = $"[{string.Join(", ", dims.ToArray())}]";
        if (context.OneSample)
        {
            // No batch: every entry is the sample's, and ReshapeOp applies ONNX's 0 and -1 to them.
            context.Require(node, dims.Length >= 1 && dims.Length <= TensorShape.MaxRank, $"shape {text}: expected 1 to {TensorShape.MaxRank} dimensions.");
            foreach (long d in dims)
            {
                context.Require(node, d is >= -1 and <= int.MaxValue, $"shape {text} holds {d}; expected sizes, 0 (keep) or one -1.");
                context.Require(node, !(d == 0 && node.Int("allowzero", 0) != 0), $"shape {text} with allowzero = 1 asks for an empty dimension.");
            }
            context.Require(node, dims.ToArray().Count(d => d == -1) <= 1, $"shape {text} holds more than one -1.");
            context.Bind(node, context.Add(node, new ReshapeOp([.. dims.ToArray().Select(d => (int)d)]), x));
            return;
        }
        context.Require(node, dims.Length >= 2 && dims.Length <= TensorShape.MaxRank + 1,
            $"shape {text}: expected the batch and 1 to {TensorShape.MaxRank} sample dimensions.");
        context.Require(node, dims[0] is 0 or -1, $"shape {text} fixes the batch at {dims[0]}; its first entry must be 0 or -1 (keep the batch), or the graph imported as one sample.");
        var sample = new int[dims.Length - 1];
        for (int i = 1; i < dims.Length; i++)
        {
            context.Require(node, dims[i] is >= -1 and <= int.MaxValue, $"shape {text} holds {dims[i]}; expected sizes, 0 (keep) or one -1.");
            context.Require(node, !(dims[0] == -1 && dims[i] == -1), $"shape {text} leaves both the batch and a sample dimension to be inferred.");
            context.Require(node, !(dims[i] == 0 && node.Int("allowzero", 0) != 0), $"shape {text} with allowzero = 1 asks for an empty dimension.");
            sample[i - 1] = (int)dims[i];
        }
        context.Require(node, sample.Count(d => d == -1) <= 1, $"shape {text} holds more than one -1.");
        context.Bind(node, context.Add(node, new ReshapeOp(sample), x));
    }
}
