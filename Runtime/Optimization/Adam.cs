using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Optimization;

/// <summary>
/// Adam (Kingma &amp; Ba), torch.optim.Adam: weight decay added to the gradient (L2). <see cref="AdamW"/> decouples it.
/// </summary>
public class Adam : Optimizer
{
    public Adam(float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
        : this(beta1, beta2, epsilon, weightDecay, decoupledWeightDecay: false)
    {
    }

    private protected Adam(float beta1, float beta2, float epsilon, float weightDecay, bool decoupledWeightDecay)
    {
        CheckFraction(beta1, nameof(beta1));
        CheckFraction(beta2, nameof(beta2));
        CheckNonNegative(epsilon, nameof(epsilon));
        CheckNonNegative(weightDecay, nameof(weightDecay));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        DecoupledWeightDecay = decoupledWeightDecay;
    }

    public float Beta1 { get; }

    public float Beta2 { get; }

    public float Epsilon { get; }

    public float WeightDecay { get; }

    /// <summary>True for AdamW: w ← w·(1 − lr·wd) before the Adam step instead of adding wd·w to the gradient.</summary>
    public bool DecoupledWeightDecay { get; }

    public override string Name => "adam";

    private protected sealed override void Update(Span<float> weights, ReadOnlySpan<float> gradients, ParameterBlock state, float learningRate, long step) =>
        OptimizerUpdates.Adam(weights, gradients, state.OptimizerState(0), state.OptimizerState(1), learningRate, Beta1, Beta2, Epsilon,
            WeightDecay, DecoupledWeightDecay, step);
}

/// <summary>AdamW (Loshchilov &amp; Hutter), torch.optim.AdamW: decoupled weight decay, 0.01 by default.</summary>
public sealed class AdamW : Adam
{
    public AdamW(float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f)
        : base(beta1, beta2, epsilon, weightDecay, decoupledWeightDecay: true)
    {
    }

    public override string Name => "adamw";
}
