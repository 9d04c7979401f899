using System.Globalization;
using System.Text;
using Simd.Models.Plotting;
using static Simd.Models.Plotting.SvgText;

namespace Simd.Models.Experiments;

/// <summary>
/// Writes what an experiment recorded into its folder: every table as CSV, every figure as SVG, and report.html,
/// self-contained (the SVGs inline, no scripts, no external files) so that it can be mailed or archived alone.
/// Each file is written whole or not at all.
/// </summary>
internal static class ExperimentReport
{
    public const string FileName = "report.html";

    public static string Write(ExperimentContext context, string folder, TimeSpan elapsed, DateTime startedUtc)
    {
        Directory.CreateDirectory(folder);
        foreach (var table in context.Tables) AtomicTextFile.Write(Path.Combine(folder, table.FileName), table.ToCsv());
        foreach (var figure in context.Figures) AtomicTextFile.Write(Path.Combine(folder, figure.FileName), figure.Svg);
        string report = Path.Combine(folder, FileName);
        AtomicTextFile.Write(report, Html(context, elapsed, startedUtc));
        return report;
    }

    public static string Command(string name, bool quick) => $"dotnet run -c Release --project models -- experiment {name}{(quick ? " --quick" : "")}";

    private static string Html(ExperimentContext context, TimeSpan elapsed, DateTime startedUtc)
    {
        var e = context.Experiment;
        var html = new StringBuilder();
        Page.Begin(html, e.Title);
        html.Append($"<h1>{Escape(e.Title)}</h1>\n<p class=\"question\">{Escape(e.Question)}</p>\n");
        html.Append($"<p class=\"run\">{(context.Quick ? "Quick run" : "Full run")}: <code>{Escape(Command(e.Name, context.Quick))}</code>. {Escape(context.Setup)}</p>\n");
        if (context.FailedChecks.Count > 0)
        {
            html.Append("<div class=\"failed\"><h2>Failed checks</h2>\n<ul>\n");
            foreach (string failed in context.FailedChecks) html.Append($"<li>{Escape(failed)}</li>\n");
            html.Append("</ul></div>\n");
        }
        html.Append("<h2>Findings</h2>\n<ul class=\"findings\">\n");
        foreach (string finding in context.Findings) html.Append($"<li>{Escape(finding)}</li>\n");
        html.Append("</ul>\n");
        foreach (var figure in context.Figures)
        {
            html.Append($"<figure class=\"chart\" data-file=\"{Escape(figure.FileName)}\">\n{figure.Svg}");
            html.Append($"<figcaption>{Escape(figure.Caption)} (<a href=\"{Escape(figure.FileName)}\">{Escape(figure.FileName)}</a>)</figcaption>\n</figure>\n");
        }
        foreach (var (heading, text) in context.Details) html.Append($"<h2>{Escape(heading)}</h2>\n<pre>{Escape(text)}</pre>\n");
        html.Append("<h2>Data</h2>\n<ul>\n");
        foreach (var table in context.Tables)
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{Escape(table.FileName)}\">{Escape(table.FileName)}</a>: {table.Rows.Count} rows of {Escape(string.Join(", ", table.Columns))}</li>\n");
        html.Append("</ul>\n<h2>Machine</h2>\n<table class=\"machine\">\n");
        var rows = MachineInfo.Describe().Concat(
        [
            ("started", startedUtc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)),
            ("took", string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:F1} s")),
        ]);
        foreach (var (name, value) in rows) html.Append($"<tr><th>{Escape(name)}</th><td>{Escape(value)}</td></tr>\n");
        html.Append("</table>\n");
        Page.End(html);
        return html.ToString();
    }
}

/// <summary>The HTML page around a report or the index: one small stylesheet, no scripts.</summary>
internal static class Page
{
    public static void Begin(StringBuilder html, string title)
    {
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append($"<title>{Escape(title)}</title>\n");
        html.Append("<style>\nbody{font-family:\"DejaVu Sans\",Helvetica,Arial,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}\n");
        html.Append("figure.chart{margin:1.5em 0}figure.chart svg{max-width:100%;height:auto;border:1px solid #ddd}\n");
        html.Append("figcaption{font-size:.9em;color:#444}pre{background:#f6f6f6;padding:.8em;overflow-x:auto;font-size:.85em}\n");
        html.Append("table.machine th{text-align:left;padding-right:1em}.failed{border:2px solid #c00;padding:0 1em}code{background:#f2f2f2}\n</style>\n");
        html.Append("</head>\n<body>\n");
    }

    public static void End(StringBuilder html) => html.Append("</body>\n</html>\n");
}
