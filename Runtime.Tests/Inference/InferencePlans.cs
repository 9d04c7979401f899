using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Inference;

/// <summary>Sample plans and a step-by-step reference that evaluates them unfolded, as a training model's eval does.</summary>
internal static class InferencePlans
{
    /// <summary>in → Dense → BN → ReLU → Dropout → Dense(ReLU) → BN → Dense → out: every kind of fold.</summary>
    public static InferencePlan Mlp(int inputs = 24, int hidden1 = 20, int hidden2 = 12, int outputs = 5, int seed = 1)
    {
        var rng = new Random(seed);
        return new InferencePlan(inputs,
        [
            Dense(rng, inputs, hidden1, ActivationKind.Identity),
            BatchNorm(rng, hidden1),
            new ActivationStep(ActivationKind.Relu, 0f),
            new IdentityStep("Dropout(0.3)"),
            Dense(rng, hidden1, hidden2, ActivationKind.Relu),
            BatchNorm(rng, hidden2),
            new IdentityStep("Flatten"),
            Dense(rng, hidden2, outputs, ActivationKind.Identity),
        ]);
    }

    public static DenseStep Dense(Random rng, int inputs, int outputs, ActivationKind activation) =>
        new(inputs, outputs, Uniform(rng, inputs * outputs, 1 / MathF.Sqrt(inputs)), Uniform(rng, outputs, 0.5f), activation, 0f);

    public static BatchNormStep BatchNorm(Random rng, int features) =>
        new(features,
            Array.ConvertAll(Uniform(rng, features, 0.5f), v => 1 + v),
            Uniform(rng, features, 0.5f),
            Uniform(rng, features, 0.5f),
            Array.ConvertAll(Uniform(rng, features, 0.5f), v => 0.6f + v),
            1e-5f);

    public static float[] Uniform(Random rng, int count, float scale)
    {
        var v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return v;
    }

    /// <summary>The plan run step by step in float, batch norm with its running statistics, nothing folded.</summary>
    public static float[] Reference(InferencePlan plan, ReadOnlySpan<float> input, int batch)
    {
        float[] x = input.ToArray();
        int width = plan.InputSize;
        foreach (var step in plan.Steps)
        {
            switch (step)
            {
                case DenseStep d:
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
                case BatchNormStep bn:
                    for (int r = 0; r < batch; r++)
                        for (int f = 0; f < width; f++)
                        {
                            float scale = bn.Gamma[f] / MathF.Sqrt(bn.Variance[f] + bn.Epsilon);
                            x[r * width + f] = (x[r * width + f] - bn.Mean[f]) * scale + bn.Beta[f];
                        }
                    break;
                case ActivationStep a:
                    for (int i = 0; i < x.Length; i++) x[i] = Activate(a.Kind, x[i]);
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
