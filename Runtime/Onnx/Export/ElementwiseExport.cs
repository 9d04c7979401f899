using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Export;

/// <summary>
/// The elementwise math ops as the ONNX ops they were imported from: a unary function as Abs, Neg, Exp, Log, Sqrt,
/// Reciprocal, Erf, or Clip with its bounds as scalar initializers (min, max inputs, opset 11 on); a binary function
/// as Add, Sub, Mul, Div, Pow, Max or Min of two values, or of a value and the op's constant as an initializer of its
/// own shape (numpy's broadcasting aligns it with the sample axes from the last, over the batch), on the side it is.
/// </summary>
internal static class ElementwiseExport
{
    public static void Unary(ExportContext context, Node node)
    {
        var op = (UnaryMathOp)node.Op;
        string x = context.Name(node.Inputs[0]), y = context.Name(node.Outputs[0]);
        if (op.Function == UnaryFunction.Clip)
        {
            // An unbounded side is an empty input name: ONNX's Clip then has no bound there.
            string min = float.IsNegativeInfinity(op.Min) ? "" : context.Floats(node, "min", [], [op.Min]);
            string max = float.IsPositiveInfinity(op.Max) ? "" : context.Floats(node, "max", [], [op.Max]);
            context.Add(node, "Clip", max.Length == 0 ? (min.Length == 0 ? [x] : [x, min]) : [x, min, max], [y]);
            return;
        }
        string opType = op.Function switch
        {
            UnaryFunction.Abs => "Abs",
            UnaryFunction.Negate => "Neg",
            UnaryFunction.Exp => "Exp",
            UnaryFunction.Log => "Log",
            UnaryFunction.Sqrt => "Sqrt",
            UnaryFunction.Reciprocal => "Reciprocal",
            _ => "Erf",
        };
        context.Add(node, opType, [x], [y]);
    }

    public static void Binary(ExportContext context, Node node)
    {
        var op = (BinaryOp)node.Op;
        string opType = op.Function switch
        {
            BinaryFunction.Add => "Add",
            BinaryFunction.Subtract => "Sub",
            BinaryFunction.Multiply => "Mul",
            BinaryFunction.Divide => "Div",
            BinaryFunction.Power => "Pow",
            BinaryFunction.Maximum => "Max",
            BinaryFunction.Minimum => "Min",
            _ => "",
        };
        string a = context.Name(node.Inputs[0]);
        string[] inputs;
        if (op.ConstantShape is { } shape)
        {
            string constant = context.Floats(node, "constant", ExportContext.Dims(shape), op.Constant);
            inputs = op.ConstantFirst ? [constant, a] : [a, constant];
        }
        else
        {
            inputs = [a, context.Name(node.Inputs[1])];
        }
        if (SelectExport.IsComparison(op.Function)) SelectExport.Comparison(context, node, op.Function, inputs);
        else context.Add(node, opType, inputs, [context.Name(node.Outputs[0])]);
    }
}
