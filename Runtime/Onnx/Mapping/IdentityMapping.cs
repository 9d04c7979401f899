namespace Simd.Runtime.Onnx.Mapping;

/// <summary>Identity adds no node: its output names the same value as its input.</summary>
internal static class IdentityMapping
{
    public static OnnxOpMapping[] Mappings => [new("Identity", OnnxOpTable.MinOpset, 1, (context, node) => context.Bind(node, context.Tensor(node, 0)))];
}
