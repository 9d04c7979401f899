using System.Globalization;
using System.Text;
using Simd.Models.Plotting;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Models.Experiments;

/// <summary>
/// Every activation of the runtime (its kernels' forward and backward, as the ops run them) drawn with its
/// derivative, then the same small network trained once with each.
/// </summary>
internal sealed class ActivationsExperiment : Experiment
{
    private const int GalleryPoints = 161;
    private const double GalleryRange = 4;

    public override string Name => "activations";

    public override string Title => "Activation functions";

    public override string Question =>
        "What does each activation the runtime implements look like, with its derivative, and how does the same small network train with each?";

    public static IReadOnlyList<(string Name, ActivationKind Kind)> Kinds => OpNames.Activations;

    public override void Run(ExperimentContext context)
    {
        Gallery(context);
        ExperimentData data = ExperimentData.Load(context.Quick);
        int hidden = context.Quick ? 32 : 128;
        int epochs = context.Quick ? 8 : 15;
        const int BatchSize = 32;
        const float LearningRate = 0.003f;
        context.Setup = $"Gallery: each activation's forward and backward kernels on {GalleryPoints} points in [−4, 4] (default parameters). " +
                        $"Training: {data.Describe()}; an MLP {data.Features}-{hidden}-{data.Classes} with the activation after the hidden layer, " +
                        string.Create(CultureInfo.InvariantCulture, $"Adam lr {LearningRate}, batch {BatchSize}, {epochs} epochs, seed 1, no batch norm or dropout: only the activation changes.");

        var table = context.Table("training.csv", "activation", "epoch", "train_loss", "train_accuracy", "validation_loss", "validation_accuracy", "test_accuracy", "seconds");
        var results = new List<(string Name, List<EpochPoint> Points, int? Diverged)>();
        foreach (var (name, kind) in Kinds)
        {
            using var model = ExperimentTraining.Mlp(data, [hidden], kind, BatchSize);
            var options = new TrainerOptions { Epochs = epochs, BatchSize = BatchSize, LearningRate = LearningRate, Seed = 1 };
            var points = ExperimentTraining.Run(model, data, new Adam(), options, watchValidation: true, context.Cancellation, out int? diverged, out _);
            foreach (var p in points) table.Add(name, p.Epoch, p.TrainLoss, p.TrainAccuracy, p.ValidationLoss, p.ValidationAccuracy, p.TestAccuracy, p.Seconds);
            results.Add((name, points, diverged));
            string end = points.Count == 0 ? "no epoch finished" : string.Create(CultureInfo.InvariantCulture, $"test accuracy {points[^1].TestAccuracy:F4}");
            context.Log($"{name}: {end}{(diverged is int d ? $", diverged in epoch {d}" : "")}");
        }

        Series Curve(string name, List<EpochPoint> points, Func<EpochPoint, double> y) =>
            new(name, points.Select(p => (double)p.Epoch).ToArray(), points.Select(y).ToArray(), SeriesKind.LineWithMarkers);
        context.Figure("training-loss.svg", "Training loss per epoch with each activation (log scale).", new Chart
        {
            Title = "Training loss",
            XLabel = "epoch",
            YLabel = "training loss",
            YScale = AxisScale.Log,
            Series = results.Select(r => Curve(r.Name, r.Points, p => p.TrainLoss)).ToArray(),
        });
        context.Figure("validation-accuracy.svg", "Validation accuracy per epoch with each activation.", new Chart
        {
            Title = "Validation accuracy",
            XLabel = "epoch",
            YLabel = "validation accuracy",
            Series = results.Select(r => Curve(r.Name, r.Points, p => p.ValidationAccuracy)).ToArray(),
        });

        var finished = results.Where(r => r.Points.Count > 0).OrderByDescending(r => r.Points[^1].TestAccuracy).ThenBy(r => r.Points[^1].TrainLoss).ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"activation",-12} {"test accuracy",14} {"final train loss",17}\n");
        foreach (var r in finished) text.Append(CultureInfo.InvariantCulture, $"{r.Name,-12} {r.Points[^1].TestAccuracy,14:F4} {r.Points[^1].TrainLoss,17:F4}\n");
        foreach (var r in results.Where(r => r.Diverged is not null)) text.Append(CultureInfo.InvariantCulture, $"{r.Name,-12} diverged in epoch {r.Diverged}\n");
        context.Detail("Test accuracy after the last epoch", text.ToString());

