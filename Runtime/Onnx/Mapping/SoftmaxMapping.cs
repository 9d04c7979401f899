using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Softmax over the last axis as <see cref="SoftmaxOp"/>. Before opset 13 ONNX's Softmax flattened the input at
/// its axis into rows; that equals the last-axis softmax only when the axis is the last one, so only that is
/// mapped in every opset. A Softmax over the features that is the graph's output is left out and reported as
/// <see cref="OnnxImportResult.EndsWithSoftmax"/>: the model outputs logits, which train with the fused
/// softmax cross-entropy loss.
/// </summary>
internal static class SoftmaxMapping
{
    public static OnnxOpMapping[] Mappings => [new("Softmax", OnnxOpTable.MinOpset, 1, Softmax)];

    private static void Softmax(ImportContext context, OnnxNode node)
    {
        Value x = context.Data(node, 0);
        long axis = node.Int("axis", context.Opset >= 13 ? -1 : 1);
        int full = context.FullAxis(node, axis, x.SampleShape);
        context.Require(node, full == x.SampleShape.Rank,
            $"axis {axis} of a {x.SampleShape.Rank + 1}-dimensional input; only the last axis is supported.");
        if (node.HasInput(0) && node.Outputs.Count >= 1 && node.Outputs[0] == context.OutputName && x.SampleShape.Rank == 1 && x.Producer is not null)
        {
            context.Bind(node, x);
            context.EndsWithSoftmax = true;
            return;
        }
        context.Bind(node, context.Add(node, new SoftmaxOp(), x));
    }
}
