using Simd.Models.Experiments;
using static Simd.Runtime.Tests.CommandLine.CliRun;

namespace Simd.Runtime.Tests.Experiments;

[Collection(QuickExperimentsCollection.Name)]
public sealed class ExperimentCommandTests(QuickExperimentRuns runs) : IDisposable
{
    private readonly TempDirectory _dir = new("simd-experiment-command-tests-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AllQuickRunsEveryExperimentAndWritesAnIndexLinkingEachReport()
    {
        Assert.True(runs.Code == 0, runs.Error);
        Assert.Empty(runs.Error);
        string index = File.ReadAllText(Path.Combine(runs.Folder, "index.html"));
        foreach (string name in ExperimentCatalog.Names)
        {
            Assert.Contains($"href=\"{name}/report.html\"", index);
            Assert.True(File.Exists(runs.Report(name)), name);
            Assert.Contains($"{name}: report: {runs.Report(name)}", runs.Output);
        }
        Assert.Contains($"index: {Path.Combine(runs.Folder, "index.html")}", runs.Output);
        // Nothing half-written is left anywhere.
        Assert.Empty(Directory.GetFiles(runs.Folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void EveryReportIsSelfContainedWithItsFindingsMachineAndTime()
    {
        foreach (string name in ExperimentCatalog.Names)
        {
            string html = File.ReadAllText(runs.Report(name));
            Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\"", html);
            Assert.Contains("<ul class=\"findings\">\n<li>", html);
            Assert.Contains("<th>CPU</th>", html);
            Assert.Contains("<th>took</th>", html);
            Assert.Contains($"experiment {name} --quick", html);
            Assert.DoesNotContain("<script", html);
            Assert.DoesNotContain("src=\"", html);
        }
    }

    [Fact]
    public void AnUnknownNameIsRefusedWithTheNames()
    {
        string outDir = _dir.PathOf("out");
        var (code, output, error) = Run("experiment", "backprob", "--out", outDir);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith($"error: experiment: 'backprob' is not an experiment; expected one of: {ExperimentCatalog.Expected}.", error);
        Assert.Contains("backprop", error);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void AnOutFolderThatIsAFileIsRefused()
    {
        string file = _dir.PathOf("file.txt");
        File.WriteAllText(file, "");
        var (code, _, error) = Run("experiment", "backprop", "--quick", "--out", file);
        Assert.Equal(2, code);
        Assert.StartsWith($"error: --out: '{file}' is a file, not a folder.", error);

        (code, _, error) = Run("experiment", "backprop", "--quick", "--out", Path.Combine(file, "below"));
        Assert.Equal(2, code);
        Assert.Contains($"'{file}' is a file, not a folder", error);
        Assert.Equal([file], Directory.GetFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void AFullRunWithoutFashionMnistSaysSoAndFails()
    {
        string missing = _dir.PathOf("no-fashion-mnist");
        string previous = ExperimentData.FashionMnistDirectory;
        ExperimentData.FashionMnistDirectory = missing;
        try
        {
            string outDir = _dir.PathOf("out");
            var training = ExperimentCatalog.Experiments.First(e => e.FullRunNeedsFashionMnist);
            var (code, output, error) = Run("experiment", training.Name, "--out", outDir);

            Assert.Equal(1, code);
            Assert.Empty(output);
            Assert.StartsWith($"error: the full run of '{training.Name}' trains on Fashion-MNIST, which is not installed in {missing}", error);
            Assert.Contains("--quick", error);
            Assert.False(Directory.Exists(outDir));
        }
        finally
        {
            ExperimentData.FashionMnistDirectory = previous;
        }
    }
}
