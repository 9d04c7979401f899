namespace Simd.Perf.Report;

/// <summary>
/// A group of report figures measured together. Sections are listed in <see cref="ReportSections.All"/>;
/// add a new one there.
/// </summary>
public interface IReportSection
{
    /// <summary>The prefix every figure of the section starts with (<c>sgemm</c>, <c>train</c>); the filter uses it
    /// to skip whole sections.</summary>
    string Name { get; }

    /// <summary>Measures and writes the figures. Check <see cref="ReportWriter.Wants"/> before measuring one.</summary>
    void Run(ReportWriter writer);
}
