using Simd.Runtime.Onnx.Mapping;

namespace Simd.Runtime.Onnx.Folding;

/// <summary>
/// Cast and CastLike of constants between Float, Double, Int64, Int32 and Bool, with C's conversions as ONNX
/// Runtime makes them: a float to an integer truncates toward zero, a number to Bool is whether it is not 0, Bool
/// to a number is 0 or 1, and Int64 to Int32 keeps the low 32 bits. CastLike takes the element type of its second
/// input, which may be a computed value (always Float here).
/// </summary>
internal static class CastFolding
{
    public static (string OpType, ConstantFolder Fold)[] Folders =>
    [
        ("Cast", (c, n, i) => Convert(c, n, i[0]!, To(c, n))),
        ("CastLike", (c, n, i) => Convert(c, n, i[0]!, LikeType(c, n))),
    ];

    /// <summary>Cast's 'to' as an element type.</summary>
    public static OnnxDataType To(ImportContext context, OnnxNode node)
    {
        context.Require(node, node.Attribute("to") is not null, "the 'to' attribute is missing.");
        long to = node.Int("to", 0);
        context.Require(node, Enum.IsDefined(typeof(OnnxDataType), (int)to) && to != 0, $"'to' is {to}, which is no ONNX element type.");
        return (OnnxDataType)(int)to;
    }

    /// <summary>CastLike's target: the element type of its second input (a computed value is Float).</summary>
    public static OnnxDataType LikeType(ImportContext context, OnnxNode node)
    {
        context.Require(node, node.HasInput(1), "input 1 (the tensor whose element type to take) is missing.");
        if (context.KnownConstant(node, 1) is OnnxTensor like) return like.DataType;
        context.Tensor(node, 1);
        return OnnxDataType.Float;
    }

    public static OnnxTensor Convert(ImportContext context, OnnxNode node, OnnxTensor x, OnnxDataType to)
    {
        string name = node.Outputs[0];
        long[] dims = [.. x.Dims];
        if (x.DataType == to) return x.Named(name);
        switch (to)
        {
            case OnnxDataType.Float:
                return OnnxTensor.FromFloats(name, dims, x.DataType switch
                {
                    OnnxDataType.Double => [.. x.Doubles.ToArray().Select(v => (float)v)],
                    _ => [.. x.Int64s.ToArray().Select(v => (float)v)],
                });
            case OnnxDataType.Double:
                return OnnxTensor.FromDoubles(name, dims, x.DataType switch
                {
                    OnnxDataType.Float => [.. x.Floats.ToArray().Select(v => (double)v)],
                    _ => [.. x.Int64s.ToArray().Select(v => (double)v)],
                });
            case OnnxDataType.Int64 or OnnxDataType.Int32 or OnnxDataType.Bool:
                long[] values = x.DataType switch
                {
                    OnnxDataType.Float => [.. x.Floats.ToArray().Select(v => Integer(v, to))],
                    OnnxDataType.Double => [.. x.Doubles.ToArray().Select(v => Integer(v, to))],
                    _ => [.. x.Int64s.ToArray().Select(v => to switch { OnnxDataType.Bool => v != 0 ? 1L : 0L, OnnxDataType.Int32 => unchecked((int)v), _ => v })],
                };
                return OnnxTensor.FromInt64s(name, dims, to, values);
            default:
                throw context.Fail(node, $"{node.OpType} to {to}: the importer computes constants of Float, Double, Int64, Int32 and Bool only.");
        }
    }

    private static long Integer(double v, OnnxDataType to) => to switch
    {
        // NaN is not 0: C's conversion to bool gives true.
        OnnxDataType.Bool => v != 0 ? 1 : 0,
        OnnxDataType.Int32 => double.IsFinite(v) && v > int.MinValue - 1.0 && v < int.MaxValue + 1.0 ? (int)v : int.MinValue,
        _ => double.IsFinite(v) && v >= long.MinValue && v < long.MaxValue ? (long)v : long.MinValue,
    };
}
