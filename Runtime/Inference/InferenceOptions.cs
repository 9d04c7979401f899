namespace Simd.Runtime.Inference;

/// <summary>How a frozen model runs. Fixed when the model is frozen.</summary>
public sealed class InferenceOptions
{
    public static InferenceOptions Default { get; } = new();

    /// <summary>Largest batch one call may pass; per-call scratch is sized for it. Default 256.</summary>
    public int MaxBatch { get; init => field = InRange(value, nameof(MaxBatch), 1, 1 << 20); } = 256;

    /// <summary>
    /// Threads each matrix product may use (the calling thread included). More than one helps batch-1 latency
    /// (the columns are split) and large batches; results are bitwise identical for any count. Default 1.
    /// </summary>
    public int IntraOpThreads { get; init => field = InRange(value, nameof(IntraOpThreads), 1, 1024); } = 1;

    /// <summary>What a NaN or ±∞ in the input does. Default <see cref="NonFiniteInput.Propagate"/>.</summary>
    public NonFiniteInput NonFiniteInput
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(NonFiniteInput), value, "Expected Propagate or Reject.");
    } = NonFiniteInput.Propagate;

    private static int InRange(int value, string name, int min, int max) =>
        value >= min && value <= max ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in {min}..{max}, got {value}.");
}

/// <summary>Treatment of NaN and ±∞ input features.</summary>
public enum NonFiniteInput
{
    /// <summary>Compute as usual: non-finite values flow into the outputs (no cost).</summary>
    Propagate,

    /// <summary>Check every input first and throw <see cref="NonFiniteInputException"/> naming the first bad value.</summary>
    Reject,
}
