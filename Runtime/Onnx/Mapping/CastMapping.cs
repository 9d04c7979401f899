using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Cast and CastLike to float or bool, the element types a graph of float32 values holds (a bool as 1 and 0):
/// a constant converts at import (CastLike(constant, X), as the expanded ONNX functions write a scalar of X's type);
/// a computed value cast to float is itself, and cast to bool is itself where a comparison or logical op made it
/// (already 1 or 0), else x or false (1 where x is not ±0). CastLike's target is its second input's type: a constant's
/// own, a computed value's float, or bool where a comparison made it.
/// </summary>
internal static class CastMapping
{
    public static OnnxOpMapping[] Mappings => [new("Cast", 6, 1, Cast), new("CastLike", 15, 2, CastLike)];

    private static void Cast(ImportContext context, OnnxNode node)
    {
        context.Require(node, node.Inputs.Count == 1 && node.HasInput(0), $"Cast with {node.Inputs.Count} inputs; expected 1.");
        context.Require(node, node.Attribute("to") is not null, "the 'to' attribute is missing.");
        long to = node.Int("to", 0);
        To(context, node, Enum.IsDefined(typeof(OnnxDataType), (int)to) ? (OnnxDataType)to : OnnxDataType.Undefined, $"to {to}");
    }

    private static void CastLike(ImportContext context, OnnxNode node)
    {
        context.Require(node, node.Inputs.Count == 2 && node.HasInput(0) && node.HasInput(1), $"CastLike with {node.Inputs.Count} inputs; expected 2 (input, target_type).");
        OnnxDataType to = context.Initializer(node, 1) is OnnxTensor like ? like.DataType
            : IsBoolean(context.Data(node, 1)) ? OnnxDataType.Bool : OnnxDataType.Float;
        To(context, node, to, $"like '{node.Inputs[1]}'");
    }

    private static void To(ImportContext context, OnnxNode node, OnnxDataType to, string target)
    {
        context.Require(node, to is OnnxDataType.Float or OnnxDataType.Bool,
            $"it casts to {(to == OnnxDataType.Undefined ? "an unknown type" : to.ToString())} ({target}); the importer maps casts to Float and Bool, the types a graph of float32 values holds.");
        if (context.IsConstant(node, 0))
        {
            OnnxTensor c = context.Initializer(node, 0)!;
            float[] values = c.DataType switch
            {
                OnnxDataType.Float => c.Floats.ToArray(),
                OnnxDataType.Double => [.. c.Doubles.ToArray().Select(d => (float)d)],
                OnnxDataType.Int64 or OnnxDataType.Int32 or OnnxDataType.Bool => [.. c.Int64s.ToArray().Select(v => (float)v)],
                _ => throw context.Fail(node, $"constant '{c.Name}' holds {c.DataType}; the importer casts Float, Double, Int64, Int32 and Bool constants."),
            };
            if (to == OnnxDataType.Bool) values = [.. values.Select(v => v != 0 ? 1f : 0f)];
            context.BindConstant(node, OnnxTensor.FromFloats(node.Outputs[0], [.. c.Dims], values));
            return;
        }
        Value x = context.Data(node, 0);
        if (to == OnnxDataType.Float || IsBoolean(x))
        {
            context.Bind(node, context.Tensor(node, 0));
            return;
        }
        var op = new BinaryOp(BinaryFunction.Or, Tensors.TensorShape.Scalar);
        Value y = context.Add(node, op, x);
        context.SetTensor(op, "constant", [0]);
        context.Bind(node, y);
    }

    /// <summary>True for a value a comparison or logical op made: already 1 or 0.</summary>
    private static bool IsBoolean(Value v) => v.Producer?.Op is BinaryOp { Function: >= BinaryFunction.Equal and <= BinaryFunction.Xor };
}
