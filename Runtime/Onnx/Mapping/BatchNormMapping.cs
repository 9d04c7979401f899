using System.Globalization;
using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// BatchNormalization in inference form as <see cref="BatchNormOp"/> with the graph's scale, bias and
/// running statistics: over the features of [N, C] rows, or over the channels of images [N, C, H, W]. Other
/// spatial ranks normalize each channel over all its positions alike, so [N, C, L] and [N, C, D, H, W] run as the
/// images [C, 1, L] and [C, 1, D·H·W] and are shaped back. ONNX's momentum weighs the old running value, ours the
/// batch: ours is 1 − ONNX's. The running-statistics outputs of older opsets may be named, but Bind refuses them
/// when anything reads them. training_mode = 1 (opset 14 on) normalizes with the batch's own statistics and outputs
/// the updated running ones; it is imported as one sample only, where the whole tensor [N, C, …] is the batch, as
/// the reductions, arithmetic and square root it is defined by (<see cref="TrainingMode"/>).
/// </summary>
internal static class BatchNormMapping
{
    public static OnnxOpMapping[] Mappings => [new("BatchNormalization", OnnxOpTable.MinOpset, 5, BatchNorm)];

    private static void BatchNorm(ImportContext context, OnnxNode node)
    {
        Value x = context.Data(node, 0);
        long trainingMode = node.Int("training_mode", 0);
        context.Require(node, trainingMode is 0 or 1, $"attribute 'training_mode' is {trainingMode}; expected 0 or 1.");
        if (trainingMode == 1 && context.OneSample)
        {
            TrainingMode(context, node, x);
            return;
        }
        context.Require(node, trainingMode == 0,
            $"attribute 'training_mode' is 1, which normalizes with a batch's own statistics; with a batch axis only inference (0) is imported (the imported model trains its BatchNorm itself), and a graph of fixed shapes imports it as one sample.",
            oneSampleOnly: false);
        context.Require(node, !context.OneSample,
            "inference mode (training_mode 0) normalizes each sample with the running statistics and is imported with a batch axis, not as one sample.", oneSampleOnly: true);
        context.Require(node, node.Int("spatial", 1) == 1, "spatial = 0 is not supported.");
        int features = x.SampleShape[0], rank = x.SampleShape.Rank;
        var (tensors, epsilon, momentum) = Parameters(context, node, features, rank == 1 ? "features" : "channels");
        var op = new BatchNormOp(epsilon, 1 - momentum);
        Value y = rank is 1 or 3
            ? context.Add(node, op, x)
            : context.Add(node, new ReshapeOp(x.SampleShape.ToArray()), context.Add(node, op, context.Add(node, new ReshapeOp(features, 1, -1), x)));
        string[] names = ["gamma", "beta", "running_mean", "running_variance"];
        for (int i = 0; i < 4; i++) context.SetTensor(op, names[i], tensors[i]);
        context.Bind(node, y);
    }

    /// <summary>Scale, B, mean and var (one value per feature or channel each), epsilon and ONNX's momentum, checked.</summary>
    private static (OnnxTensor[] Tensors, float Epsilon, float Momentum) Parameters(ImportContext context, OnnxNode node, int count, string what)
    {
        OnnxTensor[] tensors = [.. Enumerable.Range(1, 4).Select(i => context.Weight(node, i, rank: 1))];
        foreach (OnnxTensor t in tensors)
            context.Require(node, t.ElementCount == count, $"'{t.Name}' has {t.ElementCount} values for {count} {what}.");
        float epsilon = node.Float("epsilon", 1e-5f), momentum = node.Float("momentum", 0.9f);
        context.Require(node, epsilon > 0, string.Create(CultureInfo.InvariantCulture, $"epsilon {epsilon} is not positive."));
        context.Require(node, momentum is >= 0 and <= 1, string.Create(CultureInfo.InvariantCulture, $"momentum {momentum} is outside [0, 1]."));
        return (tensors, epsilon, momentum);
    }

    /// <summary>
    /// ONNX's definition of training mode over the whole tensor X [N, C, …]: the mean μ and the population variance σ²
    /// of each channel over every other axis, Y = (X − μ) / √(σ² + ε) · scale + B, and the running statistics
    /// input_mean · momentum + μ · (1 − momentum) and input_var · momentum + σ² · (1 − momentum) as outputs 1 and 2.
    /// </summary>
    private static void TrainingMode(ImportContext context, OnnxNode node, Value x)
    {
        int[] shape = x.SampleShape.ToArray();
        context.Require(node, shape.Length >= 2, $"X has shape {context.Bound(x).Shape}; training mode normalizes the channels (axis 1) of [N, C, …].");
        int channels = shape[1];
        var (tensors, epsilon, momentum) = Parameters(context, node, channels, "channels");
        int[] axes = [0, .. Enumerable.Range(2, shape.Length - 2)];
        var perChannel = new TensorShape([1, channels, .. Enumerable.Repeat(1, shape.Length - 2)]);

        Value Binary(BinaryFunction f, Value a, Value b) => context.Add(node, new BinaryOp(f), a, b);
        Value WithConstant(BinaryFunction f, Value a, TensorShape constantShape, float[] constant)
        {
            var op = new BinaryOp(f, constantShape, constantFirst: false);
            Value result = context.Add(node, op, a);
            context.SetTensor(op, "constant", constant);
            return result;
        }

        bool readsVariance = context.IsUsed(node.Outputs[0]) || (node.Outputs.Count > 2 && context.IsUsed(node.Outputs[2]));
        Value mean = context.Add(node, new ReduceOp(ReduceFunction.Mean, axes, keepDims: true), x);
        Value centred = readsVariance ? Binary(BinaryFunction.Subtract, x, mean) : mean;
        Value variance = readsVariance ? context.Add(node, new ReduceOp(ReduceFunction.Mean, axes, keepDims: true), Binary(BinaryFunction.Multiply, centred, centred)) : mean;
        // Only what the graph reads is built: every node's output must reach a graph output.
        if (context.IsUsed(node.Outputs[0]))
        {
            Value deviation = context.Add(node, new UnaryMathOp(UnaryFunction.Sqrt), WithConstant(BinaryFunction.Add, variance, new TensorShape(1), [epsilon]));
            Value normalized = Binary(BinaryFunction.Divide, centred, deviation);
            Value y = WithConstant(BinaryFunction.Add, WithConstant(BinaryFunction.Multiply, normalized, perChannel, tensors[0].Floats.ToArray()), perChannel, tensors[1].Floats.ToArray());
            context.BindTensor(node, node.Outputs[0], context.Bound(y));
        }

        // The running statistics, [C] each, for the outputs anything reads.
        for (int output = 1; output <= 2 && output < node.Outputs.Count; output++)
        {
            if (!context.IsUsed(node.Outputs[output])) continue;
            Value batch = context.Add(node, new ReshapeOp(channels), output == 1 ? mean : variance);
            float[] kept = [.. tensors[output + 1].Floats.ToArray().Select(v => v * momentum)];
            Value running = WithConstant(BinaryFunction.Add, WithConstant(BinaryFunction.Multiply, batch, new TensorShape(1), [1 - momentum]), new TensorShape(channels), kept);
            context.BindTensor(node, node.Outputs[output], context.Bound(running));
        }
    }
}
