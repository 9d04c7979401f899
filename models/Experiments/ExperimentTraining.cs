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
    /// alone, and the validation and test accuracies are measured after the clock stops. A run that diverges ends its curves there
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
            var validation = watchValidation ? (Loss: e.ValidationLoss, Accuracy: e.ValidationAccuracy) : Measure(trainer, data.Validation);
            points.Add(new EpochPoint(e.Epoch, e.TrainLoss, e.TrainAccuracy, validation.Loss, validation.Accuracy, test, seconds,
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

    private static (double Loss, double Accuracy) Measure(Trainer trainer, Runtime.Data.Dataset data)
    {
        var result = trainer.Evaluate(data);
        return (result.Loss, result.Accuracy);
    }

    /// <summary>
    /// Trains for <paramref name="seconds"/> of wall time (epochs as many as fit) and measures the test accuracy
    /// each time the training clock passes one of <paramref name="checkpoints"/> (seconds, ascending, the last one
    /// at most <paramref name="seconds"/>). The clock stops while it measures. A run that diverges ends there.
    /// </summary>
    public static List<TimePoint> RunForTime(Model model, ExperimentData data, Optimizer optimizer, TrainerOptions options, double seconds,
                                             IReadOnlyList<double> checkpoints, CancellationToken cancellation, out int? diverged)
    {
        var points = new List<TimePoint>();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var clock = new System.Diagnostics.Stopwatch();
        long samples = 0, iterations = 0;
        int next = 0;
        Trainer? trainer = null;
        options.Epochs = int.MaxValue; // the clock ends the run
        options.BatchCompleted = b =>
        {
            samples += b.Rows;
            iterations++;
            double elapsed = clock.Elapsed.TotalSeconds;
            if (next < checkpoints.Count && elapsed >= checkpoints[next])
            {
                clock.Stop();
                while (next < checkpoints.Count && elapsed >= checkpoints[next]) next++;
                points.Add(new TimePoint(elapsed, samples, iterations, trainer!.Evaluate(data.Test).Accuracy));
                clock.Start();
            }
            if (elapsed >= seconds) budget.Cancel();
        };
        trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), optimizer, options);
        diverged = null;
        clock.Start();
        try
        {
            trainer.Fit(data.Train, null, budget.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
        }
        catch (NonFiniteValueException e) when (!e.IsInInput)
        {
            diverged = e.Epoch;
        }
        return points;
    }
}

/// <summary>A point of a run on a time budget: seconds of training (the clock stopped while measuring), samples and steps so far, and the test accuracy.</summary>
internal sealed record TimePoint(double Seconds, long Samples, long Iterations, double TestAccuracy);
