using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Export;

/// <summary>
/// The comparison, logical and selection ops, with every value of the exported graph kept float32 as inside ours:
/// a comparison is ONNX's Equal, Less, … followed by a Cast to float; And, Or and Xor Cast their operands to bool
/// first; Where Casts its condition to bool (ONNX's Where takes a bool condition). A constant operand is a float
/// initializer of its own shape, on its side.
/// </summary>
internal static class SelectExport
{
    private const long Bool = 9, Float = 1;

    public static bool IsComparison(BinaryFunction f) => f is >= BinaryFunction.Equal and <= BinaryFunction.Xor;

    public static void Comparison(ExportContext context, Node node, BinaryFunction f, string[] inputs)
    {
        bool logical = f is BinaryFunction.And or BinaryFunction.Or or BinaryFunction.Xor;
        string opType = f switch
        {
            BinaryFunction.Equal => "Equal",
            BinaryFunction.Less => "Less",
            BinaryFunction.LessOrEqual => "LessOrEqual",
            BinaryFunction.Greater => "Greater",
            BinaryFunction.GreaterOrEqual => "GreaterOrEqual",
            BinaryFunction.And => "And",
            BinaryFunction.Or => "Or",
            _ => "Xor",
        };
        if (f is BinaryFunction.LessOrEqual or BinaryFunction.GreaterOrEqual) context.RequireOpset(12);
        string[] operands = logical ? [.. inputs.Select(i => Cast(context, node, i, Bool))] : inputs;
        string result = context.Fresh(node, "/" + opType + "_bool");
        context.Add(node, opType, operands, [result]);
        context.Add(node, "Cast", [result], [context.Name(node.Outputs[0])], OnnxWriter.IntAttribute("to", Float));
    }

    public static void Where(ExportContext context, Node node)
    {
        var op = (WhereOp)node.Op;
        string[] names = ["condition", "a", "b"];
        var operands = new string[3];
        int input = 0;
        for (int o = 0; o < 3; o++)
            operands[o] = op.ConstantShape(o) is { } shape
                ? context.Floats(node, names[o], ExportContext.Dims(shape), op.Constant(o))
                : context.Name(node.Inputs[input++]);
        operands[0] = Cast(context, node, operands[0], Bool);
        context.Add(node, "Where", operands, [context.Name(node.Outputs[0])]);
    }

    private static string Cast(ExportContext context, Node node, string input, long to)
    {
        string output = context.Fresh(node, "/" + input + "_bool");
        context.Add(node, "Cast", [input], [output], OnnxWriter.IntAttribute("to", to));
        return output;
    }
}
