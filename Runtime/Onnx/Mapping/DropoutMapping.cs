using System.Globalization;
using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Dropout as <see cref="DropoutOp"/> with the graph's ratio (an attribute before opset 12, a constant input
/// after), so fine-tuning the imported model keeps it; evaluation and freezing treat it as the identity.
/// </summary>
internal static class DropoutMapping
{
    public static OnnxOpMapping[] Mappings => [new("Dropout", OnnxOpTable.MinOpset, 3, Dropout)];

    private static void Dropout(ImportContext context, OnnxNode node)
    {
        Value x = context.Data(node, 0);
        float rate = 0.5f;
        if (context.Opset < 12) rate = node.Float("ratio", 0.5f);
        else if (node.HasInput(1))
        {
            OnnxTensor ratio = context.Weight(node, 1, rank: null);
            context.Require(node, ratio.ElementCount == 1, "ratio is not a scalar.");
            rate = ratio.Floats[0];
        }
        context.Require(node, rate is >= 0 and < 1, string.Create(CultureInfo.InvariantCulture, $"ratio {rate} is outside [0, 1)."));
        context.Bind(node, context.Add(node, new DropoutOp(rate), x));
    }
}
