using Simd.Runtime.Onnx.Conformance;
using Simd.Runtime.Tests.Conformance;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// The onnx-conformance runner over the conformance data the repository carries: every case the importer's own
/// conformance tests import passes, and what does not pass is exactly the table at the end of COVERAGE.md.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class ConformanceRunnerTests
{
    private static readonly Lazy<IReadOnlyList<ConformanceResult>> Results =
        new(() => [.. new ConformanceRunner().RunAll(ConformanceData.OnnxNode)]);

    /// <summary>The cases the importer conformance tests run through the importer and the imported model.</summary>
    public static TheoryData<string> ImportedCases()
    {
        IEnumerable<object[]>[] sources =
        [
            ImporterConformanceTests.Cases(), ImporterConformanceTests.DirectCases(), CnnImporterConformanceTests.Cases(),
            RecurrentImporterConformanceTests.Cases(), LayerNormConformanceTests.SupportedCases(),
        ];
        return [.. sources.SelectMany(s => s).Select(row => (string)row[0]).Distinct().Order(StringComparer.Ordinal)];
    }

    [Theory]
    [MemberData(nameof(ImportedCases))]
    public void CaseTheImporterTestsImportPasses(string name)
    {
        ConformanceResult r = Assert.Single(Results.Value, r => r.Name == name);
        Assert.True(r.Outcome == ConformanceOutcome.Pass, r.Line);
    }

    [Fact]
    public void RunsEveryManifestCase()
    {
        var manifest = ConformanceCase.Manifest().Select(r => r.Case).Order(StringComparer.Ordinal);
        Assert.Equal(manifest, Results.Value.Select(r => r.Name));
    }

    [Fact]
    public void ResultsEqualTheTableInCoverage()
    {
        string section = ConformanceRunnerTable.Section(Results.Value);
        if (Environment.GetEnvironmentVariable(ConformanceRunnerTable.UpdateVariable) == "1")
        {
            ConformanceRunnerTable.Rewrite(section);
            return;
        }
        string coverage = Path.Combine(AppContext.BaseDirectory, "Onnx", "COVERAGE.md");
        string? recorded = ConformanceRunnerTable.Recorded(coverage);
        Assert.True(recorded is not null, $"COVERAGE.md has no section '{ConformanceRunnerTable.Heading}'; write it with `{ConformanceRunnerTable.UpdateCommand}`.");
        if (recorded != section)
        {
            string[] want = section.Split('\n'), have = recorded.Split('\n');
            int line = 0;
            while (line < want.Length && line < have.Length && want[line] == have[line]) line++;
            string runner = line < want.Length ? want[line] : "(nothing)", table = line < have.Length ? have[line] : "(nothing)";
            Assert.Fail($"COVERAGE.md's runner table differs from the runner's results at line {line + 1} of the section:\n" +
                        $"  runner: {runner}\n  table:  {table}\n" +
                        $"If the change is meant (an op added or a reason reworded), rewrite it with `{ConformanceRunnerTable.UpdateCommand}` and review the diff.");
        }
    }
}
