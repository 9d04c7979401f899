using System.Globalization;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Abs, Neg, Exp, Log, Sqrt, Reciprocal, Erf and Clip as <see cref="UnaryMathOp"/> (of a constant, folded at import
/// by <see cref="Folding.ArithmeticFolding"/>).
/// Clip's bounds are attributes before opset 11 and optional constant inputs from 11 on; a missing bound is none.
/// </summary>
internal static class UnaryMapping
{
    public static OnnxOpMapping[] Mappings =>
    [
        Plain("Abs", UnaryFunction.Abs), Plain("Neg", UnaryFunction.Negate), Plain("Exp", UnaryFunction.Exp), Plain("Log", UnaryFunction.Log),
        Plain("Sqrt", UnaryFunction.Sqrt), Plain("Reciprocal", UnaryFunction.Reciprocal), new("Erf", 9, 1, (c, n) => Map(c, n, new UnaryMathOp(UnaryFunction.Erf))),
        new("Clip", OnnxOpTable.MinOpset, 3, Clip),
    ];

    private static OnnxOpMapping Plain(string opType, UnaryFunction f) => new(opType, OnnxOpTable.MinOpset, 1, (c, n) => Map(c, n, new UnaryMathOp(f)));

    private static void Map(ImportContext context, OnnxNode node, UnaryMathOp op)
    {
        context.Bind(node, context.Add(node, op, context.Data(node, 0)));
    }

    private static void Clip(ImportContext context, OnnxNode node)
    {
        float min, max;
        if (context.Opset < 11)
        {
            context.Require(node, node.Inputs.Count == 1, $"{node.Inputs.Count} inputs; before opset 11 Clip takes one, its bounds are attributes.");
            min = node.Float("min", float.NegativeInfinity);
            max = node.Float("max", float.PositiveInfinity);
        }
        else
        {
            min = Bound(context, node, 1, float.NegativeInfinity);
            max = Bound(context, node, 2, float.PositiveInfinity);
        }
        context.Require(node, !float.IsNaN(min) && !float.IsNaN(max), "a bound is NaN.");
        Map(context, node, new UnaryMathOp(UnaryFunction.Clip, min, max));
    }

    /// <summary>Clip-11's min or max: absent, or a constant holding one float.</summary>
    private static float Bound(ImportContext context, OnnxNode node, int index, float none)
    {
        if (!node.HasInput(index)) return none;
        string name = index == 1 ? "min" : "max";
        context.Require(node, context.IsConstant(node, index), $"{name} '{node.Inputs[index]}' is computed; the importer maps Clip with constant bounds.");
        OnnxTensor t = context.Weight(node, index, rank: null);
        context.Require(node, t.ElementCount == 1, string.Create(CultureInfo.InvariantCulture, $"{name} '{t.Name}' has shape {ImportContext.Dims(t)}; a bound is one value."));
        return t.Floats[0];
    }
}
