namespace Simd.Runtime.Optimization;

/// <summary>
/// The learning rate as a pure function of the update index (0-based) and the run's total number of updates, so a
/// resumed run needs no schedule state beyond the optimizer's step count.
/// </summary>
public abstract class LearningRateSchedule
{
    public abstract float At(long stepNumber, long totalSteps);

    private protected static void CheckRate(float value, string name)
    {
        if (!(value >= 0f) || float.IsPositiveInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, "A learning rate must be finite and not negative.");
    }
}

public sealed class ConstantLearningRate : LearningRateSchedule
{
    public ConstantLearningRate(float learningRate)
    {
        CheckRate(learningRate, nameof(learningRate));
        LearningRate = learningRate;
    }

    public float LearningRate { get; }

    public override float At(long stepNumber, long totalSteps) => LearningRate;
}

/// <summary>lr · γ^⌊step / stepSize⌋ (torch StepLR, counted in updates).</summary>
public sealed class StepLearningRate : LearningRateSchedule
{
    public StepLearningRate(float learningRate, long stepSize, float gamma = 0.1f)
    {
        CheckRate(learningRate, nameof(learningRate));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        CheckRate(gamma, nameof(gamma));
        LearningRate = learningRate;
        StepSize = stepSize;
        Gamma = gamma;
    }

    public float LearningRate { get; }

    public long StepSize { get; }

    public float Gamma { get; }

    public override float At(long stepNumber, long totalSteps) => (float)(LearningRate * Math.Pow(Gamma, stepNumber / StepSize));
}

/// <summary>
/// Cosine annealing from lr towards minimum over the whole run (torch CosineAnnealingLR with T_max = total updates):
/// update t of T trains at minimum + (lr − minimum)·(1 + cos(π·t/T))/2, so the last update still moves the weights
/// and the minimum is where the run would go next.
/// </summary>
public sealed class CosineLearningRate : LearningRateSchedule
{
    public CosineLearningRate(float learningRate, float minimum = 0f)
    {
        CheckRate(learningRate, nameof(learningRate));
        CheckRate(minimum, nameof(minimum));
        LearningRate = learningRate;
        Minimum = minimum;
    }

    public float LearningRate { get; }

    public float Minimum { get; }

    public override float At(long stepNumber, long totalSteps)
    {
        if (totalSteps <= 0) return LearningRate;
        double progress = Math.Min(1.0, (double)stepNumber / totalSteps);
        return (float)(Minimum + 0.5 * (LearningRate - Minimum) * (1 + Math.Cos(Math.PI * progress)));
    }
}

/// <summary>Linear warm-up: (step + 1) / warmupSteps of the inner schedule for the first warmupSteps updates, then the inner one.</summary>
public sealed class LinearWarmupLearningRate : LearningRateSchedule
{
    public LinearWarmupLearningRate(LearningRateSchedule inner, long warmupSteps)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        Inner = inner;
        WarmupSteps = warmupSteps;
    }

    public LearningRateSchedule Inner { get; }

    public long WarmupSteps { get; }

    public override float At(long stepNumber, long totalSteps)
    {
        float rate = Inner.At(stepNumber, totalSteps);
        return stepNumber < WarmupSteps ? rate * (float)((stepNumber + 1.0) / WarmupSteps) : rate;
    }
}
