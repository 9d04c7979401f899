using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Export;

/// <summary>
/// Slice as ONNX's Slice over the sample axes (1 on; an end past the beginning as INT64 min, which ONNX clamps to
/// "before the first" when walking backwards). GatherElements picks the same elements of every sample, which ONNX's
/// GatherElements cannot say without indices for the whole batch: it is written as a Reshape of each sample to one
/// row, a Gather of the picked elements along it, and a Reshape back to the output's sample shape.
/// </summary>
internal static class SliceExport
{
    public static void Slice(ExportContext context, Node node)
    {
        var op = (SliceOp)node.Op;
        int rank = op.Starts.Count;
        long[] starts = [.. op.Starts.Select(s => (long)s)];
        long[] ends = [.. Enumerable.Range(0, rank).Select(k =>
        {
            long end = op.Starts[k] + ((long)op.Counts[k] * op.Steps[k]);
            return end < 0 ? long.MinValue : end;
        })];
        long[] axes = [.. Enumerable.Range(1, rank).Select(a => (long)a)];
        long[] steps = [.. op.Steps.Select(s => (long)s)];
        context.Add(node, "Slice",
            [context.Name(node.Inputs[0]), context.Int64s(node, "starts", starts), context.Int64s(node, "ends", ends), context.Int64s(node, "axes", axes), context.Int64s(node, "steps", steps)],
            [context.Name(node.Outputs[0])]);
    }

    public static void GatherElements(ExportContext context, Node node)
    {
        var op = (GatherElementsOp)node.Op;
        string rows = context.Fresh(node, "/rows"), picked = context.Fresh(node, "/picked");
        context.Reshape(node, context.Name(node.Inputs[0]), new Tensors.TensorShape(node.Inputs[0].SampleLength), rows);
        context.Add(node, "Gather", [rows, context.Int64s(node, "indices", [.. op.Sources.Select(i => (long)i)])], [picked], OnnxWriter.IntAttribute("axis", 1));
        context.Reshape(node, picked, node.Outputs[0].SampleShape, context.Name(node.Outputs[0]));
    }
}
