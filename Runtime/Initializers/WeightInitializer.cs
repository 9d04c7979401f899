using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Initializers;

/// <summary>How a Dense layer's weights are drawn. Biases always start at zero.</summary>
public enum WeightInitializer
{
    /// <summary>He uniform before ReLU-like activations, LeCun normal before SELU, Xavier uniform otherwise.</summary>
    Default,
    /// <summary>Glorot &amp; Bengio 2010: U(−a, a), a = √(6 / (fanIn + fanOut)).</summary>
    XavierUniform,
    /// <summary>N(0, 2 / (fanIn + fanOut)).</summary>
    XavierNormal,
    /// <summary>He et al. 2015: U(−a, a), a = √(6 / fanIn).</summary>
    HeUniform,
    /// <summary>N(0, 2 / fanIn).</summary>
    HeNormal,
    /// <summary>U(−a, a), a = √(3 / fanIn).</summary>
    LeCunUniform,
    /// <summary>N(0, 1 / fanIn).</summary>
    LeCunNormal,
}

/// <summary>Fills weight tensors from a <see cref="DeterministicRandom"/>, so a seed fixes every initial weight.</summary>
public static class WeightInitialization
{
    /// <summary>The initializer <see cref="WeightInitializer.Default"/> stands for before a given activation.</summary>
    public static WeightInitializer Resolve(WeightInitializer initializer, ActivationKind activation) => initializer switch
    {
        WeightInitializer.Default => activation switch
        {
            ActivationKind.Relu or ActivationKind.LeakyRelu or ActivationKind.Elu or ActivationKind.GeluErf or ActivationKind.GeluTanh
                or ActivationKind.Silu or ActivationKind.HardSwish or ActivationKind.Mish => WeightInitializer.HeUniform,
            ActivationKind.Selu => WeightInitializer.LeCunNormal,
            _ => WeightInitializer.XavierUniform,
        },
        _ => initializer,
    };

    public static void Fill(WeightInitializer initializer, Span<float> weights, int fanIn, int fanOut, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanOut);
        switch (initializer)
        {
            case WeightInitializer.XavierUniform: Uniform(weights, Math.Sqrt(6.0 / (fanIn + fanOut)), random); break;
            case WeightInitializer.XavierNormal: Normal(weights, Math.Sqrt(2.0 / (fanIn + fanOut)), random); break;
            case WeightInitializer.HeUniform: Uniform(weights, Math.Sqrt(6.0 / fanIn), random); break;
            case WeightInitializer.HeNormal: Normal(weights, Math.Sqrt(2.0 / fanIn), random); break;
            case WeightInitializer.LeCunUniform: Uniform(weights, Math.Sqrt(3.0 / fanIn), random); break;
            case WeightInitializer.LeCunNormal: Normal(weights, Math.Sqrt(1.0 / fanIn), random); break;
            default:
                throw new ArgumentOutOfRangeException(nameof(initializer), initializer, "Resolve Default against the activation first.");
        }
    }

    private static void Uniform(Span<float> weights, double limit, DeterministicRandom random)
    {
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)((2.0 * random.NextDouble() - 1.0) * limit);
    }

    private static void Normal(Span<float> weights, double std, DeterministicRandom random)
    {
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)(random.NextNormal() * std);
    }
}
