using System.Globalization;
using Simd.Models.Experiments;

namespace Simd.Runtime.Tests.Experiments;

[Collection(QuickExperimentsCollection.Name)]
public sealed class BatchSizeExperimentTests(QuickExperimentRuns runs)
{
    private const string Name = "batch-size";

    [Fact]
    public void EveryBatchSizeTrainsTheSameSampleBudget()
    {
        var points = runs.Csv(Name, "points.csv");
        var sizes = points.Select(p => int.Parse(p["batch_size"], CultureInfo.InvariantCulture)).Distinct().ToArray();
        Assert.Equal(BatchSizeExperiment.FixedSizes, sizes[..^1]);
        int train = sizes[^1];
        Assert.True(train > 1024, "the last run is the whole training set as one batch");
        var lastEpochs = points.GroupBy(p => p["batch_size"]).Select(g => g.Last()).ToList();
        Assert.Single(lastEpochs.Select(p => p["samples"]).Distinct());
        foreach (var p in lastEpochs)
        {
            int batch = int.Parse(p["batch_size"], CultureInfo.InvariantCulture), epoch = int.Parse(p["epoch"], CultureInfo.InvariantCulture);
            Assert.Equal((long)epoch * ((train + batch - 1) / batch), long.Parse(p["iterations"], CultureInfo.InvariantCulture));
            Assert.True(double.Parse(p["samples_per_second"], CultureInfo.InvariantCulture) > 0);
        }
    }

    [Fact]
    public void TheChartsHoldOneSeriesPerBatchSizeAndTheReportNamesTheBest()
    {
        var labels = BatchSizeExperiment.FixedSizes.Select(b => $"batch {b}").ToList();
        foreach (string svg in new[] { "loss-per-epoch.svg", "accuracy-per-epoch.svg", "accuracy-per-second.svg", "loss-per-second.svg" })
        {
            var series = runs.Series(Name, svg);
            Assert.Equal(labels, series.Keys.Take(labels.Count));
            Assert.StartsWith("full (", series.Keys.Last());
        }
        Assert.Equal(BatchSizeExperiment.FixedSizes.Length + 1, runs.Series(Name, "throughput.svg")["samples/s"]);
        Assert.Contains("Best batch size for this sample budget: ", File.ReadAllText(runs.Report(Name)));
    }
}
