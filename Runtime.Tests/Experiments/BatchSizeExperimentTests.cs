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

    [Fact]
    public void EachBatchSizeClimbsTheRateLadderAndKeepsItsBestValidationRate()
    {
        var trials = runs.Csv(Name, "learning-rates.csv");
        foreach (var size in trials.GroupBy(t => t["batch_size"]))
        {
            var tried = size.ToList();
            var rates = tried.Select(t => float.Parse(t["learning_rate"], CultureInfo.InvariantCulture)).ToArray();
            int first = Array.IndexOf(BatchSizeExperiment.RateLadder, rates[0]);
            Assert.True(first >= 0, $"batch {size.Key}: {rates[0]} is on the ladder");
            Assert.Equal(BatchSizeExperiment.RateLadder.Skip(first).Take(rates.Length), rates);
            // The climb stops at the first divergence, so only the last rate tried may have diverged.
            Assert.All(tried.SkipLast(1), t => Assert.Equal("", t["diverged_in_epoch"]));
            var stable = tried.Where(t => t["diverged_in_epoch"] == "").ToList();
            var chosen = Assert.Single(tried, t => t["chosen"] == "True");
            double best = stable.Max(t => double.Parse(t["validation_accuracy"], CultureInfo.InvariantCulture));
            Assert.Equal(best, double.Parse(chosen["validation_accuracy"], CultureInfo.InvariantCulture));
            var points = runs.Csv(Name, "points.csv").Where(p => p["batch_size"] == size.Key).ToList();
            Assert.All(points, p => Assert.Equal(chosen["learning_rate"], p["learning_rate"]));
            Assert.Equal(chosen["test_accuracy"], points[^1]["test_accuracy"]);
        }
    }

    [Fact]
    public void EveryBatchSizeTrainsAsLongAsTheReferenceBatchTookForTheSampleBudget()
    {
        var points = runs.Csv(Name, "points.csv");
        double budget = double.Parse(points.Last(p => p["batch_size"] == BatchSizeExperiment.TimeReference.ToString(CultureInfo.InvariantCulture))["seconds"],
                                     CultureInfo.InvariantCulture);
        var timed = runs.Csv(Name, "equal-time.csv");
        Assert.Equal(points.Select(p => p["batch_size"]).Distinct(), timed.Select(p => p["batch_size"]).Distinct());
        foreach (var size in timed.GroupBy(t => t["batch_size"]))
        {
            var seconds = size.Select(t => double.Parse(t["seconds"], CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(seconds.Order(), seconds);
            Assert.True(seconds[^1] >= budget, $"batch {size.Key} trains until the budget of {budget} s is spent");
        }
        Assert.Equal(BatchSizeExperiment.FixedSizes.Length + 1, runs.Series(Name, "equal-time.svg").Count);
        Assert.Equal(BatchSizeExperiment.FixedSizes.Length + 1, runs.Series(Name, "learning-rate.svg").Count);
        Assert.Equal(["training set", "test set"], runs.Series(Name, "generalization.svg").Keys);
        string report = File.ReadAllText(runs.Report(Name));
        Assert.Contains("Best batch size for an equal time budget of ", report);
        Assert.Contains("The claim that batches of 32 or fewer generalise best ", report);
        Assert.Contains("Best learning rate per batch size", report);
    }
}
