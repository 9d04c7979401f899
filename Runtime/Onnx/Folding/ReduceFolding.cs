using Simd.Runtime.Intrinsics;
using Simd.Runtime.Onnx.Mapping;

namespace Simd.Runtime.Onnx.Folding;

/// <summary>
/// ReduceSum … ReduceSumSquare of Float constants (a loss's sum of the class weights it picked), through the kernel
/// <see cref="Ops.ReduceOp"/> runs, so a folded value has the bits the model would compute. The axes are read as the
/// mapping reads them (<see cref="ReduceMapping"/>): an attribute before the opset that made them an input, no axes
/// meaning every axis unless noop_with_empty_axes, keepdims keeping them as 1.
/// </summary>
internal static class ReduceFolding
{
    public static (string OpType, ConstantFolder Fold)[] Folders =>
    [
        Reduce("ReduceSum", ReduceFunction.Sum), Reduce("ReduceMean", ReduceFunction.Mean), Reduce("ReduceMax", ReduceFunction.Max),
        Reduce("ReduceMin", ReduceFunction.Min), Reduce("ReduceProd", ReduceFunction.Prod), Reduce("ReduceL1", ReduceFunction.L1),
        Reduce("ReduceL2", ReduceFunction.L2), Reduce("ReduceLogSumExp", ReduceFunction.LogSumExp), Reduce("ReduceSumSquare", ReduceFunction.SumSquare),
    ];

    private static (string, ConstantFolder) Reduce(string opType, ReduceFunction f) => (opType, (c, n, i) => Fold(c, n, f, i));

    private static OnnxTensor Fold(ImportContext context, OnnxNode node, ReduceFunction function, OnnxTensor?[] inputs)
    {
        OnnxTensor x = inputs[0]!;
        context.Require(node, x.DataType == OnnxDataType.Float, $"{node.OpType} of the {x.DataType} constant '{x.Name}'; the importer folds it for Float constants.");
        int rank = x.Dims.Count;
        long[] axes;
        if (context.Opset >= ReduceMapping.AxesInputSince(function))
        {
            context.Require(node, node.Attribute("axes") is null, $"has an 'axes' attribute; from opset {ReduceMapping.AxesInputSince(function)} on {node.OpType} takes its axes as input 1.");
            OnnxTensor? given = inputs.Length > 1 ? inputs[1] : null;
            context.Require(node, given is null || (given.DataType is OnnxDataType.Int64 or OnnxDataType.Int32 && given.Dims.Count <= 1),
                $"the axes '{(node.HasInput(1) ? node.Inputs[1] : "")}' must be an int64 vector.");
            axes = given is null ? [] : given.Int64s.ToArray();
            if (axes.Length == 0 && node.Int("noop_with_empty_axes", 0) != 0) return x;
        }
        else
        {
            context.Require(node, !node.HasInput(1), $"has an axes input; before opset {ReduceMapping.AxesInputSince(function)} {node.OpType} takes its axes as the 'axes' attribute.");
            axes = [.. node.Ints("axes")];
        }
        var reduced = new bool[rank + 1];
        if (axes.Length == 0) Array.Fill(reduced, true, 1, rank);
        foreach (long axis in axes)
        {
            context.Require(node, axis >= -rank && axis < rank, $"axis {axis} is outside the {rank} dimensions of '{x.Name}' {ImportContext.Dims(x)}.");
            int a = (int)(axis < 0 ? axis + rank : axis) + 1;
            context.Require(node, !reduced[a], $"axis {axis} is given twice in axes [{string.Join(", ", axes)}].");
            reduced[a] = true;
        }
        if (rank == 0) return x;
        // The kernel's layout: a batch of one in front.
        int[] dims = [1, .. x.Dims.Select(d => (int)d)];
        bool keepDims = node.Int("keepdims", 1) != 0;
        long[] outDims = [.. Enumerable.Range(1, rank).Where(a => !reduced[a] || keepDims).Select(a => reduced[a] ? 1 : x.Dims[a - 1])];
        var y = new float[AxisReductions.OutputLength(dims, reduced)];
        var scratch = new float[AxisReductions.ScratchLength(function, x.ElementCount, y.Length, backward: false)];
        AxisReductions.Forward(function, x.Floats, dims, reduced, y, scratch);
        return OnnxTensor.FromFloats(node.Outputs[0], outDims, y);
    }
}
