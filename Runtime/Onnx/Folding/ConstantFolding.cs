using Simd.Runtime.Onnx.Mapping;

namespace Simd.Runtime.Onnx.Folding;

/// <summary>Computes one node's output from its constant inputs (null for an absent optional input).</summary>
internal delegate OnnxTensor ConstantFolder(ImportContext context, OnnxNode node, OnnxTensor?[] inputs);

/// <summary>
/// Constant folding at import: a node whose every input is a constant (an initializer, a Constant node, a value
/// folded before it, or a shape computation whose every entry is known) is evaluated into a constant, which later
/// nodes read as they read an initializer: a computed value's operand, a weight, a shape or axes. Folding runs
/// before the op table, so the graph's constant subgraphs (an exporter's Cast of an epsilon, a Concat of fixed
/// shapes, a weight reshaped or transposed) add no node. The model's output must still depend on its input: a
/// folded value that is a graph output is refused.
/// </summary>
internal static class ConstantFolding
{
    private static readonly Dictionary<string, ConstantFolder> Folders =
        new[] { ArithmeticFolding.Folders, CastFolding.Folders, LayoutFolding.Folders, ReduceFolding.Folders }.SelectMany(f => f).ToDictionary(f => f.OpType, f => f.Fold, StringComparer.Ordinal);

    /// <summary>Folds the node when it is foldable and its inputs are constant; false leaves it to its mapping.</summary>
    public static bool TryFold(ImportContext context, OnnxNode node)
    {
        // Every op folded reads its input 0; without it the op's mapping says what is missing.
        if (!Folders.TryGetValue(node.OpType, out ConstantFolder? fold) || node.Outputs.Count != 1 || node.Outputs[0].Length == 0 || !node.HasInput(0)
            || context.Opset < OnnxOpTable.MinOpset || context.Opset > OnnxOpTable.MaxOpset)
            return false;
        var inputs = new OnnxTensor?[node.Inputs.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!node.HasInput(i)) continue;
            // CastLike reads only the element type of its second input, which may be computed.
            if (node.OpType == "CastLike" && i == 1) continue;
            inputs[i] = context.KnownConstant(node, i);
            if (inputs[i] is null) return SizeOfShape(context, node);
        }
        if (node.OpType == "CastLike" && !node.HasInput(1)) return false;
        foreach (OnnxTensor? t in inputs)
            if (t is not null && !ConstantElements.Computable(t))
                throw context.Fail(node, $"constant '{t.Name}' holds {t.DataType}; the importer computes constants of Float, Double, Int64, Int32 and Bool only.");
        OnnxTensor result = fold(context, node, inputs);
        context.BindConstant(node, result.Named(node.Outputs[0]));
        return true;
    }

    /// <summary>Size of a shape computation: its entry count, known even where the batch entry is not.</summary>
    private static bool SizeOfShape(ImportContext context, OnnxNode node)
    {
        if (node.OpType != "Size" || context.Shape(node, 0) is not ShapeTensor shape) return false;
        context.BindConstant(node, OnnxTensor.FromInt64s(node.Outputs[0], [], OnnxDataType.Int64, [shape.Scalar ? 1 : shape.Entries.Length]));
        return true;
    }

    /// <summary>Refuses a result of more than <see cref="ConstantElements.MaxValues"/> values before it is allocated.</summary>
    public static void RequireSize(ImportContext context, OnnxNode node, long[] dims)
    {
        long count = 1;
        foreach (long d in dims)
        {
            context.Require(node, d >= 0, $"the result would have the negative dimension {d}.");
            count *= Math.Max(d, 1);
            context.Require(node, count <= ConstantElements.MaxValues,
                $"the folded constant would have shape [{string.Join(", ", dims)}]; the importer folds at most {ConstantElements.MaxValues} values.");
        }
    }
}
