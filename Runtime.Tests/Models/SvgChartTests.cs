using System.Globalization;
using System.Xml.Linq;
using Simd.Models.Plotting;

namespace Simd.Runtime.Tests.Models;

public sealed class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XDocument Parse(string svg) => XDocument.Parse(svg);

    private static List<XElement> Groups(XDocument doc, string cls) =>
        doc.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == cls).ToList();

    private static double[] TickValues(XDocument doc, string axis) =>
        Groups(doc, axis).Single().Elements(Svg + "text").Select(t => double.Parse(t.Value, CultureInfo.InvariantCulture)).ToArray();

    private static Chart TwoSeries(AxisScale y = AxisScale.Linear) => new()
    {
        Title = "Loss",
        XLabel = "epoch",
        YLabel = "loss",
        YScale = y,
        Series =
        [
            new Series("train", [1, 2, 3, 4], [2.3, 0.9, 0.41, 0.3]),
            new Series("validation", [1, 2, 3, 4], [2.1, 1.1, 0.6, 0.55], SeriesKind.LineWithMarkers),
        ],
    };

    [Fact]
    public void EverySeriesIsOneNamedGroupWithItsOwnColour()
    {
        var doc = Parse(SvgChart.Render(TwoSeries()));
        var series = Groups(doc, "series");
        Assert.Equal(["train", "validation"], series.Select(g => (string?)g.Attribute("data-series")));
        Assert.Equal(2, series.Select(g => (string?)g.Attribute("stroke")).Distinct().Count());
        Assert.All(series, g => Assert.Single(g.Elements(Svg + "path"), p => (string?)p.Attribute("class") == "line"));
        Assert.Single(series[1].Elements(Svg + "path"), p => (string?)p.Attribute("class") == "markers");
        Assert.Equal(["train", "validation"], Groups(doc, "legend-entry").Select(g => (string?)g.Attribute("data-series")));
        var texts = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("Loss", texts);
        Assert.Contains("epoch", texts);
        Assert.Contains("loss", texts);
    }

    [Fact]
    public void TicksAreNiceNumbersThatCoverTheData()
    {
        var doc = Parse(SvgChart.Render(TwoSeries()));
        double[] y = TickValues(doc, "y-ticks");
        Assert.True(y[0] <= 0.3 && y[^1] >= 2.3, string.Join(",", y));
        double step = y[1] - y[0];
        Assert.Contains(Math.Round(step / Math.Pow(10, Math.Floor(Math.Log10(step))), 6), new[] { 1.0, 2.0, 5.0 });
        Assert.All(y.Zip(y.Skip(1)), p => Assert.Equal(step, p.Second - p.First, 9));
        Assert.Equal([0, 0.5, 1, 1.5, 2, 2.5], Ticks.Linear(0.3, 2.3));
        Assert.Equal([1, 2, 3, 4], Ticks.Linear(1, 4));
        Assert.Equal([0, 200, 400, 600, 800, 1000, 1200], Ticks.Linear(3, 1100));
        Assert.Equal([-0.04, -0.02, 0, 0.02, 0.04, 0.06], Ticks.Linear(-0.031, 0.052));
        Assert.Equal([0.9, 0.95, 1, 1.05, 1.1], Ticks.Linear(1, 1));
    }

    [Fact]
    public void TickLabelsUseTheInvariantCultureWhateverTheCurrentOne()
    {
        var previous = CultureInfo.CurrentCulture;
        string invariant = SvgChart.Render(TwoSeries());
        try
        {
            // Tests run in globalization-invariant mode: a culture with a decimal comma stands in for e.g. de-DE.
            var comma = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            comma.NumberFormat.NumberDecimalSeparator = ",";
            CultureInfo.CurrentCulture = comma;
            var doc = Parse(SvgChart.Render(TwoSeries()));
            Assert.Contains("0.5", Groups(doc, "y-ticks").Single().Elements(Svg + "text").Select(t => t.Value));
            Assert.Equal(invariant, SvgChart.Render(TwoSeries()));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void LogTicksArePowersOfTen()
    {
        var chart = TwoSeries(AxisScale.Log) with { XScale = AxisScale.Log, Series = [new Series("s", [1, 30, 2000], [0.004, 0.2, 7])] };
        var doc = Parse(SvgChart.Render(chart));
        Assert.Equal([0.001, 0.01, 0.1, 1, 10], TickValues(doc, "y-ticks"));
        Assert.Equal([1, 10, 100, 1000, 10000], TickValues(doc, "x-ticks"));
        Assert.Equal([1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1, 1e2, 1e4], Ticks.Log(1e-12, 999));
        Assert.Equal("1e-7", Ticks.FormatLog(1e-7));
    }

    [Fact]
    public void NonPositiveValuesOnALogAxisAreDroppedAndSaidSo()
    {
        var chart = TwoSeries(AxisScale.Log) with { Series = [new Series("s", [1, 2, 3], [0.5, 0, -1])] };
        var doc = Parse(SvgChart.Render(chart));
        Assert.Equal("1", (string?)Groups(doc, "series").Single().Attribute("data-points"));
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "2 points not shown: zero or negative on a log axis");
    }

    [Fact]
    public void NaNAndInfinitePointsAreSkippedAndTheLineBreaksThere()
    {
        var chart = TwoSeries() with { Series = [new Series("diverged", [1, 2, 3, 4, 5], [1, 0.5, double.NaN, double.PositiveInfinity, 0.7])] };
        string svg = SvgChart.Render(chart);
        var doc = Parse(svg);
        var line = Groups(doc, "series").Single().Elements(Svg + "path").Single();
        Assert.Equal(2, ((string)line.Attribute("d")!).Count(c => c == 'M'));
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "2 points not shown: NaN or infinite");
        Assert.DoesNotContain("NaN", svg.Replace("NaN or infinite", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void ALineOfManyMorePointsThanPixelsIsThinnedToTheSamePicture()
    {
        // 40,000 steps of a sawtooth with a NaN gap: each pixel column keeps its first, lowest, highest and last vertex.
        double[] x = [.. Enumerable.Range(0, 40_000).Select(i => (double)i)];
        double[] y = [.. x.Select(i => i is >= 20_000 and < 20_050 ? double.NaN : (i % 97) / 97.0 + i / 40_000.0)];
        var doc = Parse(SvgChart.Render(new Chart { Title = "steps", Series = [new Series("rate", x, y)] }));
        var group = Groups(doc, "series").Single();
        Assert.Equal("39950", (string?)group.Attribute("data-points"));
        string d = (string)group.Elements(Svg + "path").Single().Attribute("d")!;
        var vertices = d.Split(['M', 'L'], StringSplitOptions.RemoveEmptyEntries)
                        .Select(v => v.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.InRange(vertices.Count, 100, 4 * 720);
        Assert.Equal(2, d.Count(c => c == 'M'));
        // The envelope survives: the sawtooth's full height, vertices in x order.
        Assert.True(vertices.Min(v => v[1]) < vertices.Max(v => v[1]) - 100, "the sawtooth's height is kept");
        Assert.All(vertices.Zip(vertices.Skip(1)), p => Assert.True(p.Second[0] >= p.First[0], "vertices stay in x order"));
    }

    [Fact]
    public void EmptySeriesAndEmptyChartsStillDraw()
    {
        var chart = TwoSeries() with { Series = [new Series("nothing", [], []), new Series("all-nan", [1], [double.NaN])] };
        var doc = Parse(SvgChart.Render(chart));
        Assert.Equal(2, Groups(doc, "series").Count);
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "nothing (no data)");
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1], TickValues(doc, "y-ticks"));
        Parse(SvgChart.Render(new Chart()));
    }

    [Fact]
    public void ElevenSeriesAllDifferInColourMarkerOrDash()
    {
        var styles = Enumerable.Range(0, 30).Select(i => (Palette.Colour(i), Palette.Marker(i), Palette.Dash(i))).ToList();
        Assert.Equal(styles.Count, styles.Distinct().Count());
    }

    [Fact]
    public void SmallMultiplesDrawOnePanelEachWithOneSharedLegend()
    {
        var panels = Enumerable.Range(0, 5).Select(i => new Chart
        {
            Title = $"panel {i}",
            Series = [new Series("f(x)", [0, 1], [i, i + 1]), new Series("f'(x)", [0, 1], [1, 1])],
        }).ToList();
        var doc = Parse(SvgChart.Render(new ChartGrid { Title = "grid", Panels = panels, Columns = 2 }));
        var rendered = Groups(doc, "panel");
        Assert.Equal(5, rendered.Count);
        Assert.Equal(panels.Select(p => p.Title), rendered.Select(p => (string?)p.Attribute("data-title")));
        Assert.Single(Groups(doc, "legend"));
        // The same name has the same colour in every panel.
        Assert.Single(Groups(doc, "series").Where(g => (string?)g.Attribute("data-series") == "f(x)").Select(g => (string?)g.Attribute("stroke")).Distinct());
    }

    [Fact]
    public void TheSameDataGivesTheSameText()
    {
        Assert.Equal(SvgChart.Render(TwoSeries()), SvgChart.Render(TwoSeries()));
        Assert.Contains("&lt;b&gt; &amp;", SvgChart.Render(new Chart { Title = "<b> &" }), StringComparison.Ordinal);
    }

    [Fact]
    public void AtomicWriteLeavesNothingBehindWhenTheFolderIsMissing()
    {
        using var temp = new TempDirectory("simd-plot-tests-");
        string path = Path.Combine(temp.Path, "missing", "chart.svg");
        var e = Assert.Throws<IOException>(() => AtomicTextFile.Write(path, "x"));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
        string ok = temp.PathOf("chart.svg");
        AtomicTextFile.Write(ok, "<svg/>");
        Assert.Equal(["chart.svg"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }
}
