using System.Globalization;
using Simd.Models.Experiments;

namespace Simd.Runtime.Tests.Experiments;

[Collection(QuickExperimentsCollection.Name)]
public sealed class HingeVsSoftmaxExperimentTests(QuickExperimentRuns runs)
{
    private const string Name = "hinge-vs-softmax";
    private const string Hinge = HingeVsSoftmaxExperiment.Hinge;
    private const string CrossEntropy = HingeVsSoftmaxExperiment.CrossEntropy;

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void EveryEpochIsMeasuredForBothLossesAndOnlyHingeStopsPushingMostCorrectSamples()
    {
        var epochs = runs.Csv(Name, "epochs.csv");
        Assert.Equal(Enumerable.Range(0, 21).Select(e => e.ToString(CultureInfo.InvariantCulture)), epochs.Where(e => e["loss"] == Hinge).Select(e => e["epoch"]));
        Assert.Equal(21, epochs.Count(e => e["loss"] == CrossEntropy));
        var (hinge, ce) = (epochs.Last(e => e["loss"] == Hinge), epochs.Last(e => e["loss"] == CrossEntropy));
        Assert.True(Number(hinge["test_accuracy"]) > 0.9 && Number(ce["test_accuracy"]) > 0.9);
        // Past the margin the hinge's loss and gradient are exactly zero; never for a misclassified sample.
        Assert.True(Number(hinge["zero_gradient_fraction"]) > 0.5);
        Assert.Equal(Number(hinge["zero_loss_fraction"]), Number(hinge["zero_gradient_fraction"]));
        Assert.True(Number(hinge["zero_gradient_fraction"]) <= Number(hinge["correct_fraction"]));
        Assert.True(Number(ce["zero_gradient_fraction"]) < Number(hinge["zero_gradient_fraction"]));
        // Before training few samples are past the margin.
        Assert.True(Number(epochs.First(e => e["loss"] == Hinge)["zero_gradient_fraction"]) < 0.1);
        var margins = runs.Csv(Name, "margins.csv");
        Assert.Equal(2 * 359, margins.Count);
        Assert.All(margins, m => Assert.Equal(Number(m["true_score"]) - Number(m["best_other_score"]), Number(m["margin"]), 1e-4));
    }

    [Fact]
    public void TheChartsHoldTheirSeriesAndTheReportItsFindings()
    {
        Assert.Equal(new[] { $"{Hinge} test", $"{Hinge} train", $"{CrossEntropy} test", $"{CrossEntropy} train" }.Order(StringComparer.Ordinal), runs.Series(Name, "accuracy.svg").Keys.Order(StringComparer.Ordinal));
        Assert.Equal(21, runs.Series(Name, "accuracy.svg")[$"{Hinge} test"]);
        Assert.Equal(new[] { "cross-entropy: correct", "cross-entropy: gradient < 1e-3", "cross-entropy: zero gradient", "hinge: correct", "hinge: zero gradient" }.Order(StringComparer.Ordinal),
            runs.Series(Name, "zero-gradient.svg").Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { Hinge, CrossEntropy }.Order(StringComparer.Ordinal), runs.Series(Name, "gradient-norm.svg").Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "hinge margin 1", Hinge, CrossEntropy }.Order(StringComparer.Ordinal), runs.Series(Name, "median-margin.svg").Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { Hinge, CrossEntropy }.Order(StringComparer.Ordinal), runs.Series(Name, "margins.svg").Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "other classes", "true class" }.Order(StringComparer.Ordinal), runs.Series(Name, "scores.svg").Keys.Order(StringComparer.Ordinal));
        Assert.Contains(runs.Csv(Name, "histograms.csv"), h => h["what"] == $"{Hinge} margin");
        string report = File.ReadAllText(runs.Report(Name));
        Assert.Contains("have zero loss and exactly zero gradient", report);
        Assert.Contains("Median training margin after epoch 1", report);
    }
}
