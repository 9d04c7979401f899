using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceL1, ReduceL2, ReduceLogSumExp and ReduceSumSquare
/// as <see cref="ReduceOp"/> over sample axes. The axes are an attribute before opset 13 (ReduceSum) or 18 (the
/// others) and an optional constant input from then on, when noop_with_empty_axes = 1 with no axes makes the node
/// an identity. No axes otherwise means every axis, the batch's too; a reduction over the batch mixes samples,
/// which the runtime's ops never do, so it is refused; in a graph imported as one sample every axis is the sample's,
/// so no axes, or axis 0, reduce the sample. Axes of the ONNX tensor map to the value's sample axes around wherever
/// the batch is.
/// </summary>
internal static class ReduceMapping
{
    public static OnnxOpMapping[] Mappings =>
    [
        Reduce("ReduceSum", ReduceFunction.Sum, axesInputSince: 13),
        Reduce("ReduceMean", ReduceFunction.Mean, axesInputSince: 18),
        Reduce("ReduceMax", ReduceFunction.Max, axesInputSince: 18),
        Reduce("ReduceMin", ReduceFunction.Min, axesInputSince: 18),
        Reduce("ReduceProd", ReduceFunction.Prod, axesInputSince: 18),
        Reduce("ReduceL1", ReduceFunction.L1, axesInputSince: 18),
        Reduce("ReduceL2", ReduceFunction.L2, axesInputSince: 18),
        Reduce("ReduceLogSumExp", ReduceFunction.LogSumExp, axesInputSince: 18),
        Reduce("ReduceSumSquare", ReduceFunction.SumSquare, axesInputSince: 18),
    ];

    /// <summary>The opset from which an op type takes its axes as an input (the exporter writes them the same way).</summary>
    public static long AxesInputSince(ReduceFunction function) => function == ReduceFunction.Sum ? 13 : 18;

    private static OnnxOpMapping Reduce(string opType, ReduceFunction function, long axesInputSince) =>
        new(opType, OnnxOpTable.MinOpset, 2, (context, node) => Map(context, node, function, axesInputSince));

    private static void Map(ImportContext context, OnnxNode node, ReduceFunction function, long axesInputSince)
    {
        BoundTensor x = context.Tensor(node, 0);
        bool keepDims = node.Int("keepdims", 1) != 0;
        IReadOnlyList<long> axes;
        if (context.Opset >= axesInputSince)
        {
            context.Require(node, node.Attribute("axes") is null,
                $"has an 'axes' attribute; from opset {axesInputSince} on {node.OpType} takes its axes as input 1.");
            axes = AxesInput(context, node);
            if (axes.Count == 0 && node.Int("noop_with_empty_axes", 0) != 0)
            {
                context.Bind(node, x);
                return;
            }
        }
        else
        {
            context.Require(node, !node.HasInput(1),
                $"has an axes input; before opset {axesInputSince} {node.OpType} takes its axes as the 'axes' attribute.");
            axes = node.Ints("axes");
        }

        int rank = x.Rank;
        var reduced = new bool[rank];
        if (axes.Count == 0) Array.Fill(reduced, true);
        foreach (long axis in axes)
        {
            int a = AxisMapping.Axis(context, node, axis, rank);
            context.Require(node, !reduced[a], $"axis {axis} is given twice in axes [{string.Join(", ", axes)}].");
            reduced[a] = true;
        }
        // Imported as one sample (no batch axis), every axis is the sample's.
        if (x.BatchAxis >= 0 && reduced[x.BatchAxis])
            throw context.Fail(node, axes.Count == 0
                ? $"no axes means every axis of {x.Shape}, the batch N's too; the importer maps reductions over the sample axes only (a reduction over the batch mixes samples): list the axes other than {x.BatchAxis}."
                : $"axes [{string.Join(", ", axes)}] of {x.Shape} include the batch N (axis {x.BatchAxis}); the importer maps reductions over the sample axes only (a reduction over the batch mixes samples).");

        int[] sampleAxes = [.. Enumerable.Range(0, rank).Where(a => reduced[a]).Select(a => x.BatchAxis < 0 || a < x.BatchAxis ? a : a - 1)];
        Value y = context.Add(node, new ReduceOp(function, sampleAxes, keepDims), context.Materialize(node, x, x.Dims));
        context.Bind(node, x.BatchAxis <= 0 ? context.Bound(y) : Reduced(x, reduced, keepDims) with { Value = y });
    }

    /// <summary>The ONNX view of the result where the batch is not on axis 0: the kept axes, the reduced ones as 1 when kept.</summary>
    private static BoundTensor Reduced(BoundTensor x, bool[] reduced, bool keepDims)
    {
        var dims = new List<int>();
        int batch = 0;
        for (int a = 0; a < reduced.Length; a++)
        {
            if (a == x.BatchAxis) { batch = dims.Count; continue; }
            if (!reduced[a]) dims.Add(x.Size(a));
            else if (keepDims) dims.Add(1);
        }
        return new BoundTensor(null, [.. dims], batch);
    }

    private static IReadOnlyList<long> AxesInput(ImportContext context, OnnxNode node)
    {
        if (!node.HasInput(1)) return [];
        ShapeTensor? axes = context.Shape(node, 1);
        context.Require(node, axes is { Scalar: false } && axes.Entries.All(e => e is not null),
            $"the axes '{node.Inputs[1]}' must be a constant int64 vector.");
        return [.. axes!.Entries.Select(e => e!.Value)];
    }
}
