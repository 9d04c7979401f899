using System.Globalization;
using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// BatchNormalization in inference form as <see cref="BatchNormOp"/> with the graph's scale, bias and
/// running statistics: over the features of [N, C] rows, or over the channels of images [N, C, H, W]. Other
/// spatial ranks normalize each channel over all its positions alike, so [N, C, L] and [N, C, D, H, W] run as the
/// images [C, 1, L] and [C, 1, D·H·W] and are shaped back. ONNX's momentum weighs the old running value, ours the
/// batch: ours is 1 − ONNX's. The running-statistics outputs of older opsets may be named, but Bind refuses them
/// when anything reads them.
/// </summary>
internal static class BatchNormMapping
{
    public static OnnxOpMapping[] Mappings => [new("BatchNormalization", OnnxOpTable.MinOpset, 5, BatchNorm)];

    private static void BatchNorm(ImportContext context, OnnxNode node)
    {
        Value x = context.Data(node, 0);
        long trainingMode = node.Int("training_mode", 0);
        context.Require(node, trainingMode == 0,
            $"attribute 'training_mode' is {trainingMode}; only inference (0) is imported (the imported model trains its BatchNorm itself).");
        context.Require(node, node.Int("spatial", 1) == 1, "spatial = 0 is not supported.");
        int features = x.SampleShape[0], rank = x.SampleShape.Rank;
        OnnxTensor[] tensors = [.. Enumerable.Range(1, 4).Select(i => context.Weight(node, i, rank: 1))];
        foreach (OnnxTensor t in tensors)
            context.Require(node, t.ElementCount == features, $"'{t.Name}' has {t.ElementCount} values for {features} {(rank == 1 ? "features" : "channels")}.");
        float epsilon = node.Float("epsilon", 1e-5f), momentum = node.Float("momentum", 0.9f);
        context.Require(node, epsilon > 0, string.Create(CultureInfo.InvariantCulture, $"epsilon {epsilon} is not positive."));
        context.Require(node, momentum is >= 0 and <= 1, string.Create(CultureInfo.InvariantCulture, $"momentum {momentum} is outside [0, 1]."));
        var op = new BatchNormOp(epsilon, 1 - momentum);
        Value y = rank is 1 or 3
            ? context.Add(node, op, x)
            : context.Add(node, new ReshapeOp(x.SampleShape.ToArray()), context.Add(node, op, context.Add(node, new ReshapeOp(features, 1, -1), x)));
        string[] names = ["gamma", "beta", "running_mean", "running_variance"];
        for (int i = 0; i < 4; i++) context.SetTensor(op, names[i], tensors[i]);
        context.Bind(node, y);
    }
}
