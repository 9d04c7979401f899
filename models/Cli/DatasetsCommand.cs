using Simd.Runtime.Data;

namespace Simd.Models.Cli;

/// <summary>`datasets`: the names --data accepts and whether each is available here.</summary>
internal static class DatasetsCommand
{
    public static int Execute(AppConsole console)
    {
        foreach (KnownDataset d in DatasetRegistry.All)
        {
            string note = d.IsShipped ? " [built in]" : d.IsAvailable() ? " [installed]" : $" [not installed: {DatasetRegistry.FashionMnistInstallCommand}]";
            console.Output.WriteLine($"{d.Name,-14} {d.Description}{note}");
        }
        return 0;
    }
}