        if (finished.Count > 0)
        {
            double top = finished[0].Points[^1].TestAccuracy;
            var best = finished.Where(r => r.Points[^1].TestAccuracy == top).Select(r => r.Name).ToList();
            var worst = finished[^1];
            context.Finding(string.Create(CultureInfo.InvariantCulture,
                $"Best test accuracy after {epochs} epochs: {top:F4}, reached by {string.Join(", ", best)}; lowest: {worst.Name} ({worst.Points[^1].TestAccuracy:F4}). " +
                $"One test sample is {1.0 / data.Test.Count:F4} of accuracy, so differences of a few samples are noise of this one seed."));
            var fastest = finished.OrderBy(r => r.Points[0].TrainLoss).First();
            context.Finding(string.Create(CultureInfo.InvariantCulture,
                $"Lowest training loss after the first epoch: {fastest.Name} ({fastest.Points[0].TrainLoss:F4}); after the last: {finished.OrderBy(r => r.Points[^1].TrainLoss).First().Name}."));
            if (finished.FirstOrDefault(r => r.Name == "identity") is { Name: not null } linear)
            {
                int above = finished.Count(r => r.Points[^1].TestAccuracy > linear.Points[^1].TestAccuracy);
                context.Finding(string.Create(CultureInfo.InvariantCulture,
                    $"identity (no non-linearity: the network is a linear classifier) reaches {linear.Points[^1].TestAccuracy:F4}; {above} of the {finished.Count - 1} non-linear activations do better."));
            }
        }
        foreach (var r in results.Where(r => r.Diverged is not null))
            context.Finding($"{r.Name} diverged in epoch {r.Diverged}: its curves stop there.");
    }

    /// <summary>f(x) and f'(x) of every activation from the runtime's kernels, one panel each.</summary>
    private static void Gallery(ExperimentContext context)
    {
        var x = new float[GalleryPoints];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(-GalleryRange + 2 * GalleryRange * i / (GalleryPoints - 1));
        var y = new float[x.Length];
        var dx = new float[x.Length];
        var ones = Enumerable.Repeat(1f, x.Length).ToArray();
        var table = context.Table("gallery.csv", "activation", "x", "f", "derivative");
        var panels = new List<Chart>();
        double[] xs = x.Select(v => (double)v).ToArray();
        int nonMonotonic = 0;
        foreach (var (name, kind) in Kinds)
        {
            Activations.Forward(kind, x, y);
            Activations.Backward(kind, x, y, ones, dx);
            for (int i = 0; i < x.Length; i++) table.Add(name, x[i], y[i], dx[i]);
            if (dx.Any(d => d < -1e-6)) nonMonotonic++;
            panels.Add(new Chart
            {
                Title = name,
                XRange = (-GalleryRange, GalleryRange),
                Series = [new Series("f(x)", xs, y.Select(v => (double)v).ToArray()), new Series("f'(x)", xs, dx.Select(v => (double)v).ToArray())],
            });
        }
        context.Figure("gallery.svg", "Each activation f(x) and its derivative f'(x) on [−4, 4], from the runtime's forward and backward kernels.",
                       new ChartGrid { Title = "Activations and their derivatives", Panels = panels, Columns = 4, PanelWidth = 240, PanelHeight = 190 });
        context.Finding($"{Kinds.Count} activations; {nonMonotonic} of them are not monotonic on [−4, 4] (their derivative goes below zero somewhere).");
    }
}
