using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.Inference;

/// <summary>Sample trained models with random weights and statistics, and a node-by-node reference that evaluates them unfolded.</summary>
internal static class InferencePlans
{
    /// <summary>in → Dense → BN → ReLU → Dropout → Dense(ReLU) → BN → Flatten → Dense → out: every kind of fold.</summary>
    public static Model Mlp(int inputs = 24, int hidden1 = 20, int hidden2 = 12, int outputs = 5, int seed = 1)
    {
        var model = new ModelBuilder(inputs).Dense(hidden1).BatchNorm().Activation(ActivationKind.Relu).Dropout(0.3f)
            .Dense(hidden2, ActivationKind.Relu).BatchNorm().Flatten().Dense(outputs).Build(seed, maxBatch: 64);
        Randomize(model, seed);
        return model;
    }

    /// <summary>One Dense node with random weights.</summary>
    public static Model Dense(int inputs, int outputs, ActivationKind activation, int seed = 1)
    {
        var model = new ModelBuilder(inputs).Dense(outputs, activation).Build(seed);
        Randomize(model, seed);
        return model;
    }

    /// <summary>Weights ~ U(±1/√fan-in), biases U(±0.5), BN γ in [0.5, 1.5], β and μ U(±0.5), σ² in [0.1, 1.1].</summary>
    public static void Randomize(Model model, int seed)
    {
        var rng = new Random(seed);
        foreach (var node in model.Nodes)
        {
            switch (node.Op)
            {
                case DenseOp d:
                    Uniform(rng, d.Inputs * d.Outputs, 1 / MathF.Sqrt(d.Inputs)).CopyTo(d.Weights);
                    Uniform(rng, d.Outputs, 0.5f).CopyTo(d.Bias);
                    break;
                case BatchNormOp bn:
                    Array.ConvertAll(Uniform(rng, bn.Features, 0.5f), v => 1 + v).CopyTo(bn.Gamma);
                    Uniform(rng, bn.Features, 0.5f).CopyTo(bn.Beta);
                    Uniform(rng, bn.Features, 0.5f).CopyTo(bn.RunningMean);
                    Array.ConvertAll(Uniform(rng, bn.Features, 0.5f), v => 0.6f + v).CopyTo(bn.RunningVariance);
                    break;
            }
        }
    }

    public static float[] Uniform(Random rng, int count, float scale)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return v;
    }

    /// <summary>The model run node by node in float, batch norm with its running statistics, nothing folded.</summary>
    public static float[] Reference(Model model, ReadOnlySpan<float> input, int batch)
    {
        float[] x = input.ToArray();
        int width = model.InputSize;
        foreach (var node in model.Nodes)
        {
            switch (node.Op)
            {
                case DenseOp d:
                    var y = new float[batch * d.Outputs];
                    for (int r = 0; r < batch; r++)
                        for (int j = 0; j < d.Outputs; j++)
                        {
                            float sum = 0;
                            for (int i = 0; i < d.Inputs; i++) sum += x[r * d.Inputs + i] * d.Weights[i * d.Outputs + j];
                            y[r * d.Outputs + j] = Activate(d.Activation, sum + d.Bias[j]);
                        }
                    x = y;
                    width = d.Outputs;
                    break;
                case BatchNormOp bn:
                    for (int r = 0; r < batch; r++)
                        for (int f = 0; f < width; f++)
                        {
                            float scale = bn.Gamma[f] / MathF.Sqrt(bn.RunningVariance[f] + bn.Epsilon);
                            x[r * width + f] = (x[r * width + f] - bn.RunningMean[f]) * scale + bn.Beta[f];
                        }
                    break;
                case ActivationOp a:
                    for (int i = 0; i < x.Length; i++) x[i] = Activate(a.Activation, x[i]);
                    break;
            }
        }
        return x;
    }

    private static float Activate(ActivationKind kind, float v) => kind switch
    {
        ActivationKind.Identity => v,
        ActivationKind.Relu => v > 0 ? v : 0,
        _ => throw new NotSupportedException(kind.ToString()),
    };

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float err = MathF.Abs(expected[i] - actual[i]) / MathF.Max(1f, MathF.Abs(expected[i]));
            Assert.True(err <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]} (relative error {err} > {tolerance})");
        }
    }

    public static bool BitwiseEqual(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(a).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b));

    public static void AssertBitwise(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected bitwise {expected[i]}");
    }
}
