using Simd.Runtime.Optimization;

namespace Simd.Runtime.Training;

/// <summary>How <see cref="Trainer"/> runs. Read at the start of every step, so a callback may change e.g. <see cref="CheckFinite"/>.</summary>
public sealed class TrainerOptions
{
    public int Epochs { get; set; } = 10;

    /// <summary>
    /// Rows per step, from 1 (stochastic; refused for a model with BatchNorm, whose batch statistics need two rows)
    /// to the whole set (full batch); the last batch of an epoch may be smaller, down to one row (see BatchNormOp).
    /// </summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Seeds the per-epoch shuffles. Weights and dropout masks are seeded by the model's own seed.</summary>
    public long Seed { get; set; } = 1;

    public bool Shuffle { get; set; } = true;

    /// <summary>Threads for the matrix products; results are bitwise identical for any count.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>Constant learning rate, used when <see cref="Schedule"/> is null.</summary>
    public float LearningRate { get; set; } = 0.01f;

    public LearningRateSchedule? Schedule { get; set; }

    /// <summary>Clip gradients to this global L2 norm before each update; 0 turns clipping off.</summary>
    public float ClipGradientNorm { get; set; }

    /// <summary>Stop after this many epochs without improvement of the monitored loss; 0 turns early stopping off.</summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>With early stopping on, end the run with the weights of the best epoch.</summary>
    public bool RestoreBestWeights { get; set; } = true;

    /// <summary>Scan each batch's inputs and outputs for NaN/Inf (the loss is always checked).</summary>
    public bool CheckFinite { get; set; }

    /// <summary>Where to save a checkpoint after every epoch; null for none.</summary>
    public string? CheckpointPath { get; set; }

    /// <summary>Called after every epoch (after its checkpoint is written).</summary>
    public Action<EpochResult>? EpochCompleted { get; set; }

    /// <summary>Called after every step.</summary>
    public Action<BatchResult>? BatchCompleted { get; set; }

    internal void Validate()
    {
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must not be negative.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be at least 1.");
        if (Threads < 1) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be at least 1.");
        if (Schedule is null && (!(LearningRate >= 0f) || float.IsPositiveInfinity(LearningRate)))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be finite and not negative.");
        if (!(ClipGradientNorm >= 0f)) throw new ArgumentOutOfRangeException(nameof(ClipGradientNorm), ClipGradientNorm, "The clipping norm must not be negative.");
        if (EarlyStoppingPatience < 0)
            throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "Patience must not be negative.");
    }
}
