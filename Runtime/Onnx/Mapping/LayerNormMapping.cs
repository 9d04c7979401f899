using System.Globalization;
using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// LayerNormalization (opset 17 on) as <see cref="LayerNormOp"/> over the axes from <c>axis</c> on, with the constant
/// Scale and optional B spread to the normalized shape as its scale and bias (no B: no bias). An axis that takes in
/// the batch (0, or a negative one reaching it) is refused: the scale's shape would then fix the batch size and each
/// sample's output depend on the others. The statistics are computed in float, what stash_type 1 (the default)
/// asks; another stash_type is refused. The Mean and InvStdDev outputs may be named, but Bind refuses them when
/// anything reads them: the op keeps them for its own backward only.
/// </summary>
internal static class LayerNormMapping
{
    public static OnnxOpMapping[] Mappings => [new("LayerNormalization", 17, 3, LayerNorm)];

    private static void LayerNorm(ImportContext context, OnnxNode node)
    {
        Value x = context.Data(node, 0);
        long axis = node.Int("axis", -1);
        int full = context.FullAxis(node, axis, x.SampleShape);
        context.Require(node, full >= 1,
            $"axis {axis} of {ImportContext.FullShape(x)} normalizes over the batch dimension; only sample axes are supported (1 to {x.SampleShape.Rank}, or -{x.SampleShape.Rank} to -1).");
        float epsilon = node.Float("epsilon", 1e-5f);
        context.Require(node, epsilon > 0 && float.IsFinite(epsilon),
            string.Create(CultureInfo.InvariantCulture, $"epsilon {epsilon} is not positive and finite."));
        long stash = node.Int("stash_type", 1);
        context.Require(node, stash == 1, $"attribute 'stash_type' is {stash}; only 1 (statistics in float32) is supported.");
        TensorShape normalized = x.SampleShape.Tail(full - 1);
        float[] scale = Spread(context, node, 1, "Scale", normalized, x, axis);
        float[]? bias = node.HasInput(2) ? Spread(context, node, 2, "B", normalized, x, axis) : null;
        var op = new LayerNormOp(full, epsilon, scale: true, bias: bias is not null);
        Value y = context.Add(node, op, x);
        context.SetTensor(op, "scale", scale);
        if (bias is not null) context.SetTensor(op, "bias", bias);
        context.Bind(node, y);
    }

    /// <summary>A constant broadcast (numpy rules, right-aligned) to the normalized shape.</summary>
    private static float[] Spread(ImportContext context, OnnxNode node, int index, string role, TensorShape normalized, Value x, long axis)
    {
        OnnxTensor t = context.Weight(node, index, rank: null);
        IReadOnlyList<long> dims = t.Dims;
        int skip = dims.Count - normalized.Rank;
        bool fits = skip <= 0 || dims.Take(skip).All(d => d == 1);
        for (int k = 1; fits && k <= Math.Min(dims.Count, normalized.Rank); k++)
            fits = dims[^k] == 1 || dims[^k] == normalized[normalized.Rank - k];
        context.Require(node, fits,
            $"{role} '{t.Name}' has shape {ImportContext.Dims(t)}, which does not broadcast to the normalized shape [{string.Join(", ", normalized.ToArray())}] (the axes of {ImportContext.FullShape(x)} from axis {axis} on).");
        // Each normalized position reads the constant at its own indices, 0 along the constant's axes of size 1.
        int rank = normalized.Rank;
        var strides = new long[rank];
        long stride = 1;
        for (int k = 1; k <= rank; k++)
        {
            long size = k <= dims.Count ? dims[^k] : 1;
            strides[rank - k] = size == 1 ? 0 : stride;
            stride *= size;
        }
        ReadOnlySpan<float> values = t.Floats;
        var spread = new float[normalized.Length];
        for (int i = 0; i < spread.Length; i++)
        {
            long at = 0;
            int rest = i;
            for (int k = rank - 1; k >= 0; k--)
            {
                at += rest % normalized[k] * strides[k];
                rest /= normalized[k];
            }
            spread[i] = values[(int)at];
        }
        return spread;
    }
}
