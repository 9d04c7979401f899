using System.Globalization;
using System.Text.RegularExpressions;
using Simd.Models.Experiments;

namespace Simd.Runtime.Tests.Experiments;

/// <summary>Skips, naming why, where Chromium is missing outside CI; in CI (CI set) the test runs and fails instead.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (HeadlessChromium.SkipReason is string reason) Skip = reason;
    }
}

/// <summary>
/// Every quick report opened in headless Chromium: no console messages, and every chart drawn (coloured pixels
/// inside each chart's box of the screenshot, the boxes measured by the browser in a copy of the page).
/// </summary>
[Collection(QuickExperimentsCollection.Name)]
public sealed partial class ReportBrowserTests(QuickExperimentRuns runs) : IDisposable
{
    private const string LayoutProbe =
        "<script>(function(){var b=[].map.call(document.querySelectorAll('figure.chart svg'),function(s){var r=s.getBoundingClientRect();" +
        "return [r.left+scrollX,r.top+scrollY,r.width,r.height].map(Math.round).join(',');});" +
        "var p=document.createElement('pre');p.id='layout';p.textContent='layout '+document.documentElement.scrollHeight+';'+b.join(';')+' end';" +
        "document.body.appendChild(p);})();</script>";

    private readonly TempDirectory _dir = new("simd-report-browser-tests-");

    public void Dispose() => _dir.Dispose();

    [BrowserFact]
    public void EveryReportLoadsWithoutConsoleMessagesAndDrawsEveryChart()
    {
        Assert.True(runs.Code == 0, runs.Error);
        foreach (string name in ExperimentCatalog.Names) CheckReport(name);
        var (_, console) = HeadlessChromium.Run(Path.Combine(runs.Folder, "index.html"), 800, "--screenshot=" + _dir.PathOf("index.png"));
        Assert.Empty(console);
    }

    private void CheckReport(string name)
    {
        string html = File.ReadAllText(runs.Report(name));
        string probe = _dir.PathOf($"{name}-probe.html");
        File.WriteAllText(probe, html.Replace("</body>", LayoutProbe + "</body>", StringComparison.Ordinal));
        var (dom, probeConsole) = HeadlessChromium.Run(probe, 900, "--dump-dom");
        Assert.Empty(probeConsole);
        Match layout = Layout().Match(dom);
        Assert.True(layout.Success, $"{name}: the layout probe wrote nothing into the page");
        int height = int.Parse(layout.Groups[1].Value, CultureInfo.InvariantCulture);
        var boxes = layout.Groups[2].Value.Split(';', StringSplitOptions.RemoveEmptyEntries)
                          .Select(b => b.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(Directory.GetFiles(Path.Combine(runs.Folder, name), "*.svg").Length, boxes.Count);

        // The report itself, as a user opens it, at the height that shows all of it.
        string page = _dir.PathOf($"{name}.html");
        File.WriteAllText(page, html);
        string screenshot = _dir.PathOf($"{name}.png");
        var (_, console) = HeadlessChromium.Run(page, Math.Min(height, 16_000), "--screenshot=" + screenshot);
        Assert.True(console.Count == 0, $"{name}: {string.Join("\n", console)}");
        var image = PngImage.Load(screenshot);
        foreach (int[] box in boxes) AssertDrawn(name, image, box);
    }

    /// <summary>Series colours (saturated pixels) inside the chart's box: axes and text alone are grey.</summary>
    private static void AssertDrawn(string name, PngImage image, int[] box)
    {
        int coloured = 0, inked = 0, total = 0;
        for (int y = Math.Max(0, box[1]); y < Math.Min(image.Height, box[1] + box[3]); y++)
        {
            for (int x = Math.Max(0, box[0]); x < Math.Min(image.Width, box[0] + box[2]); x++)
            {
                var (r, g, b) = image.Pixel(x, y);
                total++;
                if (r < 235 || g < 235 || b < 235) inked++;
                if (Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b)) > 60) coloured++;
            }
        }
        string where = $"{name}: the chart at {string.Join(",", box)} in a {image.Width}×{image.Height} screenshot";
        Assert.True(total > 10_000, $"{where} is not on the screenshot ({total} pixels)");
        Assert.True(coloured > 100, $"{where} has {coloured} coloured pixels: no series drawn");
        Assert.True(inked > total / 100, $"{where} is blank ({inked} of {total} pixels drawn)");
    }

    [GeneratedRegex(@"layout (\d+);(.*?) end")]
    private static partial Regex Layout();
}
