using Simd.Runtime.Onnx.Folding;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Cast and CastLike of a computed value, which is always Float here: to Float they add no node (the output names
/// the input's value); to any other element type they are refused, since the runtime computes in Float only.
/// Of a constant they are folded at import (<see cref="CastFolding"/>).
/// </summary>
internal static class CastMapping
{
    public static OnnxOpMapping[] Mappings =>
    [
        new("Cast", OnnxOpTable.MinOpset, 1, (c, n) => Cast(c, n, CastFolding.To(c, n))),
        new("CastLike", 15, 2, (c, n) => Cast(c, n, CastFolding.LikeType(c, n))),
    ];

    private static void Cast(ImportContext context, OnnxNode node, OnnxDataType to)
    {
        BoundTensor x = context.Tensor(node, 0);
        context.Require(node, to == OnnxDataType.Float, $"{node.OpType} to {to}: the runtime computes in Float (float32) only.");
        context.Bind(node, x);
    }
}
