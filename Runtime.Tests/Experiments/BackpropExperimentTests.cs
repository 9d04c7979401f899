using System.Globalization;
using System.Text.Json;
using Simd.Models.Experiments;
using Simd.Runtime.Tests.Conformance;

namespace Simd.Runtime.Tests.Experiments;

[Collection(QuickExperimentsCollection.Name)]
public sealed class BackpropExperimentTests(QuickExperimentRuns runs)
{
    private const string Name = "backprop";

    /// <summary>Where each reference value of the experiment sits in the conformance test's data file.</summary>
    private static string JsonPath(string value) => value switch
    {
        ['n', 'e', 't', '_', var layer, var unit] => $"forward.{layer}{unit}.net",
        ['o', 'u', 't', '_', var layer, var unit] => $"forward.{layer}{unit}.out",
        "E_o1" or "E_o2" or "E_total" => $"errors.{value}",
        ['d', 'e', 'l', 't', 'a', '_', 'o', _] => $"gradients.output_layer.{value}",
        ['d', 'e', 'l', 't', 'a', '_', 'h', _] => $"gradients.hidden_layer.{value}",
        ['d', 'E', '/', 'd', 'w', var w] => $"gradients.{(w <= '4' ? "hidden" : "output")}_layer.dE_dw{w}",
        ['w', var w, ' ', 'a', 'f', 't', 'e', 'r'] => $"updated_weights.w{w}",
        "E_total after 1 step" => "after_one_step.E_total_weights_only",
        "E_total after 10000 steps" => "after_10000_steps_weights_only.E_total",
        _ => throw new ArgumentException(value),
    };

    [Fact]
    public void TheReferenceValuesAreTheConformanceData()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ConformanceData.MazurBackprop));
        foreach (var (value, reference, post) in BackpropExperiment.References)
        {
            var e = doc.RootElement;
            foreach (string part in JsonPath(value).Split('.')) e = e.GetProperty(part);
            Assert.Equal(e.GetDouble(), reference);
            // The post's figures are rounded to 9 decimals; its error after one step is the one it got wrong.
            if (post is double p && value != "E_total after 1 step") Assert.True(Math.Abs(p - reference) <= 7e-9, $"{value}: post {p}, reference {reference}");
        }
    }

    [Fact]
    public void EveryIntermediateValueMatchesAndIsInTheReport()
    {
        var values = runs.Csv(Name, "values.csv");
        Assert.Equal(BackpropExperiment.References.Select(r => r.Name), values.Select(v => v["value"]));
        Assert.All(values, v => Assert.Equal("True", v["within_tolerance"]));
        double total = double.Parse(values.Single(v => v["value"] == "E_total")["ours"], CultureInfo.InvariantCulture);
        double w5 = double.Parse(values.Single(v => v["value"] == "w5 after")["ours"], CultureInfo.InvariantCulture);
        Assert.Equal(0.298371109, total, 1e-6);
        Assert.Equal(0.35891648, w5, 1e-6);
        string report = File.ReadAllText(runs.Report(Name));
        Assert.Contains("All 33 values match", report);
        Assert.Contains("w5 after", report);
    }

    [Fact]
    public void TheCurvesAreWrittenAndPlotted()
    {
        var points = runs.Csv(Name, "points.csv");
        Assert.Equal("0", points[0]["step"]);
        Assert.Equal(BackpropExperiment.Steps.ToString(CultureInfo.InvariantCulture), points[^1]["step"]);
        Assert.Equal(points.Count - 1, runs.Series(Name, "error.svg")["E_total"]);
        Assert.Equal(["out_o1", "out_o2", "target o1", "target o2"], runs.Series(Name, "outputs.svg").Keys.Order());
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"w{i}"), runs.Series(Name, "weights.svg").Keys);
    }
}
