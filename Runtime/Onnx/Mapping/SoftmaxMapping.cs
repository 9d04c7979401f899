using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Softmax and LogSoftmax as <see cref="SoftmaxOp"/> over the last axis of a view. From opset 13 on they normalise
/// along one axis (default −1): where every axis after it has size 1 the axis is the runs of a reshape; along any
/// other axis but the batch's, as x − logsumexp(x) (a reduce and a broadcast subtraction), then exp. Before opset 13 they flattened the input at the axis (default 1) into rows: axis k ≥ 1 keeps the batch
/// among the rows, so each sample's axes from k on are one row, a last-axis softmax of a reshape; axis 0 would
/// normalise across the batch and is refused. A Softmax over the features that is the graph's output is left out
/// and reported as <see cref="OnnxImportResult.EndsWithSoftmax"/>: the model outputs logits, which train with the
/// fused softmax cross-entropy loss.
/// </summary>
internal static class SoftmaxMapping
{
    public static OnnxOpMapping[] Mappings =>
    [
        new("Softmax", OnnxOpTable.MinOpset, 1, (context, node) => Map(context, node, log: false)),
        new("LogSoftmax", OnnxOpTable.MinOpset, 1, (context, node) => Map(context, node, log: true)),
    ];

    private static void Map(ImportContext context, OnnxNode node, bool log)
    {
        Value x = context.Data(node, 0);
        TensorShape sample = x.SampleShape;
        bool flattens = context.Opset < 13;
        long axis = node.Int("axis", flattens ? 1 : -1);
        int full = context.FullAxis(node, axis, sample);
        context.Require(node, full > 0,
            $"axis {axis} of {ImportContext.FullShape(x)} is the batch N's; {node.OpType} would normalise across samples, which the runtime's ops never do.");
        int first = full - 1;
        int cols;
        if (flattens) cols = sample.Tail(first).Length;
        else
        {
            if (sample.Tail(first + 1).Length != 1)
            {
                AcrossInnerAxis(context, node, x, first, log);
                return;
            }
            cols = sample[first];
        }
        if (!log && node.HasInput(0) && node.Outputs.Count >= 1 && node.Outputs[0] == context.OutputName && sample.Rank == 1 && x.Producer is not null)
        {
            context.Bind(node, x);
            context.EndsWithSoftmax = true;
            return;
        }
        int[] dims = sample.ToArray();
        bool reshape = cols != sample[sample.Rank - 1];
        Value rows = reshape ? context.Add(node, new ReshapeOp([sample.Length / Math.Max(1, cols), cols]), x) : x;
        Value y = context.Add(node, new SoftmaxOp(log), rows);
        context.Bind(node, reshape ? context.Add(node, new ReshapeOp(dims), y) : y);
    }

    /// <summary>
    /// Along an axis that is not the innermost run: x − logsumexp(x) over the axis (kept as size 1, broadcast
    /// back), then exp for Softmax. The log-sum-exp is rounded once at the scale of the row's maximum, so this loses
    /// what the row-wise kernel keeps for rows far from 0 (2.4e-4 absolute at 1e4).
    /// </summary>
    private static void AcrossInnerAxis(ImportContext context, OnnxNode node, Value x, int sampleAxis, bool log)
    {
        Value lse = context.Add(node, new ReduceOp(ReduceFunction.LogSumExp, [sampleAxis], keepDims: true), x);
        Value shifted = context.Add(node, new BinaryOp(BinaryFunction.Subtract), x, lse);
        context.Bind(node, log ? shifted : context.Add(node, new UnaryMathOp(UnaryFunction.Exp), shifted));
    }
}
