using Simd.Models.Plotting;
using Simd.Runtime.Training;

namespace Simd.Models.Training;

/// <summary>`train --plot`: the run's per-epoch loss and accuracy, side by side, as one SVG file.</summary>
internal static class TrainingPlot
{
    public static string Render(IReadOnlyList<EpochResult> epochs, string title)
    {
        double[] x = epochs.Select(e => (double)e.Epoch).ToArray();
        bool validation = epochs.Any(e => !double.IsNaN(e.ValidationLoss));
        var loss = new List<Series> { new("train loss", x, epochs.Select(e => e.TrainLoss).ToArray(), SeriesKind.LineWithMarkers) };
        var accuracy = new List<Series> { new("train accuracy", x, epochs.Select(e => e.TrainAccuracy).ToArray(), SeriesKind.LineWithMarkers) };
        if (validation)
        {
            loss.Add(new("validation loss", x, epochs.Select(e => e.ValidationLoss).ToArray(), SeriesKind.LineWithMarkers));
            accuracy.Add(new("validation accuracy", x, epochs.Select(e => e.ValidationAccuracy).ToArray(), SeriesKind.LineWithMarkers));
        }
        return SvgChart.Render(new ChartGrid
        {
            Title = title,
            Columns = 2,
            PanelWidth = 420,
            PanelHeight = 300,
            Panels =
            [
                new Chart { Title = "loss", XLabel = "epoch", YLabel = "loss", Series = loss },
                new Chart { Title = "accuracy", XLabel = "epoch", YLabel = "accuracy", Series = accuracy, YRange = (0, 1) },
            ],
        });
    }

    public static void Write(string path, IReadOnlyList<EpochResult> epochs, string title) => AtomicTextFile.Write(path, Render(epochs, title));
}
