using System.Globalization;
using Simd.Models.Experiments;

namespace Simd.Runtime.Tests.Experiments;

[Collection(QuickExperimentsCollection.Name)]
public sealed class BatchNormExperimentTests(QuickExperimentRuns runs)
{
    private const string Name = "batch-norm";

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void EveryRateAndScaleIsRunWithAndWithoutBatchNorm()
    {
        var results = runs.Csv(Name, "runs.csv");
        double[] rates = [1e-4, 3.16e-4, 1e-3, 3.16e-3, 1e-2, 3.16e-2, 0.1, 0.316, 1, 3.16, 10];
        foreach (string bn in new[] { "True", "False" })
        {
            var sweep = results.Where(r => r["batch_norm"] == bn && r["init_scale"] == "1").Select(r => Number(r["learning_rate"])).ToArray();
            Assert.Equal(rates.Length, sweep.Length);
            Assert.Equal(rates, sweep);
            foreach (double scale in new[] { 0.1, 10 })
            {
                Assert.Equal(BatchNormExperiment.InitScaleRates,
                    results.Where(r => r["batch_norm"] == bn && Number(r["init_scale"]) == scale).Select(r => Number(r["learning_rate"])));
            }
        }
        // A run that did not diverge has a final accuracy; epochs to target, where given, is within the run.
        Assert.All(results.Where(r => r["diverged"] == "False"), r => Assert.InRange(Number(r["final_validation_accuracy"]), 0, 1));
        Assert.All(results.Where(r => r["epochs_to_target"] != ""), r => Assert.InRange(int.Parse(r["epochs_to_target"], CultureInfo.InvariantCulture), 1, 15));
        // The mid rate trains both networks well on the digits.
        Assert.All(results.Where(r => r["init_scale"] == "1" && r["learning_rate"] == "0.1"), r => Assert.True(Number(r["final_validation_accuracy"]) > 0.9, string.Join(",", r.Values)));
        var epochs = runs.Csv(Name, "epochs.csv");
        Assert.Equal(results.Sum(r => int.Parse(r["epochs_run"], CultureInfo.InvariantCulture)), epochs.Count);
    }

    [Fact]
    public void TheChartsHoldTheirSeriesAndTheReportStatesEachClaim()
    {
        string[] both = [BatchNormExperiment.With, BatchNormExperiment.Without];
        foreach (string svg in new[] { "final-accuracy.svg", "epochs-to-target.svg", "curves.svg", "init-scale.svg" })
            Assert.Equal(both.Order(StringComparer.Ordinal), runs.Series(Name, svg).Keys.Order(StringComparer.Ordinal));
        string report = File.ReadAllText(runs.Report(Name));
        Assert.Contains("Convergence speed (epochs to 90 % validation accuracy)", report);
        Assert.Contains("Largest stable learning rate:", report);
        Assert.Contains("Final accuracy: the best rate gives", report);
        Assert.Contains("Initialisation scale 0.1, 1, 10", report);
    }
}
