using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Models.Experiments;

/// <summary>One epoch of a training experiment. Seconds and samples count from the start of the run; validation and test values are NaN when not measured.</summary>
internal sealed record EpochPoint(
    int Epoch, double TrainLoss, double TrainAccuracy, double ValidationLoss, double ValidationAccuracy, double TestAccuracy,
    double Seconds, long Samples, long Iterations, bool Improved);

/// <summary>A training run of the experiments: an MLP, the runtime's Trainer, and the curves per epoch.</summary>
internal static class ExperimentTraining
{
    /// <summary>Hidden Dense layers of <paramref name="widths"/>, each with <paramref name="activation"/>, then one output per class (softmax cross-entropy).</summary>
    public static Model Mlp(ExperimentData data, IReadOnlyList<int> widths, ActivationKind activation, int maxBatch, long seed = 1)
    {
        var builder = new ModelBuilder(data.Features);
        foreach (int width in widths) builder.Dense(width, activation);
        return builder.Dense(data.Classes).Build(seed, Math.Max(64, maxBatch));
    }

    /// <summary>
    /// Trains and measures every epoch. With <paramref name="watchValidation"/> the trainer watches the validation
    /// split (early stopping needs it) and its time counts in the epoch; without it the epoch's time is training
    /// alone and the test accuracy is measured after the clock stops. A run that diverges ends its curves there
    /// (<paramref name="diverged"/> says in which epoch) rather than the experiment.
    /// </summary>
    public static List<EpochPoint> Run(Model model, ExperimentData data, Optimizer optimizer, TrainerOptions options, bool watchValidation,
                                       CancellationToken cancellation, out int? diverged, out TrainingHistory? history)
    {
        var points = new List<EpochPoint>();
        int batchSize = Math.Min(options.BatchSize, data.Train.Count);
        long iterationsPerEpoch = (data.Train.Count + batchSize - 1) / batchSize;
        double seconds = 0;
        Trainer? trainer = null;
        options.EpochCompleted = e =>
        {
            seconds += e.Elapsed.TotalSeconds;
            double test = trainer!.Evaluate(data.Test).Accuracy;
            points.Add(new EpochPoint(e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy, test, seconds,
                                      (long)e.Epoch * data.Train.Count, e.Epoch * iterationsPerEpoch, e.Improved));
        };
        trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), optimizer, options);
        try
        {
            history = trainer.Fit(data.Train, watchValidation ? data.Validation : null, cancellation);
            diverged = null;
        }
        catch (NonFiniteValueException e) when (!e.IsInInput)
        {
            history = null;
            diverged = e.Epoch;
        }
        return points;
    }
}
