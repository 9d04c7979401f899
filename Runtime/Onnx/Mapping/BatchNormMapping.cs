using System.Globalization;
using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// BatchNormalization over the features of [batch, features] rows, in inference form (one output), as
/// <see cref="BatchNormOp"/> with the graph's scale, bias and running statistics. ONNX's momentum weighs the old
/// running value, ours the batch: ours is 1 − ONNX's.
/// </summary>
internal static class BatchNormMapping
{
    public static OnnxOpMapping[] Mappings => [new("BatchNormalization", OnnxOpTable.MinOpset, 5, BatchNorm)];

    private static void BatchNorm(ImportContext context, OnnxNode node)
    {
        Value x = context.Data(node, 0);
        context.RequireFeatures(node, x);
        context.Require(node, node.Outputs.Count(o => o.Length > 0) == 1 && node.Int("training_mode", 0) == 0,
            "training mode (running-statistics outputs) is not supported.");
        context.Require(node, node.Int("spatial", 1) == 1, "spatial = 0 is not supported.");
        int features = x.SampleShape[0];
        OnnxTensor[] tensors = [.. Enumerable.Range(1, 4).Select(i => context.Weight(node, i, rank: 1))];
        foreach (OnnxTensor t in tensors)
            context.Require(node, t.ElementCount == features, $"'{t.Name}' has {t.ElementCount} values for {features} features.");
        float epsilon = node.Float("epsilon", 1e-5f), momentum = node.Float("momentum", 0.9f);
        context.Require(node, epsilon > 0, string.Create(CultureInfo.InvariantCulture, $"epsilon {epsilon} is not positive."));
        context.Require(node, momentum is >= 0 and <= 1, string.Create(CultureInfo.InvariantCulture, $"momentum {momentum} is outside [0, 1]."));
        var op = new BatchNormOp(epsilon, 1 - momentum);
        Value y = context.Add(node, op, x);
        string[] names = ["gamma", "beta", "running_mean", "running_variance"];
        for (int i = 0; i < 4; i++) context.SetTensor(op, names[i], tensors[i].Floats.ToArray());
        context.Bind(node, y);
    }
}
