using System.Globalization;
using System.Text;
using Simd.Models.Plotting;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Models.Experiments;

/// <summary>
/// The same MLP with batch sizes from 1 to the whole training set, each at the learning rate that suits it best:
/// what each buys for an equal budget of samples and for an equal budget of time, and how fast each trains.
/// </summary>
internal sealed class BatchSizeExperiment : Experiment
{
    public static readonly int[] FixedSizes = [1, 2, 4, 8, 32, 128, 1024];

    /// <summary>The batch size whose time for the sample budget is every batch size's time budget.</summary>
    public const int TimeReference = 32;

    /// <summary>The notes' claim: batches of this size or smaller generalise best.</summary>
    private const int SmallBatch = 32;

    /// <summary>Doublings below the time budget at which the time-budget runs measure the test accuracy.</summary>
    private const int TimeCheckpoints = 7;

    public override string Name => "batch-size";

    public override string Title => "Batch size";

    public override string Question =>
        "For an equal budget of samples and for an equal budget of time, how do training loss and test accuracy depend on the batch size, " +
        "each batch size at its own best learning rate; which rates does each batch size tolerate; and how many samples per second does each train?";

    /// <summary>The batch sizes run on a training set of <paramref name="trainCount"/> samples: the fixed ones below it, then the whole set.</summary>
    public static int[] Sizes(int trainCount) => [.. FixedSizes.Where(b => b < trainCount), trainCount];

    /// <summary>
    /// The learning rates a batch size may try, in steps of about √10. Each batch size climbs them from the run's
    /// first rate until a rate diverges or two rates in a row do worse than the best so far.
    /// </summary>
    public static readonly float[] RateLadder = [0.001f, 0.003f, 0.01f, 0.03f, 0.1f, 0.3f, 1f, 3f, 10f];

    /// <summary>One batch size at one rate; <see cref="TrainAccuracy"/> is the training set measured after the last epoch.</summary>
    private sealed record Trial(int Batch, float Rate, List<EpochPoint> Points, int? Diverged, double TrainAccuracy)
    {
        public double Validation => Points.Count == 0 || Diverged is not null ? double.NaN : Points[^1].ValidationAccuracy;
    }

    private sealed record Chosen(Trial Run, float LargestStable, List<TimePoint> Timed)
    {
        public double TrainAccuracy => Run.TrainAccuracy;
    }

