using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Passes;

/// <summary>
/// Rewrites a graph for serving into the fewest nodes that compute the same function in evaluation mode: dropout
/// and identities removed, each BatchNorm folded into the Dense or convolution before it (when nothing separates them)
/// or else into the Dense after it, and an activation fused into the Dense or convolution before it (its output pass).
/// Flatten and Reshape that change no shape are identities too. (<see cref="FrozenGraph"/> flushes subnormal
/// weights to +0 as it copies them into the frozen block.) Folding works in double, so it adds no error of its own beyond the final rounding.
/// </summary>
internal static class InferencePasses
{
    public static void Run(PassGraph graph)
    {
        DropIdentities(graph);
        FoldBatchNorms(graph);
        FuseActivations(graph);
    }

    private static void DropIdentities(PassGraph graph)
    {
        foreach (var node in graph.Nodes.ToArray())
            if (node.Op is DropoutOp || node.Op is ActivationOp { Activation: ActivationKind.Identity }
                || (node.Op is FlattenOp or ReshapeOp && graph.Shapes[node.Inputs[0]] == graph.Shapes[node.Outputs[0]]))
                graph.Bypass(node);
    }

    private static void FoldBatchNorms(PassGraph graph)
    {
        foreach (var node in graph.Nodes.ToArray())
        {
            if (node.Op is not BatchNormOp bn) continue;
            var (scale, shift) = Affine(node, bn);
            // A Dense scales the last axis, a BatchNorm of images the channels: only a BatchNorm of rows of features meets a Dense.
            bool features = graph.Shapes[node.Inputs[0]].Rank == 1;
            if (features && graph.Producer(node.Inputs[0]) is { Op: DenseOp { Activation: ActivationKind.Identity } } before && graph.OnlyFeeds(node.Inputs[0], node))
            {
                ScaleOutputs(before, scale, shift);
                graph.Bypass(node);
            }
            else if (graph.Producer(node.Inputs[0]) is { Op: Conv2DOp { Activation: ActivationKind.Identity } conv } producer && graph.OnlyFeeds(node.Inputs[0], node))
            {
                ScaleChannels(producer, conv, scale, shift);
                graph.Bypass(node);
            }
            else if (features && graph.Consumers(node.Outputs[0]).ToArray() is [{ Op: DenseOp } after] && graph.OnlyFeeds(node.Outputs[0], after)
                && after.Inputs.Length == 1)
            {
                ScaleInputs(after, scale, shift);
                graph.Bypass(node);
            }
        }
    }

    private static void FuseActivations(PassGraph graph)
    {
        foreach (var node in graph.Nodes.ToArray())
        {
            // HardSigmoid or SELU with ONNX parameters of their own has no fused form: it runs as its own op.
            if (node.Op is not ActivationOp { HasDefaultParameters: true } act) continue;
            if (graph.Producer(node.Inputs[0]) is { Op: DenseOp { Activation: ActivationKind.Identity } or Conv2DOp { Activation: ActivationKind.Identity } } producer
                && graph.OnlyFeeds(node.Inputs[0], node))
            {
                producer.Op = OpRegistry.Clone(producer.Op, a => a.Set("activation", OpNames.Activation(act.Activation)).Set("alpha", act.Alpha));
                graph.Bypass(node);
            }
        }
    }

    /// <summary>scale = γ/√(σ²+ε), shift = β − μ·scale, in double.</summary>
    private static (double[] Scale, double[] Shift) Affine(PassNode node, BatchNormOp bn) =>
        BatchNormOp.Fold(node.Tensors["gamma"], node.Tensors["beta"], node.Tensors["running_mean"], node.Tensors["running_variance"], bn.Epsilon);

    /// <summary>
    /// Affine after a convolution, per output channel m: W'[m,…] = W[m,…]·scale[m], b'[m] = b[m]·scale[m] + shift[m]
    /// (a convolution without bias gains one).
    /// </summary>
    private static void ScaleChannels(PassNode node, Conv2DOp conv, double[] scale, double[] shift)
    {
        float[] w = node.Tensors["weights"];
        int channels = scale.Length, perChannel = w.Length / channels;
        if (!conv.HasBias)
        {
            node.Op = OpRegistry.Clone(conv, a => a.Set("bias", 1));
            node.Tensors["bias"] = new float[channels];
        }
        float[] b = node.Tensors["bias"];
        for (int m = 0; m < channels; m++)
        {
            for (int i = m * perChannel; i < (m + 1) * perChannel; i++) w[i] = (float)(w[i] * scale[m]);
            b[m] = (float)(b[m] * scale[m] + shift[m]);
        }
    }

    /// <summary>Affine after the Dense: W'[i,j] = W[i,j]·scale[j], b'[j] = b[j]·scale[j] + shift[j].</summary>
    private static void ScaleOutputs(PassNode dense, double[] scale, double[] shift)
    {
        float[] w = dense.Tensors["weights"], b = dense.Tensors["bias"];
        int outputs = b.Length, inputs = w.Length / outputs;
        for (int i = 0; i < inputs; i++)
            for (int j = 0; j < outputs; j++)
                w[i * outputs + j] = (float)(w[i * outputs + j] * scale[j]);
        for (int j = 0; j < outputs; j++) b[j] = (float)(b[j] * scale[j] + shift[j]);
    }

    /// <summary>Affine before the Dense: W'[i,j] = scale[i]·W[i,j], b'[j] = b[j] + Σᵢ shift[i]·W[i,j].</summary>
    private static void ScaleInputs(PassNode dense, double[] scale, double[] shift)
    {
        float[] w = dense.Tensors["weights"], b = dense.Tensors["bias"];
        int outputs = b.Length, inputs = w.Length / outputs;
        var sums = new double[outputs];
        for (int j = 0; j < outputs; j++) sums[j] = b[j];
        for (int i = 0; i < inputs; i++)
            for (int j = 0; j < outputs; j++)
            {
                int at = i * outputs + j;
                sums[j] += shift[i] * w[at];
                w[at] = (float)(w[at] * scale[i]);
            }
        for (int j = 0; j < outputs; j++) b[j] = (float)sums[j];
    }
}
