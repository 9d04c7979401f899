using System.Globalization;
using System.Text;
using Simd.Models.Plotting;
using static Simd.Models.Plotting.SvgText;

namespace Simd.Models.Experiments;

/// <summary>`experiment all`'s index.html: one line per experiment, linking its report, with its first finding.</summary>
internal static class ExperimentIndex
{
    public const string FileName = "index.html";

    public static string Write(string folder, IReadOnlyList<(ExperimentContext Context, TimeSpan Elapsed)> runs, bool quick)
    {
        var html = new StringBuilder();
        Page.Begin(html, "Experiments");
        html.Append($"<h1>Experiments</h1>\n<p>{(quick ? "Quick runs" : "Full runs")}: <code>{Escape(ExperimentReport.Command(ExperimentCatalog.All, quick))}</code></p>\n<ul class=\"experiments\">\n");
        foreach (var (context, elapsed) in runs)
        {
            var e = context.Experiment;
            string status = context.FailedChecks.Count > 0 ? " <strong>(failed checks)</strong>" : "";
            string first = context.Findings.Count > 0 ? " " + Escape(context.Findings[0]) : "";
            html.Append(CultureInfo.InvariantCulture,
                $"<li><a href=\"{Escape(e.Name)}/{ExperimentReport.FileName}\">{Escape(e.Title)}</a>{status} ({elapsed.TotalSeconds:F1} s).{first}</li>\n");
        }
        html.Append("</ul>\n");
        Page.End(html);
        string path = Path.Combine(folder, FileName);
        AtomicTextFile.Write(path, html.ToString());
        return path;
    }
}