    public override void Run(ExperimentContext context)
    {
        ExperimentData data = ExperimentData.Load(context.Quick);
        int hidden = context.Quick ? 64 : 128;
        int epochs = context.Quick ? 4 : 10;
        int[] sizes = Sizes(data.Train.Count);
        float[] rates = [.. RateLadder.Where(r => r >= (context.Quick ? 0.01f : 0.001f))];
        context.Setup = $"{data.Describe()}; an MLP {data.Features}-{hidden}-{data.Classes} (ReLU), plain SGD at a constant learning rate, " +
                        string.Create(CultureInfo.InvariantCulture, $"{epochs} epochs for every batch size (the same {epochs * data.Train.Count:N0} samples seen), seed 1, one thread. ") +
                        string.Create(CultureInfo.InvariantCulture, $"Each batch size climbs the rates {string.Join(", ", rates)} until one diverges or two in a row do worse than its best, ") +
                        "and keeps the rate with the best validation accuracy after the last epoch; its test accuracy is the one reported. " +
                        $"For the equal time budget every batch size trains again at its rate for as long as batch {TimeReference} took for its {epochs} epochs. " +
                        "Wall time is training alone: the clock stops while the accuracies are measured.";

        var points = context.Table("points.csv", "batch_size", "learning_rate", "epoch", "iterations", "samples", "seconds", "train_loss", "train_accuracy",
                                   "validation_accuracy", "test_accuracy", "samples_per_second");
        var trialsTable = context.Table("learning-rates.csv", "batch_size", "learning_rate", "diverged_in_epoch", "validation_accuracy", "test_accuracy", "seconds", "chosen");
        var timedTable = context.Table("equal-time.csv", "batch_size", "learning_rate", "seconds", "samples", "iterations", "test_accuracy");

        // An untimed epoch at the smallest and the largest batch first, so that the first timed run does not also pay for compiling the code.
        foreach (int batch in new[] { sizes[0], sizes[^1] })
        {
            using var warmup = ExperimentTraining.Mlp(data, [hidden], ActivationKind.Relu, batch);
            ExperimentTraining.Run(warmup, data, new Sgd(), new TrainerOptions { Epochs = 1, BatchSize = batch, LearningRate = rates[0] }, false, context.Cancellation, out _, out _);
        }

        var trials = new List<Trial>();
        var chosen = new List<Chosen>();
        foreach (int batch in sizes)
        {
            var own = new List<Trial>();
            double best = double.NegativeInfinity;
            int worse = 0;
            foreach (float rate in rates)
            {
                using var model = ExperimentTraining.Mlp(data, [hidden], ActivationKind.Relu, batch);
                var options = new TrainerOptions { Epochs = epochs, BatchSize = batch, LearningRate = rate, Seed = 1 };
                var run = ExperimentTraining.Run(model, data, new Sgd(), options, watchValidation: false, context.Cancellation, out int? diverged, out _);
                double trainAccuracy = diverged is null ? new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd()).Evaluate(data.Train).Accuracy : double.NaN;
                var trial = new Trial(batch, rate, run, diverged, trainAccuracy);
                own.Add(trial);
                context.Log(trial.Diverged is int d ? string.Create(CultureInfo.InvariantCulture, $"batch {batch}, rate {rate}: diverged in epoch {d}")
                    : string.Create(CultureInfo.InvariantCulture, $"batch {batch}, rate {rate}: validation accuracy {trial.Validation:F4}, {Throughput(run):N0} samples/s"));
                if (trial.Diverged is not null) break;
                if (trial.Validation > best) (best, worse) = (trial.Validation, 0);
                else if (++worse == 2) break;
            }
            trials.AddRange(own);
            var stable = own.Where(t => t.Diverged is null).ToList();
            if (stable.Count == 0) continue;
            var pick = stable.OrderByDescending(t => t.Validation).ThenBy(t => t.Rate).First();
            chosen.Add(new Chosen(pick, stable.Max(t => t.Rate), []));
        }
        foreach (var t in trials)
            trialsTable.Add(t.Batch, t.Rate, t.Diverged is int d ? d.ToString(CultureInfo.InvariantCulture) : "", t.Validation,
                            t.Points.Count == 0 || t.Diverged is not null ? double.NaN : t.Points[^1].TestAccuracy,
                            t.Points.Count == 0 ? double.NaN : t.Points[^1].Seconds, chosen.Any(c => c.Run == t));
        foreach (var c in chosen)
            foreach (var p in c.Run.Points)
                points.Add(c.Run.Batch, c.Run.Rate, p.Epoch, p.Iterations, p.Samples, p.Seconds, p.TrainLoss, p.TrainAccuracy, p.ValidationAccuracy, p.TestAccuracy,
                           Throughput(c.Run.Points, p.Epoch));

        // Equal time: each batch size trains at its rate for as long as the reference batch size took for the sample budget.
        var reference = chosen.FirstOrDefault(c => c.Run.Batch == TimeReference) ?? chosen.OrderBy(c => Math.Abs(Math.Log(c.Run.Batch / (double)TimeReference))).FirstOrDefault();
        double budget = reference is null ? 0 : reference.Run.Points[^1].Seconds;
        double[] checkpoints = Enumerable.Range(0, TimeCheckpoints).Select(k => budget / Math.Pow(2, TimeCheckpoints - 1 - k)).ToArray();
        if (reference is not null)
        {
            foreach (var c in chosen)
            {
                using var model = ExperimentTraining.Mlp(data, [hidden], ActivationKind.Relu, c.Run.Batch);
                var options = new TrainerOptions { BatchSize = c.Run.Batch, LearningRate = c.Run.Rate, Seed = 1 };
                c.Timed.AddRange(ExperimentTraining.RunForTime(model, data, new Sgd(), options, budget, checkpoints, context.Cancellation, out _));
                foreach (var p in c.Timed) timedTable.Add(c.Run.Batch, c.Run.Rate, p.Seconds, p.Samples, p.Iterations, p.TestAccuracy);
                if (c.Timed.Count > 0)
                    context.Log(string.Create(CultureInfo.InvariantCulture,
                        $"batch {c.Run.Batch}, {budget:F3} s: test accuracy {c.Timed[^1].TestAccuracy:F4} after {c.Timed[^1].Samples:N0} samples"));
            }
        }

