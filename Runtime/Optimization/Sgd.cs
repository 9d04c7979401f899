using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Optimization;

/// <summary>
/// Stochastic gradient descent, torch.optim.SGD: g += wd·w; with momentum, v = g on the first step, else
/// v = μ·v + (1 − dampening)·g; the step uses v, or g + μ·v with Nesterov.
/// </summary>
public sealed class Sgd : Optimizer
{
    public Sgd(float momentum = 0f, float dampening = 0f, float weightDecay = 0f, bool nesterov = false)
    {
        CheckFraction(momentum, nameof(momentum));
        CheckNonNegative(dampening, nameof(dampening));
        CheckNonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && (momentum == 0f || dampening != 0f))
            throw new ArgumentException($"Nesterov momentum needs momentum > 0 and dampening 0 (got momentum {momentum}, dampening {dampening}).");
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
    }

    public float Momentum { get; }

    public float Dampening { get; }

    public float WeightDecay { get; }

    public bool Nesterov { get; }

    public override string Name => "sgd";

    private protected override void Update(Span<float> weights, ReadOnlySpan<float> gradients, ParameterBlock state, float learningRate, long step) =>
        OptimizerUpdates.Sgd(weights, gradients, state.OptimizerState(0), learningRate, Momentum, Dampening, WeightDecay, Nesterov, firstStep: step == 1);
}
