using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Export;

/// <summary>
/// Expand, Tile and Pad as ONNX's ops of the same names, with the batch axis left alone: Expand to [1, output sample…]
/// (after a Reshape adding the leading axes an Expand to more axes makes, which ONNX would otherwise align with the
/// batch), Tile by [1, repeats…], Pad (opset 11's form, wrap from 19) by [0, before…, 0, after…] with the constant
/// as a scalar initializer.
/// </summary>
internal static class AxisMapExport
{
    public static void Expand(ExportContext context, Node node)
    {
        var sample = node.Outputs[0].SampleShape;
        string x = context.Name(node.Inputs[0]);
        if (node.Inputs[0].SampleShape.Rank < sample.Rank)
        {
            int[] padded = [.. Enumerable.Repeat(1, sample.Rank - node.Inputs[0].SampleShape.Rank), .. node.Inputs[0].SampleShape.ToArray()];
            string reshaped = context.Fresh(node, "/reshaped");
            context.Reshape(node, x, new Tensors.TensorShape(padded), reshaped);
            x = reshaped;
        }
        context.Add(node, "Expand", [x, context.Int64s(node, "shape", [1, .. ExportContext.Dims(sample)])], [context.Name(node.Outputs[0])]);
    }

    public static void Tile(ExportContext context, Node node)
    {
        var op = (TileOp)node.Op;
        context.Add(node, "Tile", [context.Name(node.Inputs[0]), context.Int64s(node, "repeats", [1, .. op.Repeats.Select(r => (long)r)])],
            [context.Name(node.Outputs[0])]);
    }

    public static void Pad(ExportContext context, Node node)
    {
        var op = (PadOp)node.Op;
        if (op.Mode == PadMode.Wrap) context.RequireOpset(19);
        long[] pads = [0, .. op.Before.Select(c => (long)c), 0, .. op.After.Select(c => (long)c)];
        string[] inputs = op.Mode == PadMode.Constant
            ? [context.Name(node.Inputs[0]), context.Int64s(node, "pads", pads), context.Floats(node, "constant_value", [], [op.Value])]
            : [context.Name(node.Inputs[0]), context.Int64s(node, "pads", pads)];
        context.Add(node, "Pad", inputs, [context.Name(node.Outputs[0])], OnnxWriter.StringAttribute("mode", PadOp.ModeName(op.Mode)));
    }
}
