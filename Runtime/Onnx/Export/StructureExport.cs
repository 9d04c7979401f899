using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Export;

/// <summary>
/// The ops without weights that shape or join values: Flatten (axis 1), Reshape to [0, sample…], Add (of two values, or
/// of a bias initializer broadcast over the batch), Concat (our sample axis k is ONNX's k + 1), and Dropout, which at
/// inference passes its input on and writes no node.
/// </summary>
internal static class StructureExport
{
    public static void Flatten(ExportContext context, Node node) =>
        context.Add(node, "Flatten", [context.Name(node.Inputs[0])], [context.Name(node.Outputs[0])], OnnxWriter.IntAttribute("axis", 1));

    public static void Reshape(ExportContext context, Node node) =>
        context.Reshape(node, context.Name(node.Inputs[0]), node.Outputs[0].SampleShape, context.Name(node.Outputs[0]));

    public static void Add(ExportContext context, Node node)
    {
        var op = (AddOp)node.Op;
        string second = op.WithBias
            ? context.Tensor(node, "bias", [1, .. ExportContext.Dims(node.Inputs[0].SampleShape)])
            : context.Name(node.Inputs[1]);
        context.Add(node, "Add", [context.Name(node.Inputs[0]), second], [context.Name(node.Outputs[0])]);
    }

    public static void Concat(ExportContext context, Node node)
    {
        var op = (ConcatOp)node.Op;
        int rank = node.Inputs[0].SampleShape.Rank;
        long axis = (op.Axis < 0 ? op.Axis + rank : op.Axis) + 1;
        context.Add(node, "Concat", [.. node.Inputs.Select(context.Name)], [context.Name(node.Outputs[0])], OnnxWriter.IntAttribute("axis", axis));
    }

    public static void Dropout(ExportContext context, Node node) => context.Alias(node.Outputs[0], context.Name(node.Inputs[0]));
}