        Figures(context, data, epochs, trials, chosen, reference, budget);
        Details(context, epochs, chosen);
        Findings(context, data, epochs, trials, chosen, reference, budget);
    }

    private static string Label(ExperimentData data, int batch) => batch == data.Train.Count ? $"full ({batch})" : $"batch {batch}";

    private static void Figures(ExperimentContext context, ExperimentData data, int epochs, List<Trial> trials, List<Chosen> chosen, Chosen? reference, double budget)
    {
        Series Curve(Chosen c, Func<EpochPoint, double> x, Func<EpochPoint, double> y) =>
            new(Label(data, c.Run.Batch), c.Run.Points.Select(x).ToArray(), c.Run.Points.Select(y).ToArray(), SeriesKind.LineWithMarkers);
        var perSize = trials.GroupBy(t => t.Batch).ToList();
        context.Figure("learning-rate.svg",
            $"Validation accuracy after {epochs} epochs against the learning rate (log scale), one line per batch size; a line ends where the search stopped, and a diverged rate is left out.",
            new Chart
            {
                Title = "Validation accuracy per learning rate", XLabel = "learning rate", YLabel = "validation accuracy", XScale = AxisScale.Log,
                Series = perSize.Select(g => new Series(Label(data, g.Key), g.Select(t => (double)t.Rate).ToArray(), g.Select(t => t.Validation).ToArray(), SeriesKind.LineWithMarkers)).ToArray(),
            });
        context.Figure("best-rate.svg", "The learning rate each batch size keeps, and the largest it tried that did not diverge (log scales).", new Chart
        {
            Title = "Learning rate per batch size", XLabel = "batch size", YLabel = "learning rate", XScale = AxisScale.Log, YScale = AxisScale.Log,
            Series =
            [
                new Series("best rate", chosen.Select(c => (double)c.Run.Batch).ToArray(), chosen.Select(c => (double)c.Run.Rate).ToArray(), SeriesKind.LineWithMarkers),
                new Series("largest stable rate", chosen.Select(c => (double)c.Run.Batch).ToArray(), chosen.Select(c => (double)c.LargestStable).ToArray(), SeriesKind.LineWithMarkers),
            ],
        });
        context.Figure("loss-per-epoch.svg", "Training loss per epoch at each batch size's best rate (log scale): every batch size sees the same samples per epoch.", new Chart
        {
            Title = "Training loss per epoch", XLabel = "epoch", YLabel = "training loss", YScale = AxisScale.Log,
            Series = chosen.Select(c => Curve(c, p => p.Epoch, p => p.TrainLoss)).ToArray(),
        });
        context.Figure("accuracy-per-epoch.svg", "Test accuracy per epoch at each batch size's best rate.", new Chart
        {
            Title = "Test accuracy per epoch", XLabel = "epoch", YLabel = "test accuracy",
            Series = chosen.Select(c => Curve(c, p => p.Epoch, p => p.TestAccuracy)).ToArray(),
        });
        context.Figure("accuracy-per-second.svg", "Test accuracy against wall time of training (log scale), for the equal sample budget.", new Chart
        {
            Title = "Test accuracy per second", XLabel = "seconds of training", YLabel = "test accuracy", XScale = AxisScale.Log,
            Series = chosen.Select(c => Curve(c, p => p.Seconds, p => p.TestAccuracy)).ToArray(),
        });
        context.Figure("loss-per-second.svg", "Training loss against wall time of training (log scales), for the equal sample budget.", new Chart
        {
            Title = "Training loss per second", XLabel = "seconds of training", YLabel = "training loss", XScale = AxisScale.Log, YScale = AxisScale.Log,
            Series = chosen.Select(c => Curve(c, p => p.Seconds, p => p.TrainLoss)).ToArray(),
        });
        if (reference is not null)
            context.Figure("equal-time.svg", string.Create(CultureInfo.InvariantCulture,
                $"Equal time budget: test accuracy against seconds of training (log scale), every batch size given the {budget:F3} s that batch {reference.Run.Batch} took for {epochs} epochs."), new Chart
            {
                Title = "Test accuracy for an equal time budget", XLabel = "seconds of training", YLabel = "test accuracy", XScale = AxisScale.Log,
                Series = chosen.Select(c => new Series(Label(data, c.Run.Batch), c.Timed.Select(p => p.Seconds).ToArray(), c.Timed.Select(p => p.TestAccuracy).ToArray(), SeriesKind.LineWithMarkers)).ToArray(),
            });
        double[] batches = chosen.Select(c => (double)c.Run.Batch).ToArray();
        context.Figure("generalization.svg", $"Accuracy on the training set and on the test set after {epochs} epochs at each batch size's best rate (log scale); the gap between them is what the batch size does to generalisation.", new Chart
        {
            Title = "Training and test accuracy", XLabel = "batch size", YLabel = "accuracy", XScale = AxisScale.Log,
            Series =
            [
                new Series("training set", batches, chosen.Select(c => c.TrainAccuracy).ToArray(), SeriesKind.LineWithMarkers),
                new Series("test set", batches, chosen.Select(c => c.Run.Points[^1].TestAccuracy).ToArray(), SeriesKind.LineWithMarkers),
            ],
        });
        context.Figure("throughput.svg", "Samples trained per second for each batch size (log scales).", new Chart
        {
            Title = "Throughput", XLabel = "batch size", YLabel = "samples per second", XScale = AxisScale.Log, YScale = AxisScale.Log,
            Series = [new Series("samples/s", batches, chosen.Select(c => Throughput(c.Run.Points)).ToArray(), SeriesKind.LineWithMarkers)],
        });
    }

    private static void Details(ExperimentContext context, int epochs, List<Chosen> chosen)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"batch",8} {"rate",7} {"steps",8} {"seconds",9} {"samples/s",11} {"train loss",11} {"train acc",10} {"test acc",9} {"equal time",11}\n");
        foreach (var c in chosen)
        {
            var last = c.Run.Points[^1];
            string timed = c.Timed.Count == 0 ? "" : c.Timed[^1].TestAccuracy.ToString("F4", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture,
                $"{c.Run.Batch,8} {c.Run.Rate,7} {last.Iterations,8} {last.Seconds,9:F3} {Throughput(c.Run.Points),11:N0} {last.TrainLoss,11:F4} {c.TrainAccuracy,10:F4} {last.TestAccuracy,9:F4} {timed,11}\n");
        }
        context.Detail($"After {epochs} epochs at each batch size's best rate (train acc: the training set measured after the last epoch; equal time: test accuracy at the time budget)", text.ToString());
    }

    /// <summary>
    /// Samples per second up to <paramref name="epoch"/> (default: the last), leaving out the first epoch where
    /// there are later ones: it also pays for first-touch allocations and the compiler's warm-up.
    /// </summary>
    private static double Throughput(List<EpochPoint> points, int? epoch = null)
    {
        if (points.Count == 0) return double.NaN;
        var last = epoch is int e ? points[e - 1] : points[^1];
        if (last.Epoch == 1) return last.Samples / last.Seconds;
        return (last.Samples - points[0].Samples) / (last.Seconds - points[0].Seconds);
    }

    private static void Findings(ExperimentContext context, ExperimentData data, int epochs, List<Trial> trials, List<Chosen> chosen, Chosen? reference, double budget)
    {
        if (chosen.Count == 0)
        {
            context.Finding("Every batch size diverged at every rate tried.");
            return;
        }
        string Rate(float r) => r.ToString(CultureInfo.InvariantCulture);
        context.Finding("Best learning rate per batch size (and the largest that did not diverge): " +
            string.Join("; ", chosen.Select(c => $"{Label(data, c.Run.Batch)}: {Rate(c.Run.Rate)} ({Rate(c.LargestStable)})")) +
            $". {(chosen[^1].Run.Rate > chosen[0].Run.Rate ? "Larger batches average out the gradient's noise and take larger steps; a shared rate would favour some batch sizes over others." : "The best rate does not grow with the batch size here.")}");

        double Test(Chosen c) => c.Run.Points[^1].TestAccuracy;
        Chosen? Best(IEnumerable<Chosen> runs) => runs.OrderByDescending(Test).ThenBy(c => c.Run.Points[^1].Seconds).FirstOrDefault();
        var best = Best(chosen)!;
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"Best batch size for this sample budget: {best.Run.Batch} (test accuracy {Test(best):F4} after {epochs} epochs at rate {Rate(best.Run.Rate)}, {best.Run.Points[^1].Seconds:F2} s of training; ties go to the faster run)."));

        var small = Best(chosen.Where(c => c.Run.Batch <= SmallBatch));
        var large = Best(chosen.Where(c => c.Run.Batch > SmallBatch));
        if (small is not null && large is not null)
        {
            double gapSmall = chosen.Where(c => c.Run.Batch <= SmallBatch).Average(c => c.TrainAccuracy - Test(c));
            double gapLarge = chosen.Where(c => c.Run.Batch > SmallBatch).Average(c => c.TrainAccuracy - Test(c));
            string verdict = Test(small) > Test(large) ? "holds here" : "does not hold here";
            context.Finding(string.Create(CultureInfo.InvariantCulture,
                $"The claim that batches of {SmallBatch} or fewer generalise best {verdict}: for the same samples the best of them (batch {small.Run.Batch}) reaches test accuracy {Test(small):F4}, " +
                $"the best larger batch ({Label(data, large.Run.Batch)}) {Test(large):F4}. The gap between training and test accuracy averages {gapSmall:F4} for batches up to {SmallBatch} and {gapLarge:F4} above " +
                $"({(gapSmall < gapLarge ? "smaller for small batches" : "not smaller for small batches")}; a larger batch also takes fewer steps, so part of its deficit is under-training rather than poor generalisation)."));
        }

        if (reference is not null && chosen.All(c => c.Timed.Count > 0))
        {
            var timedBest = chosen.OrderByDescending(c => c.Timed[^1].TestAccuracy).First();
            var one = chosen[0];
            var whole = chosen[^1];
            context.Finding(string.Create(CultureInfo.InvariantCulture,
                $"Best batch size for an equal time budget of {budget:F3} s (what batch {reference.Run.Batch} took for {epochs} epochs): {timedBest.Run.Batch}, at test accuracy {timedBest.Timed[^1].TestAccuracy:F4}. " +
                $"In that time {Label(data, one.Run.Batch)} trained {one.Timed[^1].Samples:N0} samples ({one.Timed[^1].TestAccuracy:F4}) and {Label(data, whole.Run.Batch)} {whole.Timed[^1].Samples:N0} ({whole.Timed[^1].TestAccuracy:F4})."));
        }

        var fast = chosen.OrderByDescending(c => Throughput(c.Run.Points)).First();
        var first = chosen[0];
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"Throughput rises from {Throughput(first.Run.Points):N0} samples/s at batch {first.Run.Batch} to {Throughput(fast.Run.Points):N0} at batch {fast.Run.Batch} " +
            $"({Throughput(fast.Run.Points) / Throughput(first.Run.Points):F1}×): a larger batch is one matrix product instead of many small ones. At batch {first.Run.Batch} a step " +
            $"(forward, backward and update) takes {1e6 / Throughput(first.Run.Points):F1} µs."));

        double target = Test(best) - 0.02;
        var soonest = chosen.Select(c => (c.Run.Batch, Time: c.Run.Points.FirstOrDefault(p => p.TestAccuracy >= target)?.Seconds))
                            .Where(r => r.Time is not null).OrderBy(r => r.Time).FirstOrDefault();
        if (soonest.Time is double seconds)
            context.Finding(string.Create(CultureInfo.InvariantCulture,
                $"First to reach test accuracy {target:F4} (two points below the best) in wall time: batch {soonest.Batch}, after {seconds:F3} s (measured at epoch ends)."));

        var diverged = trials.Where(t => t.Diverged is not null).ToList();
        if (diverged.Count > 0)
            context.Finding("Diverged (the loss became NaN or infinite): " +
                string.Join(", ", diverged.Select(t => string.Create(CultureInfo.InvariantCulture, $"{Label(data, t.Batch)} at rate {Rate(t.Rate)} in epoch {t.Diverged}"))) +
                "; the search climbs no further for that batch size.");
    }
}
