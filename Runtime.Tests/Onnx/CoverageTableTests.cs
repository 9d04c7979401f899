namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// COVERAGE.md beside this file (copied to the test output, like the conformance data) accounts for every case of
/// the conformance manifest, once.
/// </summary>
[Trait("Category", "Conformance")]
public class CoverageTableTests
{
    [Fact]
    public void ListsEveryManifestCaseOnce()
    {
        string table = Path.Combine(AppContext.BaseDirectory, "Onnx", "COVERAGE.md");
        var listed = new Dictionary<string, string>();
        foreach (string line in File.ReadLines(table))
        {
            if (!line.StartsWith("| test_", StringComparison.Ordinal)) continue;
            string[] cells = line.Split('|', StringSplitOptions.TrimEntries);
            Assert.True(listed.TryAdd(cells[1], cells[3]), $"COVERAGE.md lists {cells[1]} twice.");
            Assert.True(cells[3] is "tested" or "skipped", $"{cells[1]}: status '{cells[3]}'; expected tested or skipped.");
        }
        var manifest = ConformanceCase.Manifest().Select(r => r.Case).ToList();
        Assert.Empty(manifest.Except(listed.Keys));
        Assert.Empty(listed.Keys.Except(manifest));
    }
}
