using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Optimization;

/// <summary>
/// RMSprop, torch.optim.RMSprop (not centered): s = α·s + (1 − α)·g²; step g / (√s + ε), through a momentum
/// buffer when momentum &gt; 0.
/// </summary>
public sealed class RmsProp : Optimizer
{
    public RmsProp(float alpha = 0.99f, float epsilon = 1e-8f, float weightDecay = 0f, float momentum = 0f)
    {
        CheckFraction(alpha, nameof(alpha));
        CheckNonNegative(epsilon, nameof(epsilon));
        CheckNonNegative(weightDecay, nameof(weightDecay));
        CheckFraction(momentum, nameof(momentum));
        Alpha = alpha;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Momentum = momentum;
    }

    public float Alpha { get; }

    public float Epsilon { get; }

    public float WeightDecay { get; }

    public float Momentum { get; }

    public override string Name => "rmsprop";

    private protected override void Update(Span<float> weights, ReadOnlySpan<float> gradients, ParameterBlock state, float learningRate, long step) =>
        OptimizerUpdates.RmsProp(weights, gradients, state.OptimizerState(0), state.OptimizerState(1), learningRate, Alpha, Epsilon, WeightDecay, Momentum);
}
