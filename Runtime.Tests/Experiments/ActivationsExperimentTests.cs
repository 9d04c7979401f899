using System.Xml.Linq;
using Simd.Models.Experiments;

namespace Simd.Runtime.Tests.Experiments;

[Collection(QuickExperimentsCollection.Name)]
public sealed class ActivationsExperimentTests(QuickExperimentRuns runs)
{
    private const string Name = "activations";
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static string[] Names => ActivationsExperiment.Kinds.Select(k => k.Name).ToArray();

    [Fact]
    public void TheGalleryHasOnePanelPerActivationWithItsDerivative()
    {
        var gallery = runs.Csv(Name, "gallery.csv");
        Assert.Equal(Names, gallery.Select(r => r["activation"]).Distinct());
        var relu = gallery.Where(r => r["activation"] == "relu").ToList();
        Assert.Equal("-4", relu[0]["x"]);
        Assert.Equal("0", relu[0]["f"]);
        Assert.Equal("4", relu[^1]["f"]);
        Assert.Equal("1", relu[^1]["derivative"]);

        var doc = XDocument.Load(runs.PathOf(Name, "gallery.svg"));
        var panels = doc.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "panel").ToList();
        Assert.Equal(Names, panels.Select(p => (string?)p.Attribute("data-title")));
        Assert.All(panels, p => Assert.Equal(["f(x)", "f'(x)"],
            p.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "series").Select(g => (string?)g.Attribute("data-series"))));
    }

    [Fact]
    public void TheSameNetworkIsTrainedWithEachActivation()
    {
        var training = runs.Csv(Name, "training.csv");
        Assert.Equal(Names, training.Select(r => r["activation"]).Distinct());
        int epochs = training.Count(r => r["activation"] == "relu");
        Assert.True(epochs >= 2);
        Assert.Equal(Names.Length * epochs, training.Count);
        Assert.Equal(Names, runs.Series(Name, "training-loss.svg").Keys);
        Assert.All(runs.Series(Name, "validation-accuracy.svg").Values, n => Assert.Equal(epochs, n));
        Assert.Contains("Best test accuracy after", File.ReadAllText(runs.Report(Name)));
    }
}
