using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Concat of computed values along a sample axis as <see cref="ConcatOp"/>: ONNX counts axes over [batch,
/// sample…], ours over the sample, so ONNX axis k is our k − 1; joining along the batch (axis 0) is refused. A Concat
/// of shapes is evaluated at import (<see cref="ShapeComputationMapping"/>).
/// </summary>
internal static class ConcatMapping
{
    public static OnnxOpMapping[] Mappings => [new("Concat", OnnxOpTable.MinOpset, int.MaxValue, Concat)];

    private static void Concat(ImportContext context, OnnxNode node)
    {
        context.Require(node, node.Inputs.Count >= 1, "Concat without inputs.");
        if (ShapeComputationMapping.TryConcat(context, node)) return;
        var inputs = new Value[node.Inputs.Count];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = context.Data(node, i);
        context.Require(node, node.Attribute("axis") is not null, "the axis attribute is missing.");
        long axis = node.Int("axis", 0);
        int full = context.FullAxis(node, axis, inputs[0].SampleShape);
        context.Require(node, full > 0, $"axis {axis} joins along the batch (axis 0); only the sample axes 1 … {inputs[0].SampleShape.Rank} can be joined.");
        context.Bind(node, context.Add(node, new ConcatOp(full - 1), inputs));
    }
}
