namespace Simd.Runtime.Tests.Conformance;

/// <summary>The conformance data reaches the test output whole, and its absence is reported, not passed over.</summary>
[Trait("Category", "Conformance")]
public sealed class ConformanceDataTests
{
    /// <summary>All 334 cases of the manifest, each with its model and expected output, and the licence beside them.</summary>
    [Fact]
    public void EveryManifestCaseIsBesideTheTestAssembly()
    {
        var cases = File.ReadLines(Path.Combine(ConformanceData.OnnxNode, "manifest.tsv")).Skip(1)
            .Where(line => line.Length > 0).Select(line => line.Split('\t')[0]).ToList();
        Assert.Equal(334, cases.Count);
        foreach (string name in cases)
        {
            string folder = Path.Combine(ConformanceData.OnnxNode, name);
            Assert.True(File.Exists(Path.Combine(folder, "model.onnx")), $"{folder} has no model.onnx.");
            string output = Path.Combine(folder, "test_data_set_0", "output_0.pb");
            Assert.True(File.Exists(output), $"{output} is missing.");
        }
        foreach (string file in new[] { "LICENSE", "NOTICE", "README.md", "skipped.tsv" })
            Assert.True(File.Exists(Path.Combine(ConformanceData.OnnxNode, file)), $"onnx-node has no {file}.");
        Assert.True(File.Exists(ConformanceData.MazurBackprop));
    }

    [Fact]
    public void MissingFolderNamesThePathLookedFor()
    {
        using var folder = new TempDirectory("simd-conformance-data-");
        string empty = folder.Path;
        var e = Assert.Throws<DirectoryNotFoundException>(() => ConformanceData.Locate(empty));
        Assert.Contains(Path.Combine(empty, "Conformance", "Data"), e.Message);
        Assert.Contains("conformance data is missing", e.Message);
        Assert.Contains("Runtime.Tests/Conformance/Data", e.Message);
    }

    [Fact]
    public void IncompleteFolderNamesTheMissingFile()
    {
        using var folder = new TempDirectory("simd-conformance-data-");
        string root = folder.Path;
        string data = Path.Combine(root, "Conformance", "Data");
        Directory.CreateDirectory(Path.Combine(data, "onnx-node"));
        File.WriteAllText(Path.Combine(data, "onnx-node", "manifest.tsv"), "case\n");
        var e = Assert.Throws<FileNotFoundException>(() => ConformanceData.Locate(root));
        Assert.Contains(Path.Combine(data, "mazur-backprop.json"), e.Message);
        Assert.Contains("conformance data is incomplete", e.Message);
    }

    [Fact]
    public void CompleteFolderIsFound()
    {
        using var folder = new TempDirectory("simd-conformance-data-");
        string root = folder.Path;
        string data = Path.Combine(root, "Conformance", "Data");
        Directory.CreateDirectory(Path.Combine(data, "onnx-node"));
        File.WriteAllText(Path.Combine(data, "onnx-node", "manifest.tsv"), "case\n");
        File.WriteAllText(Path.Combine(data, "mazur-backprop.json"), "{}");
        Assert.Equal(data, ConformanceData.Locate(root));
    }
}
