using System.Globalization;
using System.Xml.Linq;
using Simd.Models.Experiments;

namespace Simd.Runtime.Tests.Experiments;

[Collection(QuickExperimentsCollection.Name)]
public sealed class EpochsAndBatchesExperimentTests(QuickExperimentRuns runs)
{
    private const string Name = "epochs-and-batches";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void IterationsPerEpochAreCountedAndMatchTheFormula()
    {
        var rows = runs.Csv(Name, "iterations.csv");
        Assert.Equal(BatchSizeExperiment.FixedSizes.Length + 1, rows.Count);
        Assert.All(rows, r => Assert.Equal(r["expected"], r["iterations_per_epoch"]));
        Assert.Equal("1", rows[^1]["iterations_per_epoch"]);
        Assert.Equal(rows.Count, runs.Series(Name, "iterations.svg")["iterations"]);
    }

    [Fact]
    public void TheCurvesGoPastTheBestEpochAndMarkEarlyStoppingsChoice()
    {
        var points = runs.Csv(Name, "points.csv");
        var validation = points.Select(p => double.Parse(p["validation_loss"], CultureInfo.InvariantCulture)).ToArray();
        int lowest = Array.IndexOf(validation, validation.Min()) + 1;
        Assert.True(lowest < points.Count, "the run trains past its lowest validation loss");

        var loss = XDocument.Load(runs.PathOf(Name, "loss.svg"));
        Assert.Equal(["train loss", "validation loss"], runs.Series(Name, "loss.svg").Keys);
        var markers = loss.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "marker-line").Select(g => g.Value).ToList();
        var (best, stop) = EpochsAndBatchesExperiment.EarlyStopping(
            points.Select(p => new EpochPoint(int.Parse(p["epoch"], CultureInfo.InvariantCulture), 0, 0, double.Parse(p["validation_loss"], CultureInfo.InvariantCulture),
                                              0, 0, 0, 0, 0, false)).ToList(), EpochsAndBatchesExperiment.Patience);
        Assert.Equal($"best: epoch {best}", markers[0]);
        if (stop is not null) Assert.Equal($"stop (patience {EpochsAndBatchesExperiment.Patience})", markers[1]);
        Assert.Equal(["test accuracy", "train accuracy", "validation accuracy"], runs.Series(Name, "accuracy.svg").Keys.Order());
        // The trainer's own early stopping agreed with the curves (a failed check would have failed the run).
        Assert.Contains("Early stopping (patience 5) ends after epoch", File.ReadAllText(runs.Report(Name)));
    }

    [Fact]
    public void EarlyStoppingStopsWhenPatienceRunsOutAndKeepsTheBestBefore()
    {
        double[] losses = [1.0, 0.8, 0.7, 0.75, 0.72, 0.71, 0.9, 0.65, 0.6];
        var points = losses.Select((l, i) => new EpochPoint(i + 1, 0, 0, l, 0, 0, 0, 0, 0, false)).ToList();
        Assert.Equal((3, (int?)6), EpochsAndBatchesExperiment.EarlyStopping(points, 3));
        Assert.Equal((3, (int?)7), EpochsAndBatchesExperiment.EarlyStopping(points, 4));
        Assert.Equal((9, (int?)null), EpochsAndBatchesExperiment.EarlyStopping(points, 5));
    }
}
