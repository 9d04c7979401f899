using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;

namespace Simd.Perf.Inference;

/// <summary>The benchmark network: a ReLU MLP (784-256-128-10 unless told), weights He-uniform from a fixed seed.</summary>
public static class InferenceMlp
{
    public static readonly int[] DefaultSizes = [784, 256, 128, 10];

    /// <summary>Weights and biases of the default network: 235,146 floats, 0.94 MB.</summary>
    public static int WeightCount
    {
        get
        {
            int count = 0;
            for (int l = 0; l + 1 < DefaultSizes.Length; l++) count += (DefaultSizes[l] + 1) * DefaultSizes[l + 1];
            return count;
        }
    }

    public static InferenceModel Freeze(InferenceOptions options, int[]? sizes = null, int seed = 1)
    {
        sizes ??= DefaultSizes;
        var rng = new Random(seed);
        var builder = new ModelBuilder(sizes[0]);
        for (int l = 0; l + 1 < sizes.Length; l++) builder.Dense(sizes[l + 1], l + 2 < sizes.Length ? ActivationKind.Relu : ActivationKind.Identity);
        using var model = builder.Build(seed);
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            var dense = (DenseOp)model.Nodes[l].Op;
            int n = sizes[l], m = sizes[l + 1];
            float limit = MathF.Sqrt(6f / n);
            Span<float> w = dense.Weights, b = dense.Bias;
            for (int i = 0; i < w.Length; i++) w[i] = (float)(rng.NextDouble() * 2 - 1) * limit;
            for (int i = 0; i < m; i++) b[i] = (float)(rng.NextDouble() * 0.2 - 0.1);
        }
        return InferenceModel.Freeze(model, options);
    }

    /// <summary>Inputs in [0, 1), like scaled pixels.</summary>
    public static float[] Inputs(int count, int seed = 2)
    {
        var rng = new Random(seed);
        var x = new float[count];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble();
        return x;
    }
}
