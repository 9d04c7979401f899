using System.Runtime.CompilerServices;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>COVERAGE.md beside this file accounts for every case of the conformance manifest, once.</summary>
[Trait("Category", "Conformance")]
public class CoverageTableTests
{
    [Fact]
    public void ListsEveryManifestCaseOnce()
    {
        string table = Path.Combine(Path.GetDirectoryName(SourcePath())!, "COVERAGE.md");
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

    /// <summary>Without the shared folder the conformance tests fail with a message that says what is missing.</summary>
    [Fact]
    public void MissingSharedFolderFailsWithAClearMessage()
    {
        string empty = Path.Combine(Path.GetTempPath(), "onnx-no-shared-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        try
        {
            // Path.GetTempPath() may itself sit below a shared/conformance; only judge the message when it does not.
            var e = Record.Exception(() => ConformanceCase.FindRoot(empty));
            if (e is not null)
            {
                Assert.IsType<DirectoryNotFoundException>(e);
                Assert.Contains("shared/conformance", e.Message);
                Assert.Contains("cannot run", e.Message);
            }
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    private static string SourcePath([CallerFilePath] string path = "") => path;
}
