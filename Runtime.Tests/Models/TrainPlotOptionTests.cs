using System.Xml.Linq;
using static Simd.Runtime.Tests.CommandLine.CliRun;

namespace Simd.Runtime.Tests.Models;

/// <summary>`train --plot`: the per-epoch curves as an SVG chart, written whole or not at all.</summary>
public sealed class TrainPlotOptionTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly TempDirectory _dir = new("simd-train-plot-tests-");

    public void Dispose() => _dir.Dispose();

    private static Dictionary<string, int> SeriesPoints(string path) =>
        XDocument.Load(path).Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "series")
                 .ToDictionary(g => (string)g.Attribute("data-series")!, g => (int)g.Attribute("data-points")!);

    [Fact]
    public void WritesTheLossAndAccuracyOfEveryEpoch()
    {
        string plot = _dir.PathOf("curves.svg");
        var (code, output, error) = Run("train", "--data", "iris", "--epochs", "3", "--layers", "8", "--plot", plot);

        Assert.True(code == 0, error);
        Assert.Contains($"plot: {plot}", output);
        var series = SeriesPoints(plot);
        Assert.Equal(new Dictionary<string, int> { ["train loss"] = 3, ["validation loss"] = 3, ["train accuracy"] = 3, ["validation accuracy"] = 3 }, series);
        Assert.Equal(["curves.svg"], Directory.GetFiles(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void WithoutAValidationSplitOnlyTheTrainingCurvesAreDrawn()
    {
        string plot = _dir.PathOf("train.svg");
        var (code, _, error) = Run("train", "--data", "iris", "--epochs", "2", "--layers", "8", "--validation-fraction", "0", "--plot", plot);

        Assert.True(code == 0, error);
        Assert.Equal(["train accuracy", "train loss"], SeriesPoints(plot).Keys.Order());
    }

    [Fact]
    public void APathUnderAMissingFolderIsRefusedBeforeTraining()
    {
        string plot = Path.Combine(_dir.Path, "missing", "curves.svg");
        var (code, output, error) = Run("train", "--data", "iris", "--epochs", "1", "--plot", plot);

        Assert.Equal(2, code);
        Assert.StartsWith($"error: --plot: '{plot}'", error);
        Assert.Empty(output);
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void AFolderIsRefusedBeforeTraining()
    {
        var (code, output, error) = Run("train", "--data", "iris", "--epochs", "1", "--plot", _dir.Path);

        Assert.Equal(2, code);
        Assert.StartsWith($"error: --plot: '{_dir.Path}'", error);
        Assert.Contains("is a folder", error);
        Assert.Empty(output);
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void ADivergedRunStillWritesTheCurvesItHas()
    {
        string plot = _dir.PathOf("diverged.svg");
        var (code, _, error) = Run("train", "--data", "digits", "--lr", "10", "--optimizer", "sgd", "--batch-norm", "false", "--dropout", "0",
                                   "--epochs", "3", "--plot", plot);

        Assert.Equal(1, code);
        Assert.StartsWith("error: training diverged", error);
        Assert.Contains("diverged in epoch 1", File.ReadAllText(plot));
        Assert.All(SeriesPoints(plot).Values, n => Assert.Equal(0, n));
    }
}
