using Simd.Runtime.Onnx.Conformance;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>How the runner's table is written into COVERAGE.md: after what is there, or over its own old version.</summary>
public sealed class ConformanceRunnerTableTests
{
    [Fact]
    public void TheSectionIsAppendedOnceThenReplacedAndTheRestKept()
    {
        using var temp = new TempDirectory();
        string coverage = temp.WriteText("COVERAGE.md", "# Coverage\n\n| test_a | A | tested | x |\n");
        ConformanceResult[] first = [new("test_a", ConformanceOutcome.Skip, "no op"), new("test_b", ConformanceOutcome.Pass, null)];
        ConformanceResult[] second = [new("test_a", ConformanceOutcome.Fail, "output 'y' |error| 1")];

        ConformanceRunnerTable.RewriteIn(coverage, ConformanceRunnerTable.Section(first));
        string once = File.ReadAllText(coverage);
        ConformanceRunnerTable.RewriteIn(coverage, ConformanceRunnerTable.Section(second));
        string twice = File.ReadAllText(coverage);

        Assert.StartsWith("# Coverage\n\n| test_a | A | tested | x |\n\n" + ConformanceRunnerTable.Heading + "\n", once);
        Assert.EndsWith("| `test_a` | SKIP | no op |\n", once);
        Assert.DoesNotContain("test_b", once);
        Assert.Equal(ConformanceRunnerTable.Section(second), ConformanceRunnerTable.Recorded(coverage));
        Assert.StartsWith("# Coverage\n\n| test_a | A | tested | x |\n\n", twice);
        Assert.EndsWith("| `test_a` | FAIL | output 'y' \\|error\\| 1 |\n", twice);
        Assert.Contains("`0 passed, 1 failed, 0 skipped`", twice);
    }
}
