using Simd.Runtime.Tensors;

namespace Simd.Runtime.Optimization;

/// <summary>
/// Updates a model's whole parameter region in one kernel call per step, from the gradient region beside it and
/// the optimizer state slots of the same <see cref="ParameterBlock"/>. Semantics follow torch.optim, with subnormal
/// weights and state flushed to zero as under PyTorch's <c>torch.set_flush_denormal(True)</c> (TensorFlow's CPU
/// default): a momentum or moment that decays towards zero ends at 0 instead of sticking at the smallest subnormal,
/// which would slow every later step several times on x86 cores. See <c>OptimizerUpdates</c> in Simd.Runtime.Intrinsics.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Short name used in checkpoints, logs and the command line.</summary>
    public abstract string Name { get; }

    /// <summary>Updates taken so far (the t of bias corrections and learning-rate decay).</summary>
    public long StepCount { get; internal set; }

    /// <summary>Applies one update with the given learning rate.</summary>
    public void Step(ParameterBlock parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate >= 0f) || float.IsPositiveInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and not negative.");
        StepCount++;
        Update(parameters.Parameters, parameters.Gradients, parameters, learningRate, StepCount);
    }

    /// <summary>Forgets the state: zero step count and zero buffers.</summary>
    public void Reset(ParameterBlock parameters)
    {
        StepCount = 0;
        parameters.AllOptimizerState.Clear();
    }

    private protected abstract void Update(Span<float> weights, ReadOnlySpan<float> gradients, ParameterBlock state, float learningRate, long step);

    private protected static void CheckNonNegative(float value, string name)
    {
        if (!(value >= 0f) || float.IsPositiveInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and not negative.");
    }

    private protected static void CheckFraction(float value, string name)
    {
        if (!(value >= 0f && value < 1f))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
    }
}
