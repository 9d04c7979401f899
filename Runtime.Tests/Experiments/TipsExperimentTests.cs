using System.Globalization;
using Simd.Models.Experiments;

namespace Simd.Runtime.Tests.Experiments;

[Collection(QuickExperimentsCollection.Name)]
public sealed class TipsExperimentTests(QuickExperimentRuns runs)
{
    private const string Name = "tips";

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void DropoutHasTrainAndValidationCurvesWithAndWithout()
    {
        int epochs = TipsExperiment.Settings.Quick.Epochs;
        var rows = runs.Csv(Name, "dropout.csv");
        Assert.Equal(2 * epochs, rows.Count);
        Assert.Equal(["0", "0.5"], rows.Select(r => r["dropout"]).Distinct());
        var series = runs.Series(Name, "dropout.svg");
        string[] names = ["no dropout, train", "no dropout, validation", "dropout 0.5, train", "dropout 0.5, validation"];
        Assert.Equal(names, series.Keys);
        // Two panels (loss and accuracy), a point per epoch in each.
        Assert.All(series.Values, points => Assert.Equal(2 * epochs, points));
    }

    [Fact]
    public void WeightDecayShrinksTheWeights()
    {
        var rows = runs.Csv(Name, "weight-decay.csv");
        Assert.Equal(TipsExperiment.Decays.Select(d => d.ToString("R", CultureInfo.InvariantCulture)), rows.Select(r => r["weight_decay"]));
        Assert.True(Number(rows[^1]["weight_norm"]) < 0.5 * Number(rows[0]["weight_norm"]), $"{rows[0]["weight_norm"]} → {rows[^1]["weight_norm"]}");
        Assert.All(rows, r => Assert.InRange(Number(r["test_accuracy"]), 0, 1));
        Assert.Equal(["with decay", "no decay"], runs.Series(Name, "weight-decay.svg").Keys);
    }

    [Fact]
    public void EarlyStoppingMarksTheEpochOfTheLowestValidationLoss()
    {
        var rows = runs.Csv(Name, "early-stopping.csv");
        string lowest = rows.MinBy(r => Number(r["validation_loss"]))!["epoch"];
        Assert.True(rows.Count < TipsExperiment.Settings.Quick.MaxEpochs, "the quick run should stop early");
        Assert.Equal(["train", "validation"], runs.Series(Name, "early-stopping.svg").Keys);
        Assert.Contains($"chosen: epoch {lowest}</text>", File.ReadAllText(runs.PathOf(Name, "early-stopping.svg")));
        Assert.Contains($"chose epoch {lowest} (validation loss", File.ReadAllText(runs.Report(Name)));
    }

    [Fact]
    public void XavierShrinksReluActivationsWhereHeKeepsThem()
    {
        var rows = runs.Csv(Name, "initialisation.csv");
        Assert.Equal(2 * 2 * 10, rows.Count);
        double Std(string activation, string initializer, string layer) =>
            Number(rows.Single(r => r["activation"] == activation && r["initializer"] == initializer && r["layer"] == layer)["std"]);
        Assert.True(Std("relu", "Xavier uniform", "10") < 0.1 * Std("relu", "He uniform", "10"));
        Assert.InRange(Std("relu", "He uniform", "10") / Std("relu", "He uniform", "1"), 0.5, 2);
        var series = runs.Series(Name, "initialisation.svg");
        Assert.Equal(TipsExperiment.Initializers, series.Keys);
        Assert.All(series.Values, points => Assert.Equal(4 * 10, points));
    }

    [Fact]
    public void EveryScheduleIsPlottedStepByStep()
    {
        var steps = runs.Csv(Name, "lr-schedule-steps.csv");
        Assert.Equal(TipsExperiment.Schedules, steps.Select(r => r["schedule"]).Distinct());
        var constant = steps.Where(r => r["schedule"] == "constant").ToList();
        Assert.All(constant, r => Assert.Equal(0.05, Number(r["learning_rate"]), 1e-7));
        var step = steps.Where(r => r["schedule"] == "step").Select(r => Number(r["learning_rate"])).ToList();
        Assert.Equal(0.05, step[0], 1e-7);
        Assert.Equal(0.0005, step[^1], 1e-7);
        var warmup = steps.Where(r => r["schedule"] == "warm-up + cosine").Select(r => Number(r["learning_rate"])).ToList();
        Assert.True(warmup[0] < 0.1 * warmup.Max());
        var series = runs.Series(Name, "lr-schedules.svg");
        Assert.Equal(TipsExperiment.Schedules, series.Keys);
        Assert.Equal(constant.Count + TipsExperiment.Settings.Quick.Epochs, series["constant"]);
    }

    [Fact]
    public void TheGradientCheckPassesTheCorrectBackwardAndCatchesTheBrokenOne()
    {
        var rows = runs.Csv(Name, "gradient-check.csv");
        Assert.Equal(["correct", "broken"], rows.Select(r => r["backward"]));
        Assert.Equal("True", rows[0]["passed"]);
        Assert.Equal("False", rows[1]["passed"]);
        // The output layer's gradients do not go through the broken derivative: the first layer's do.
        Assert.Equal("first Dense", rows[1]["worst_where"]);
        Assert.Equal(TipsExperiment.BrokenFactor, Number(rows[1]["worst_analytic"]) / Number(rows[1]["worst_numeric"]), 0.05);
        string report = File.ReadAllText(runs.Report(Name));
        Assert.Contains("correct backward (1 − tanh²): passed:", report);
        Assert.Contains("broken backward (2 · (1 − tanh²)): FAILED:", report);
    }
}
