using System.Globalization;
using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss (opset 12 on) as <see cref="NllLossOp"/> and
/// <see cref="SoftmaxCrossEntropyLossOp"/>, in a graph imported as one sample: the scores [N, C, d1, …, dk] are the
/// sample, the labels (an int64 or int32 constant [N, d1, …, dk]) and the optional class weights (a float constant
/// [C]) are held by the op. With a batch axis the loss is refused: a sum or mean reduces across the batch, and a loss
/// per element would need the labels per sample, which no float32 model input can carry. A label outside [0, C) that
/// is not ignore_index is refused here, with where it is. SoftmaxCrossEntropyLoss's log_prob output comes from the
/// loss op where both outputs are read; where only log_prob is, it is the log-softmax over axis 1.
/// </summary>
internal static class LossMapping
{
    /// <summary>The opset both ops were added in (later versions only widened the element types).</summary>
    private const long Since = 12;

    public static OnnxOpMapping[] Mappings =>
    [
        new("NegativeLogLikelihoodLoss", Since, 3, (context, node) => Map(context, node, softmax: false)),
        new("SoftmaxCrossEntropyLoss", Since, 3, (context, node) => Map(context, node, softmax: true)),
    ];

    private static void Map(ImportContext context, OnnxNode node, bool softmax)
    {
        string name = node.String("reduction", "mean");
        LossReduction reduction = name switch
        {
            "none" => LossReduction.None,
            "sum" => LossReduction.Sum,
            "mean" => LossReduction.Mean,
            _ => throw context.Fail(node, $"reduction '{name}' is not one of ONNX's none, sum, mean."),
        };
        long? ignore = node.Attribute("ignore_index") is null ? null : node.Int("ignore_index", 0);
        string labelsName = node.Inputs.Count > 1 ? node.Inputs[1] : "";
        context.Require(node, context.OneSample, reduction == LossReduction.None
            ? $"reduction 'none' with a batch axis would need the labels '{labelsName}' per sample, and a model's inputs are float32 samples, not int64 labels; imported as one sample, the op holds the labels whole."
            : $"reduction '{name}' adds the losses of the whole batch N into one value, which no op of a model with a batch axis computes; imported as one sample, the op holds the labels whole.");

        Value x = context.Data(node, 0);
        int[] dims = x.SampleShape.ToArray();
        context.Require(node, dims.Length >= 2,
            $"input 0 '{node.Inputs[0]}' has shape [{string.Join(", ", dims)}]; {node.OpType} takes scores [N, C, d1, …, dk] of rank 2 or more.");
        int classes = dims[1];
        long[] labels = Labels(context, node, dims, ignore);
        float[]? weights = Weights(context, node, classes);

        bool lossUsed = context.IsUsed(node.Outputs[0]);
        bool logProbUsed = softmax && node.Outputs.Count > 1 && context.IsUsed(node.Outputs[1]);
        if (softmax && !lossUsed && logProbUsed)
        {
            BindOutput(context, node, 1, LogSoftmaxOverClasses(context, node, x));
            return;
        }
        LabelLossOp op = softmax
            ? new SoftmaxCrossEntropyLossOp(labels, reduction, ignore, weights is not null, logProb: logProbUsed)
            : new NllLossOp(labels, reduction, ignore, weights is not null);
        if (logProbUsed)
        {
            IReadOnlyList<Value> outputs = context.AddNode(node, op, x);
            BindOutput(context, node, 0, outputs[0]);
            BindOutput(context, node, 1, outputs[1]);
        }
        else
        {
            context.Bind(node, context.Add(node, op, x));
        }
        if (weights is not null) context.SetTensor(op, "weights", weights);
    }

    /// <summary>The labels [N, d1, …, dk] as a constant, each a class in [0, C) or ignore_index.</summary>
    private static long[] Labels(ImportContext context, OnnxNode node, int[] dims, long? ignore)
    {
        context.Require(node, node.HasInput(1), $"input 1 (the labels) is missing; {node.OpType} needs one label per row and position.");
        OnnxTensor t = context.Initializer(node, 1)
            ?? throw context.Fail(node, $"input 1 '{node.Inputs[1]}' (the labels) is computed; the importer takes the labels only as a constant (an int64 or int32 initializer).");
        context.Require(node, t.DataType is OnnxDataType.Int64 or OnnxDataType.Int32,
            $"the labels '{t.Name}' hold {t.DataType}; expected Int64 or Int32 class indices.");
        int[] expected = [dims[0], .. dims.AsSpan(2)];
        context.Require(node, t.Dims.SequenceEqual(expected.Select(d => (long)d)),
            $"the labels '{t.Name}' have shape {ImportContext.Dims(t)}; scores [{string.Join(", ", dims)}] need labels [{string.Join(", ", expected)}] (N, d1, …, dk).");
        long[] labels = t.Int64s.ToArray();
        int classes = dims[1];
        for (int e = 0; e < labels.Length; e++)
        {
            long label = labels[e];
            if (label == ignore || (label >= 0 && label < classes)) continue;
            throw context.Fail(node, string.Create(CultureInfo.InvariantCulture,
                $"label {label} at {Index(e, expected)} of '{t.Name}' is not a class of the {classes} in [0, {classes}){(ignore is long i ? $" nor ignore_index {i}" : " (no ignore_index is set)")}."));
        }
        return labels;
    }

    /// <summary>The optional class weights [C] as a float constant; null when the node has none.</summary>
    private static float[]? Weights(ImportContext context, OnnxNode node, int classes)
    {
        if (!node.HasInput(2)) return null;
        OnnxTensor t = context.Initializer(node, 2)
            ?? throw context.Fail(node, $"input 2 '{node.Inputs[2]}' (the class weights) is computed; the importer takes the weights only as a float initializer.");
        context.Require(node, t.DataType == OnnxDataType.Float, $"the class weights '{t.Name}' hold {t.DataType}; expected Float.");
        context.Require(node, t.Dims.Count == 1 && t.Dims[0] == classes,
            $"the class weights '{t.Name}' have shape {ImportContext.Dims(t)}; expected [{classes}], one per class (axis 1 of the scores).");
        return [.. t.Floats];
    }

    /// <summary>log_prob alone: the log-softmax over axis 1, row-wise for [N, C], else x − logsumexp over the classes.</summary>
    private static Value LogSoftmaxOverClasses(ImportContext context, OnnxNode node, Value x)
    {
        if (x.SampleShape.Rank == 2) return context.Add(node, new SoftmaxOp(log: true), x);
        Value lse = context.Add(node, new ReduceOp(ReduceFunction.LogSumExp, [1], keepDims: true), x);
        return context.Add(node, new BinaryOp(BinaryFunction.Subtract), x, lse);
    }

    private static void BindOutput(ImportContext context, OnnxNode node, int output, Value value) =>
        context.BindTensor(node, node.Outputs[output], new BoundTensor(value, value.SampleShape.ToArray(), -1));

    private static string Index(int flat, int[] dims)
    {
        var index = new int[dims.Length];
        for (int d = dims.Length - 1; d >= 0; d--)
        {
            index[d] = flat % dims[d];
            flat /= dims[d];
        }
        return $"[{string.Join(", ", index)}]";
    }
}
