using System.Globalization;
using Simd.Models.Experiments;

namespace Simd.Runtime.Tests.Experiments;

[Collection(QuickExperimentsCollection.Name)]
public sealed class SigmoidVsSoftmaxExperimentTests(QuickExperimentRuns runs)
{
    private const string Name = "sigmoid-vs-softmax";

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void EveryTestRowIsWrittenAndSoftmaxRowsSumToOneWhileSigmoidRowsDoNot()
    {
        var rows = runs.Csv(Name, "rows.csv");
        Assert.Equal(359, rows.Count); // the digits' test split
        Assert.All(rows, r => Assert.Equal(1.0, Number(r["softmax_sum"]), 1e-5));
        Assert.Contains(rows, r => Math.Abs(Number(r["one_vs_rest_sum"]) - 1) > 0.05);
        // Every digit has between zero and three of the derived labels, and the multi-label row sum follows them.
        Assert.All(rows, r => Assert.InRange(int.Parse(r["true_labels"], CultureInfo.InvariantCulture), 0, 3));
        Assert.True(rows.Average(r => Math.Abs(Number(r["multi_label_sum"]) - Number(r["true_labels"]))) < 0.5);
    }

    [Fact]
    public void PrecisionRecallAndReliabilityAreWrittenForEveryLabelAndView()
    {
        var scores = runs.Csv(Name, "precision-recall.csv");
        Assert.Equal(["closed loop", "even", "greater than 4"], scores.Where(s => s["model"] == SigmoidVsSoftmaxExperiment.MultiLabel).Select(s => s["label"]).Order(StringComparer.Ordinal));
        Assert.Equal(3, scores.Count(s => s["model"] == SigmoidVsSoftmaxExperiment.SoftmaxLabels));
        Assert.Equal(10, scores.Count(s => s["model"] == SigmoidVsSoftmaxExperiment.Softmax));
        Assert.All(scores, s => Assert.InRange(Number(s["recall"]), 0.5, 1.0));
        var reliability = runs.Csv(Name, "reliability.csv");
        Assert.Equal(SigmoidVsSoftmaxExperiment.ReliabilityViews, reliability.Select(r => r["view"]).Distinct());
        Assert.Equal(40, reliability.Count);
        // Every top-class prediction is counted once, every label prediction once.
        Assert.Equal(359, reliability.Where(r => r["view"] == SigmoidVsSoftmaxExperiment.ReliabilityViews[0]).Sum(r => int.Parse(r["count"], CultureInfo.InvariantCulture)));
        Assert.Equal(3 * 359, reliability.Where(r => r["view"] == SigmoidVsSoftmaxExperiment.ReliabilityViews[2]).Sum(r => int.Parse(r["count"], CultureInfo.InvariantCulture)));
        Assert.Equal(3 * 20, runs.Csv(Name, "epochs.csv").Count);
    }

    [Fact]
    public void TheChartsHoldTheirSeriesAndTheReportItsFindings()
    {
        Assert.Equal(new[] { SigmoidVsSoftmaxExperiment.MultiLabel, SigmoidVsSoftmaxExperiment.OneVsRest, SigmoidVsSoftmaxExperiment.Softmax }.Order(StringComparer.Ordinal),
            runs.Series(Name, "row-sums.svg").Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "row sum = true labels", SigmoidVsSoftmaxExperiment.MultiLabel }.Order(StringComparer.Ordinal), runs.Series(Name, "row-sums-vs-labels.svg").Keys.Order(StringComparer.Ordinal));
        Assert.Equal(359, runs.Series(Name, "row-sums-vs-labels.svg")[SigmoidVsSoftmaxExperiment.MultiLabel]);
        var pr = runs.Series(Name, "precision-recall.svg");
        Assert.Equal(3, pr[SigmoidVsSoftmaxExperiment.MultiLabel]);
        Assert.Equal(3, pr[SigmoidVsSoftmaxExperiment.SoftmaxLabels]);
        Assert.Equal(new[] { "observed frequency", "perfect calibration" }.Order(StringComparer.Ordinal), runs.Series(Name, "reliability.svg").Keys.Order(StringComparer.Ordinal));
        string report = File.ReadAllText(runs.Report(Name));
        Assert.Contains("Softmax rows sum to one: every one of the 359 test rows", report);
        Assert.Contains("Calibration (expected calibration error", report);
        Assert.Contains("Guo et al. 2017", report);
        Assert.DoesNotContain("Failed checks", report);
    }
}
