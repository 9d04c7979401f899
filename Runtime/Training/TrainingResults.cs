namespace Simd.Runtime.Training;

/// <summary>
/// One epoch. Accuracy is argmax accuracy for class labels, exact-match accuracy for multi-label (thresholded) outputs,
/// NaN for regression; MicroF1 is set for thresholded outputs only. Validation values are NaN without a validation set.
/// </summary>
public sealed record EpochResult(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationLoss,
    double ValidationAccuracy,
    double ValidationMicroF1,
    float LearningRate,
    bool Improved,
    TimeSpan Elapsed);

/// <summary>One step, passed to <see cref="TrainerOptions.BatchCompleted"/> (a struct: reporting allocates nothing).</summary>
public readonly record struct BatchResult(int Epoch, int Batch, int BatchCount, int Rows, double Loss, float LearningRate);

/// <summary>Loss and metrics of a model over a dataset in evaluation mode.</summary>
public readonly record struct EvaluationResult(double Loss, double Accuracy, double MicroF1, int Count);

/// <summary>What <see cref="Trainer.Fit"/> ran: every epoch so far (including those before a resume).</summary>
public sealed record TrainingHistory(IReadOnlyList<EpochResult> Epochs, int BestEpoch, bool StoppedEarly)
{
    public EpochResult? Last => Epochs.Count == 0 ? null : Epochs[^1];
}
