using Simd.Models.Cli;
using Simd.Runtime.Data;

namespace Simd.Runtime.Tests.CommandLine;

public sealed class DatasetsCommandTests
{
    [Fact]
    public void EachDatasetSaysWhetherItIsBuiltInOrInstalledOrHowToInstallIt()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int code = ModelsApp.Run(["datasets"], output, error);

        Assert.Equal(0, code);
        Assert.Equal("", error.ToString());
        string[] lines = output.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(DatasetRegistry.All.Count, lines.Length);
        foreach (KnownDataset d in DatasetRegistry.All)
        {
            string line = Assert.Single(lines, l => l.StartsWith(d.Name + " ", StringComparison.Ordinal));
            string expected = d.IsShipped ? "[built in]" : d.IsAvailable() ? "[installed]" : $"[not installed: {DatasetRegistry.FashionMnistInstallCommand}]";
            Assert.EndsWith(expected, line);
        }
    }
}
