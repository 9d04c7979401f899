using System.Globalization;
using Simd.Models.Experiments;

namespace Simd.Runtime.Tests.Experiments;

[Collection(QuickExperimentsCollection.Name)]
public sealed class VanishingGradientsExperimentTests(QuickExperimentRuns runs)
{
    private const string Name = "vanishing-gradients";

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void EveryLayerOfEveryVariantHasItsGradientNormAtTheRecordedSteps()
    {
        var settings = VanishingGradientsExperiment.MlpSettings.Quick;
        var rows = runs.Csv(Name, "mlp-gradients.csv");
        Assert.Equal(VanishingGradientsExperiment.Variants, rows.Select(r => r["variant"]).Distinct());
        // The first step and the last step of every epoch, each with every Dense layer (the hidden ones and the output).
        Assert.Equal(VanishingGradientsExperiment.Variants.Length * (settings.Epochs + 1) * (settings.Depth + 1), rows.Count);
        Assert.All(rows, r => Assert.True(Number(r["gradient_norm"]) is > 0 and < double.PositiveInfinity, string.Join(",", r.Values)));

        var grid = runs.Series(Name, "mlp-gradient-norms.svg");
        string[] shown = ["step 1", .. settings.ShownEpochs.Select(e => $"end of epoch {e}")];
        Assert.Equal(shown, grid.Keys);
        Assert.All(grid.Values, points => Assert.Equal(VanishingGradientsExperiment.Variants.Length * (settings.Depth + 1), points));
        Assert.Equal(VanishingGradientsExperiment.Variants, runs.Series(Name, "mlp-loss.svg").Keys);
        Assert.Equal(VanishingGradientsExperiment.Variants.Length * settings.Epochs, runs.Csv(Name, "mlp-loss.csv").Count);
    }

    [Fact]
    public void TheSigmoidGradientVanishesTowardsTheInputAndTheReportSaysSo()
    {
        var first = runs.Csv(Name, "mlp-gradients.csv").Where(r => r["variant"] == "sigmoid" && r["step"] == "1").ToDictionary(r => r["layer"], r => Number(r["gradient_norm"]));
        Assert.True(first["1"] < 1e-3 * first["12"], $"layer 1 {first["1"]}, layer 12 {first["12"]}");
        string report = File.ReadAllText(runs.Report(Name));
        Assert.Contains("the sigmoid net&apos;s gradient vanishes towards the input", report);
    }

    [Fact]
    public void TheRecurrentCellsHaveTheirInputGradientsAndAccuracies()
    {
        var settings = VanishingGradientsExperiment.RnnSettings.Quick;
        int longest = settings.Lengths[^1];
        var accuracy = runs.Csv(Name, "rnn-accuracy.csv");
        Assert.Equal(VanishingGradientsExperiment.Cells.Length * settings.Lengths.Length, accuracy.Count);
        Assert.All(accuracy, r => Assert.InRange(Number(r["test_accuracy"]), 0, 1));
        Assert.All(accuracy, r => Assert.InRange(Number(r["flipped_first_agreement"]), 0, 1));
        // A cell that solves the task reads the first input: flipping its sign flips the answer.
        Assert.All(accuracy.Where(r => Number(r["test_accuracy"]) >= 0.99), r => Assert.True(Number(r["flipped_first_agreement"]) < 0.1, string.Join(",", r.Values)));
        var gradients = runs.Csv(Name, "rnn-input-gradients.csv");
        Assert.Equal(VanishingGradientsExperiment.Cells.Length * 2 * longest, gradients.Count);
        Assert.All(gradients, r => Assert.Equal(longest - 1 - int.Parse(r["t"], CultureInfo.InvariantCulture), int.Parse(r["distance_from_end"], CultureInfo.InvariantCulture)));

        int cells = VanishingGradientsExperiment.Cells.Length;
        Assert.Equal(new Dictionary<string, int> { ["initialisation"] = cells * longest, ["trained"] = cells * longest }, runs.Series(Name, "rnn-input-gradients.svg"));
        string[] names = ["RNN", "LSTM", "GRU", "LSTM-remember", "GRU-remember"];
        Assert.Equal(names.ToDictionary(n => n, _ => settings.Lengths.Length), runs.Series(Name, "rnn-accuracy.svg"));
        string report = File.ReadAllText(runs.Report(Name));
        foreach (string cell in names) Assert.Contains($"{cell}: at T = {longest} the gradient reaching the first step", report);
    }

    [Fact]
    public void TheLongRangeTaskPutsTheClassInTheFirstStepOnly()
    {
        var data = VanishingGradientsExperiment.FirstSignTask(200, 7, seed: 5);
        Assert.Equal(7, data.FeatureCount);
        Assert.Equal(2, data.ClassCount);
        for (int i = 0; i < data.Count; i++)
        {
            var sample = data.Sample(i);
            Assert.Equal(data.Labels![i] == 1 ? 1f : -1f, sample[0]);
            foreach (float noise in sample[1..]) Assert.InRange(noise, -1f, 1f);
        }
        Assert.InRange(data.Labels!.Count(l => l == 1), 70, 130);
        Assert.Equal(data.Features, VanishingGradientsExperiment.FirstSignTask(200, 7, seed: 5).Features);
    }

    [Fact]
    public void TheRememberingCellsStartWithTheirGatesBiasedToKeepTheState()
    {
        var accuracy = runs.Csv(Name, "rnn-accuracy.csv");
        Assert.Equal(VanishingGradientsExperiment.RnnSettings.Quick.Lengths.Length, accuracy.Count(r => r["cell"] == "lstm-remember"));
        Assert.Equal(VanishingGradientsExperiment.RnnSettings.Quick.Lengths.Length, accuracy.Count(r => r["cell"] == "gru-remember"));
        Assert.Contains("forget-gate bias +5 and input-gate bias −5", File.ReadAllText(runs.Report(Name)));
    }
}
