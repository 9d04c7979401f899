using System.Globalization;
using System.Text;
using Simd.Models.Plotting;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Models.Experiments;

/// <summary>
/// The same MLP, the same learning rate and the same number of samples seen, with batch sizes from 1 to the
/// whole training set: what each buys per epoch and per second.
/// </summary>
internal sealed class BatchSizeExperiment : Experiment
{
    public static readonly int[] FixedSizes = [1, 2, 4, 8, 32, 128, 1024];
    private const float LearningRate = 0.05f;

    public override string Name => "batch-size";

    public override string Title => "Batch size";

    public override string Question =>
        "For an equal budget of samples, how do training loss and test accuracy depend on the batch size, per epoch and per second of " +
        "wall time, and how many samples per second does each batch size train?";

    /// <summary>The batch sizes run on a training set of <paramref name="trainCount"/> samples: the fixed ones below it, then the whole set.</summary>
    public static int[] Sizes(int trainCount) => [.. FixedSizes.Where(b => b < trainCount), trainCount];

    public override void Run(ExperimentContext context)
    {
        ExperimentData data = ExperimentData.Load(context.Quick);
        int hidden = context.Quick ? 64 : 128;
        int epochs = context.Quick ? 4 : 5;
        int[] sizes = Sizes(data.Train.Count);
        context.Setup = $"{data.Describe()}; an MLP {data.Features}-{hidden}-{data.Classes} (ReLU), plain SGD at a constant " +
                        string.Create(CultureInfo.InvariantCulture, $"learning rate {LearningRate} for every batch size, {epochs} epochs each ") +
                        string.Create(CultureInfo.InvariantCulture, $"(the same {epochs * data.Train.Count:N0} samples seen), seed 1, one thread. ") +
                        "Wall time is training alone: the test accuracy is measured after each epoch's clock stops.";

        var table = context.Table("points.csv", "batch_size", "epoch", "iterations", "samples", "seconds", "train_loss", "train_accuracy", "test_accuracy", "samples_per_second");
        // An untimed epoch at the smallest and the largest batch first, so that the first timed run does not also pay for compiling the code.
        foreach (int batch in new[] { sizes[0], sizes[^1] })
        {
            using var warmup = ExperimentTraining.Mlp(data, [hidden], ActivationKind.Relu, batch);
            ExperimentTraining.Run(warmup, data, new Sgd(), new TrainerOptions { Epochs = 1, BatchSize = batch, LearningRate = LearningRate }, false, context.Cancellation, out _, out _);
        }
        var runs = new List<(int Batch, List<EpochPoint> Points, int? Diverged)>();
        foreach (int batch in sizes)
        {
            using var model = ExperimentTraining.Mlp(data, [hidden], ActivationKind.Relu, batch);
            var options = new TrainerOptions { Epochs = epochs, BatchSize = batch, LearningRate = LearningRate, Seed = 1 };
            var points = ExperimentTraining.Run(model, data, new Sgd(), options, watchValidation: false, context.Cancellation, out int? diverged, out _);
            foreach (var p in points)
                table.Add(batch, p.Epoch, p.Iterations, p.Samples, p.Seconds, p.TrainLoss, p.TrainAccuracy, p.TestAccuracy, Throughput(points, p.Epoch));
            runs.Add((batch, points, diverged));
            context.Log(points.Count == 0 ? $"batch {batch}: diverged in epoch {diverged}" : string.Create(CultureInfo.InvariantCulture,
                $"batch {batch}: test accuracy {points[^1].TestAccuracy:F4}, {Throughput(points):N0} samples/s{(diverged is int d ? $", diverged in epoch {d}" : "")}"));
        }

        string Label(int batch) => batch == data.Train.Count ? $"full ({batch})" : $"batch {batch}";
        Series Curve(int batch, List<EpochPoint> points, Func<EpochPoint, double> x, Func<EpochPoint, double> y) =>
            new(Label(batch), points.Select(x).ToArray(), points.Select(y).ToArray(), SeriesKind.LineWithMarkers);
        context.Figure("loss-per-epoch.svg", "Training loss per epoch (log scale): every batch size sees the same samples per epoch.", new Chart
        {
            Title = "Training loss per epoch", XLabel = "epoch", YLabel = "training loss", YScale = AxisScale.Log,
            Series = runs.Select(r => Curve(r.Batch, r.Points, p => p.Epoch, p => p.TrainLoss)).ToArray(),
        });
        context.Figure("accuracy-per-epoch.svg", "Test accuracy per epoch.", new Chart
        {
            Title = "Test accuracy per epoch", XLabel = "epoch", YLabel = "test accuracy",
            Series = runs.Select(r => Curve(r.Batch, r.Points, p => p.Epoch, p => p.TestAccuracy)).ToArray(),
        });
        context.Figure("accuracy-per-second.svg", "Test accuracy against wall time of training (log scale).", new Chart
        {
            Title = "Test accuracy per second", XLabel = "seconds of training", YLabel = "test accuracy", XScale = AxisScale.Log,
            Series = runs.Select(r => Curve(r.Batch, r.Points, p => p.Seconds, p => p.TestAccuracy)).ToArray(),
        });
        context.Figure("loss-per-second.svg", "Training loss against wall time of training (log scales).", new Chart
        {
            Title = "Training loss per second", XLabel = "seconds of training", YLabel = "training loss", XScale = AxisScale.Log, YScale = AxisScale.Log,
            Series = runs.Select(r => Curve(r.Batch, r.Points, p => p.Seconds, p => p.TrainLoss)).ToArray(),
        });
        var finished = runs.Where(r => r.Points.Count > 0).ToList();
        context.Figure("throughput.svg", "Samples trained per second for each batch size (log scales).", new Chart
        {
            Title = "Throughput", XLabel = "batch size", YLabel = "samples per second", XScale = AxisScale.Log, YScale = AxisScale.Log,
            Series = [new Series("samples/s", finished.Select(r => (double)r.Batch).ToArray(),
                                 finished.Select(r => Throughput(r.Points)).ToArray(), SeriesKind.LineWithMarkers)],
        });

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"batch",8} {"steps",8} {"seconds",9} {"samples/s",11} {"train loss",11} {"test acc",9}\n");
        foreach (var (batch, points, diverged) in runs)
        {
            if (points.Count == 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"{batch,8} diverged in epoch {diverged}\n");
                continue;
            }
            var last = points[^1];
            text.Append(CultureInfo.InvariantCulture, $"{batch,8} {last.Iterations,8} {last.Seconds,9:F3} {Throughput(points),11:N0} {last.TrainLoss,11:F4} {last.TestAccuracy,9:F4}\n");
        }
        context.Detail($"After {epochs} epochs", text.ToString());
        Findings(context, finished, epochs, data.Test.Count, Label);
        var divergedRuns = runs.Where(r => r.Diverged is not null).ToList();
        if (divergedRuns.Count > 0)
            context.Finding(string.Create(CultureInfo.InvariantCulture,
                $"Diverged at learning rate {LearningRate}: {string.Join(", ", divergedRuns.Select(r => $"batch {r.Batch} in epoch {r.Diverged}"))}; a gradient of so few samples is too noisy for this rate, and their curves stop where the loss became NaN."));
    }

    /// <summary>
    /// Samples per second up to <paramref name="epoch"/> (default: the last), leaving out the first epoch where
    /// there are later ones: it also pays for first-touch allocations and the compiler's warm-up.
    /// </summary>
    private static double Throughput(List<EpochPoint> points, int? epoch = null)
    {
        var last = epoch is int e ? points[e - 1] : points[^1];
        if (last.Epoch == 1) return last.Samples / last.Seconds;
        return (last.Samples - points[0].Samples) / (last.Seconds - points[0].Seconds);
    }

    private static void Findings(ExperimentContext context, List<(int Batch, List<EpochPoint> Points, int? Diverged)> runs, int epochs, int testCount,
                                 Func<int, string> label)
    {
        if (runs.Count == 0) return;
        var best = runs.OrderByDescending(r => r.Points[^1].TestAccuracy).ThenBy(r => r.Points[^1].Seconds).First();
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"Best batch size for this sample budget: {best.Batch} (test accuracy {best.Points[^1].TestAccuracy:F4} after {epochs} epochs, {best.Points[^1].Seconds:F2} s of training; ties go to the faster run)."));
        var fast = runs.OrderByDescending(r => Throughput(r.Points)).First();
        var one = runs[0];
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"Throughput rises from {Throughput(one.Points):N0} samples/s at batch {one.Batch} to {Throughput(fast.Points):N0} at batch {fast.Batch} " +
            $"({Throughput(fast.Points) / Throughput(one.Points):F0}×): a larger batch is one matrix product instead of many small ones."));
        var full = runs[^1];
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"At the same learning rate the {label(full.Batch)} run takes {full.Points[^1].Iterations} steps in {epochs} epochs against {one.Points[^1].Iterations:N0} at batch {one.Batch}, " +
            $"and ends at test accuracy {full.Points[^1].TestAccuracy:F4}: fewer, averaged steps need more epochs (or a larger rate) to get as far."));
        double target = best.Points[^1].TestAccuracy - 0.02;
        var soonest = runs.Select(r => (r.Batch, Time: r.Points.FirstOrDefault(p => p.TestAccuracy >= target)?.Seconds))
                          .Where(r => r.Time is not null).OrderBy(r => r.Time).FirstOrDefault();
        if (soonest.Time is double seconds)
            context.Finding(string.Create(CultureInfo.InvariantCulture,
                $"First to reach test accuracy {target:F4} (two points below the best) in wall time: batch {soonest.Batch}, after {seconds:F3} s (measured at epoch ends)."));
    }
}
