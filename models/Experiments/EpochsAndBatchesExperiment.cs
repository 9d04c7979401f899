using System.Globalization;
using Simd.Models.Plotting;
using Simd.Runtime.Data;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Models.Experiments;

/// <summary>
/// Epochs, batches and iterations: how many steps an epoch is for each batch size, and what training past the
/// best epoch does to the validation loss, with the epoch early stopping picks marked.
/// </summary>
internal sealed class EpochsAndBatchesExperiment : Experiment
{
    public const int Patience = 5;
    private const float Rate = 0.003f;

    public override string Name => "epochs-and-batches";

    public override string Title => "Epochs, batches and early stopping";

    public override string Question =>
        "How many iterations is one epoch for each batch size, and what happens to the training and validation loss when training goes on " +
        "past the best epoch; which epoch does early stopping keep?";

    public override void Run(ExperimentContext context)
    {
        ExperimentData data = ExperimentData.Load(context.Quick);
        int subset = context.Quick ? 200 : 3000;
        int epochs = context.Quick ? 50 : 60;
        int[] widths = context.Quick ? [128, 128] : [256, 256];
        Iterations(context, data);
        Dataset small = Subset(data.Train, subset);
        var overfit = data with { Train = small };
        context.Setup = $"{data.Describe()}. Iterations: one epoch over all {data.Train.Count} training samples per batch size, steps counted by the trainer. " +
                        string.Create(CultureInfo.InvariantCulture, $"Overfitting: the first {subset:N0} training samples (seeded shuffle) and the full validation split, an MLP {data.Features}-{string.Join("-", widths)}-{data.Classes} " +
                        $"(ReLU, no dropout or weight decay), Adam lr {Rate.ToString(CultureInfo.InvariantCulture)}, batch 32, {epochs} epochs without stopping, then again with early stopping (patience {Patience}, best weights restored).");

        using var model = ExperimentTraining.Mlp(overfit, widths, ActivationKind.Relu, 32);
        var points = ExperimentTraining.Run(model, overfit, new Adam(), new TrainerOptions { Epochs = epochs, BatchSize = 32, LearningRate = Rate, Seed = 1 },
                                            watchValidation: true, context.Cancellation, out _, out _);
        var table = context.Table("points.csv", "epoch", "iterations", "train_loss", "train_accuracy", "validation_loss", "validation_accuracy", "test_accuracy");
        foreach (var p in points) table.Add(p.Epoch, p.Iterations, p.TrainLoss, p.TrainAccuracy, p.ValidationLoss, p.ValidationAccuracy, p.TestAccuracy);
        if (points.Count == 0) return;
        var (best, stop) = EarlyStopping(points, Patience);

        using var stopped = ExperimentTraining.Mlp(overfit, widths, ActivationKind.Relu, 32);
        var trainer = new Trainer(stopped, new Simd.Runtime.Losses.SoftmaxCrossEntropyLoss(), new Adam(),
            new TrainerOptions { Epochs = epochs, BatchSize = 32, LearningRate = Rate, Seed = 1, EarlyStoppingPatience = Patience, RestoreBestWeights = true });
        TrainingHistory history = trainer.Fit(small, data.Validation, context.Cancellation);
        double restoredTest = trainer.Evaluate(data.Test).Accuracy;
        int stoppedAt = history.Epochs[^1].Epoch;
        context.Check(history.BestEpoch == best, $"the trainer restored epoch {history.BestEpoch}; the curves' lowest validation loss is at epoch {best}");
        context.Check(stop is null ? !history.StoppedEarly : history.StoppedEarly && stoppedAt == stop,
                      $"the trainer stopped after epoch {stoppedAt}{(history.StoppedEarly ? "" : " (no early stop)")}; patience {Patience} on the curves stops after {stop?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
        context.Log(string.Create(CultureInfo.InvariantCulture, $"best validation loss at epoch {best}, early stopping ends after epoch {stoppedAt}"));

        var markers = new List<VerticalMarker> { new(best, $"best: epoch {best}") };
        if (stop is int s) markers.Add(new(s, $"stop (patience {Patience})"));
        double[] x = points.Select(p => (double)p.Epoch).ToArray();
        context.Figure("loss.svg", $"Training and validation loss per epoch (log scale); early stopping with patience {Patience} keeps the marked best epoch.", new Chart
        {
            Title = "Loss past the best epoch", XLabel = "epoch", YLabel = "loss", YScale = AxisScale.Log, Markers = markers,
            Series = [new Series("train loss", x, points.Select(p => p.TrainLoss).ToArray()), new Series("validation loss", x, points.Select(p => p.ValidationLoss).ToArray())],
        });
        context.Figure("accuracy.svg", "Training, validation and test accuracy per epoch.", new Chart
        {
            Title = "Accuracy", XLabel = "epoch", YLabel = "accuracy", Markers = markers,
            Series =
            [
                new Series("train accuracy", x, points.Select(p => p.TrainAccuracy).ToArray()),
                new Series("validation accuracy", x, points.Select(p => p.ValidationAccuracy).ToArray()),
                new Series("test accuracy", x, points.Select(p => p.TestAccuracy).ToArray()),
            ],
        });

        var lowest = points.MinBy(p => p.ValidationLoss)!;
        var last = points[^1];
        context.Finding(last.ValidationLoss > lowest.ValidationLoss
            ? string.Create(CultureInfo.InvariantCulture, $"The validation loss is lowest at epoch {lowest.Epoch} ({lowest.ValidationLoss:F4}) and {last.ValidationLoss:F4} by epoch {last.Epoch} ({100 * (last.ValidationLoss / lowest.ValidationLoss - 1):F0}% higher), while the training loss fell from {lowest.TrainLoss:F4} to {last.TrainLoss:F4}: past the best epoch the network fits its {subset:N0} training samples, not the task.")
            : string.Create(CultureInfo.InvariantCulture, $"The validation loss falls to the last epoch ({last.ValidationLoss:F4} at epoch {last.Epoch}): this run did not train past its best epoch."));
        string early = history.BestEpoch == lowest.Epoch
            ? "the epoch of the lowest validation loss"
            : $"not the epoch of the lowest validation loss ({lowest.Epoch}): the loss stalled for {Patience} epochs before it fell again";
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"Early stopping (patience {Patience}) ends after epoch {stoppedAt} of {epochs} and restores epoch {history.BestEpoch}, {early}; test accuracy {restoredTest:F4}, against {last.TestAccuracy:F4} after all {epochs} epochs, in {100.0 * stoppedAt / epochs:F0}% of the epochs."));
    }

    /// <summary>Steps per epoch for each batch size, counted by the trainer and checked against ⌈samples / batch⌉.</summary>
    private static void Iterations(ExperimentContext context, ExperimentData data)
    {
        var table = context.Table("iterations.csv", "batch_size", "iterations_per_epoch", "expected");
        int[] sizes = BatchSizeExperiment.Sizes(data.Train.Count);
        var counted = new List<(int Batch, int Steps)>();
        foreach (int batch in sizes)
        {
            using var model = ExperimentTraining.Mlp(data, [16], ActivationKind.Relu, batch);
            int steps = 0;
            var options = new TrainerOptions { Epochs = 1, BatchSize = batch, LearningRate = 0.01f, BatchCompleted = b => steps = b.BatchCount };
            new Trainer(model, new Simd.Runtime.Losses.SoftmaxCrossEntropyLoss(), new Sgd(), options).Fit(data.Train, null, context.Cancellation);
            int expected = (data.Train.Count + batch - 1) / batch;
            table.Add(batch, steps, expected);
            context.Check(steps == expected, $"batch {batch}: {steps} steps in an epoch of {data.Train.Count} samples, expected {expected}");
            counted.Add((batch, steps));
        }
        context.Figure("iterations.svg", $"Iterations (optimizer steps) per epoch of {data.Train.Count} samples: ⌈samples / batch size⌉ (log scales).", new Chart
        {
            Title = "Iterations per epoch", XLabel = "batch size", YLabel = "iterations per epoch", XScale = AxisScale.Log, YScale = AxisScale.Log,
            Series = [new Series("iterations", counted.Select(c => (double)c.Batch).ToArray(), counted.Select(c => (double)c.Steps).ToArray(), SeriesKind.LineWithMarkers)],
        });
        var (b32, s32) = counted.FirstOrDefault(c => c.Batch == 32);
        string at32 = b32 > 0 ? string.Create(CultureInfo.InvariantCulture, $", {s32:N0} at batch 32") : "";
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"An epoch is {counted[0].Steps:N0} iterations at batch {counted[0].Batch}{at32} and 1 with the whole set as one batch: " +
            $"an epoch fixes the samples seen, the batch size how many updates they make."));
    }

    /// <summary>The epoch of the lowest validation loss, and the epoch after which patience runs out (null: it never does).</summary>
    public static (int Best, int? Stop) EarlyStopping(IReadOnlyList<EpochPoint> points, int patience)
    {
        double bestLoss = double.PositiveInfinity;
        int best = 0, since = 0;
        int? stop = null;
        foreach (var p in points)
        {
            if (p.ValidationLoss < bestLoss) (bestLoss, best, since) = (p.ValidationLoss, p.Epoch, 0);
            else since++;
            if (stop is null && since >= patience && p.Epoch < points.Count) stop = p.Epoch;
        }
        // The best epoch early stopping keeps is the best up to where it stops.
        if (stop is int s) best = points.Take(s).MinBy(p => p.ValidationLoss)!.Epoch;
        return (best, stop);
    }

    private static Dataset Subset(Dataset train, int count)
    {
        int[] order = Enumerable.Range(0, train.Count).ToArray();
        new Random(1).Shuffle(order);
        return train.Subset(order.AsSpan(0, Math.Min(count, train.Count)), train.Name + " subset");
    }
}
