using System.Runtime.CompilerServices;
using System.Text;
using Simd.Runtime.Onnx;
using Simd.Runtime.Onnx.Conformance;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// The last section of COVERAGE.md: the onnx-conformance runner's result for every case of the conformance data
/// that does not simply pass, as the runner gives it. Written from the runner's results (set
/// <see cref="UpdateVariable"/> to rewrite the file beside the sources) and read back to check it.
/// </summary>
internal static class ConformanceRunnerTable
{
    public const string Heading = "## The onnx-conformance runner over these cases";

    /// <summary>Set to 1, the table test rewrites the section in the source tree's COVERAGE.md instead of failing.</summary>
    public const string UpdateVariable = "SIMD_UPDATE_RUNNER_TABLE";

    public const string UpdateCommand = $"{UpdateVariable}=1 dotnet test Runtime.Tests -c Release --filter FullyQualifiedName~ConformanceRunnerTests";

    /// <summary>
    /// The importer's refusal of an op names every op it maps; the table leaves that list out, so that adding an op
    /// changes only the rows of the cases it makes pass.
    /// </summary>
    private static string SupportedOpsList => $"the importer maps {string.Join(", ", OnnxImporter.SupportedOps)}.";

    private const string SupportedOpsShort = "the importer maps the ops listed in Runtime/Onnx/README.md.";

    /// <summary>The section's text, from its heading to the end of the file.</summary>
    public static string Section(IReadOnlyList<ConformanceResult> results)
    {
        var text = new StringBuilder();
        text.Append(Heading).Append("\n\n");
        text.Append("`dotnet run -c Release --project models -- onnx-conformance Runtime.Tests/Conformance/Data/onnx-node` runs every case\n");
        text.Append("above through the importer and the imported model frozen, and compares each output with rtol 1e-3 and atol 1e-5\n");
        text.Append("(graph inputs after the first bound as initializers, the first fed; `Runtime/Onnx/README.md`, \"Conformance runner\").\n");
        text.Append($"It ends with `{ConformanceResult.Summary(results)}`. Every case not listed here passes; a pass that\n");
        text.Append("left an output out (only one output is imported at a time, and one the importer refuses is not compared) is listed\n");
        text.Append("with it. The importer's list of the ops it maps is shortened to a pointer to that list. ConformanceRunnerTests\n");
        text.Append("holds this table to the runner's results; after a change to the importer, rewrite it with\n");
        text.Append($"`{UpdateCommand}`.\n\n");
        text.Append("| case | result | reason |\n|---|---|---|\n");
        foreach (ConformanceResult r in results.Where(r => r.Outcome != ConformanceOutcome.Pass || r.Reason is not null).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            string result = r.Outcome.ToString().ToUpperInvariant();
            text.Append($"| `{r.Name}` | {result} | {Cell(r.Reason ?? "")} |\n");
        }
        return text.ToString();
    }

    /// <summary>The section as COVERAGE.md holds it (the copy beside the test assembly), or null when it has none.</summary>
    public static string? Recorded(string coverage)
    {
        string text = File.ReadAllText(coverage).ReplaceLineEndings("\n");
        int at = text.IndexOf("\n" + Heading + "\n", StringComparison.Ordinal);
        return at < 0 ? null : text[(at + 1)..];
    }

    /// <summary>Replaces (or appends) the section in the source tree's COVERAGE.md, found beside this file.</summary>
    public static string Rewrite(string section, [CallerFilePath] string thisFile = "")
    {
        string coverage = Path.Combine(Path.GetDirectoryName(thisFile)!, "COVERAGE.md");
        RewriteIn(coverage, section);
        return coverage;
    }

    /// <summary>Replaces the section in <paramref name="coverage"/>, or appends it when the file has none; what comes before stays.</summary>
    public static void RewriteIn(string coverage, string section)
    {
        string text = File.ReadAllText(coverage).ReplaceLineEndings("\n");
        int at = text.IndexOf("\n" + Heading + "\n", StringComparison.Ordinal);
        string head = at < 0 ? text.TrimEnd('\n') + "\n\n" : text[..(at + 1)];
        File.WriteAllText(coverage, head + section);
    }

    private static string Cell(string reason) => reason.Replace(SupportedOpsList, SupportedOpsShort, StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);
}
