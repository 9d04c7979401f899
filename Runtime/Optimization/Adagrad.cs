using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Optimization;

/// <summary>
/// Adagrad, torch.optim.Adagrad (initial accumulator 0): s += g²; step lr / (1 + (t − 1)·lrDecay) · g / (√s + ε).
/// </summary>
public sealed class Adagrad : Optimizer
{
    public Adagrad(float learningRateDecay = 0f, float weightDecay = 0f, float epsilon = 1e-10f)
    {
        CheckNonNegative(learningRateDecay, nameof(learningRateDecay));
        CheckNonNegative(weightDecay, nameof(weightDecay));
        CheckNonNegative(epsilon, nameof(epsilon));
        LearningRateDecay = learningRateDecay;
        WeightDecay = weightDecay;
        Epsilon = epsilon;
    }

    public float LearningRateDecay { get; }

    public float WeightDecay { get; }

    public float Epsilon { get; }

    public override string Name => "adagrad";

    private protected override void Update(Span<float> weights, ReadOnlySpan<float> gradients, ParameterBlock state, float learningRate, long step) =>
        OptimizerUpdates.Adagrad(weights, gradients, state.OptimizerState(0), learningRate, Epsilon, WeightDecay, LearningRateDecay, step);
}
