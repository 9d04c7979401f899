namespace Simd.Runtime.Tests.Conformance;

/// <summary>
/// Where the conformance data (the repository's Runtime.Tests/Conformance/Data) sits at test time. The test project
/// copies it beside its assembly, so a published test executable carries it too, and every conformance test finds
/// its files here. Missing, those tests fail with a message naming the path looked for rather than pass empty.
/// </summary>
internal static class ConformanceData
{
    /// <summary>The ONNX node test cases: one folder per case, manifest.tsv listing them.</summary>
    public static string OnnxNode => Path.Combine(Folder, "onnx-node");

    /// <summary>Matt Mazur's worked backpropagation example with independently recomputed values.</summary>
    public static string MazurBackprop => Path.Combine(Folder, "mazur-backprop.json");

    private static string Folder => LazyFolder.Value;

    private static readonly Lazy<string> LazyFolder = new(() => Locate(AppContext.BaseDirectory));

    /// <summary>The data folder below <paramref name="assemblyDirectory"/>, checked to hold both data sets.</summary>
    internal static string Locate(string assemblyDirectory)
    {
        string folder = Path.Combine(assemblyDirectory, "Conformance", "Data");
        const string Remedy = "The build copies Runtime.Tests/Conformance/Data there; rebuild the test project " +
                              "(dotnet build -c Release) or publish it again.";
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"The conformance data is missing: no folder {folder}. {Remedy}");
        string[] required = [Path.Combine(folder, "onnx-node", "manifest.tsv"), Path.Combine(folder, "mazur-backprop.json")];
        foreach (string file in required)
        {
            if (!File.Exists(file))
                throw new FileNotFoundException($"The conformance data is incomplete: no file {file}. {Remedy}");
        }
        return folder;
    }
}
