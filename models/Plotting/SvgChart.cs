using System.Text;
using static Simd.Models.Plotting.SvgText;

namespace Simd.Models.Plotting;

/// <summary>
/// Draws a <see cref="Chart"/> or a <see cref="ChartGrid"/> as one standalone SVG document. The text depends on
/// the data alone (invariant numbers, no ids, no dates), so the same data gives the same file. Every series is one
/// <c>&lt;g class="series" data-series="name"&gt;</c>, every panel one <c>&lt;g class="panel"&gt;</c>.
/// </summary>
internal static class SvgChart
{
    public const double Width = 720, Height = 420;
    private const double MaxMarkersOnLine = 60, LegendRow = 18, GridLegendTop = 34;

    public static string Render(Chart chart, double width = Width, double height = Height)
    {
        var svg = Begin(width, height);
        var styles = new SeriesStyles(chart.Series);
        double legendWidth = chart.Series.Count == 0 ? 0 : 36 + chart.Series.Max(s => SvgText.Width(LegendName(s, chart)));
        Panel(svg, chart, 0, 0, width, height, styles, Math.Min(legendWidth, width / 3));
        return End(svg);
    }

    public static string Render(ChartGrid grid)
    {
        int columns = Math.Max(1, Math.Min(grid.Columns, Math.Max(1, grid.Panels.Count)));
        int rows = (grid.Panels.Count + columns - 1) / columns;
        var styles = new SeriesStyles(grid.Panels.SelectMany(p => p.Series));
        double width = columns * grid.PanelWidth;
        double top = GridLegendTop + LegendRow * LegendRows(styles, width) + 6;
        var svg = Begin(width, top + rows * grid.PanelHeight);
        if (grid.Title.Length > 0)
            svg.Append($"<text class=\"title\" x=\"{Number(width / 2)}\" y=\"20\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{Escape(grid.Title)}</text>\n");
        SharedLegend(svg, styles, width);
        for (int i = 0; i < grid.Panels.Count; i++)
            Panel(svg, grid.Panels[i], i % columns * grid.PanelWidth, top + i / columns * grid.PanelHeight, grid.PanelWidth, grid.PanelHeight, styles, 0);
        return End(svg);
    }

    private static StringBuilder Begin(double width, double height)
    {
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Number(width)}\" height=\"{Number(height)}\" viewBox=\"0 0 {Number(width)} {Number(height)}\" ");
        svg.Append("font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        svg.Append("<rect class=\"background\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    private static void Panel(StringBuilder svg, Chart chart, double x, double y, double w, double h, SeriesStyles styles, double legendWidth)
    {
        var points = chart.Series.Select(s => Points(s, chart)).ToArray();
        var notes = Notes(chart);
        double left = x + 64, right = x + w - 14 - legendWidth;
        double top = y + (chart.Title.Length > 0 ? 30 : 12), bottom = y + h - 44 - 14 * notes.Count;
        var xAxis = PlotAxis.Fit(chart.XScale, points.SelectMany(p => p.Select(q => q.X)).Concat(chart.Markers.Select(m => m.X).Where(v => PlotAxis.Shows(chart.XScale, v))),
                                 chart.XRange, left, right);
        var yAxis = PlotAxis.Fit(chart.YScale, points.SelectMany(p => p.Select(q => q.Y)), chart.YRange, bottom, top);

        svg.Append($"<g class=\"panel\" data-title=\"{Escape(chart.Title)}\">\n");
        if (chart.Title.Length > 0)
            svg.Append($"<text class=\"title\" x=\"{Number((left + right) / 2)}\" y=\"{Number(y + 18)}\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{Escape(chart.Title)}</text>\n");
        Axes(svg, xAxis, yAxis, left, right, top, bottom);
        if (chart.XLabel.Length > 0)
            svg.Append($"<text class=\"x-label\" x=\"{Number((left + right) / 2)}\" y=\"{Number(bottom + 36)}\" text-anchor=\"middle\">{Escape(chart.XLabel)}</text>\n");
        if (chart.YLabel.Length > 0)
            svg.Append($"<text class=\"y-label\" transform=\"translate({Number(x + 14)},{Number((top + bottom) / 2)}) rotate(-90)\" text-anchor=\"middle\">{Escape(chart.YLabel)}</text>\n");
        int row = 0;
        foreach (var marker in chart.Markers.Where(m => PlotAxis.Shows(chart.XScale, m.X)))
        {
            double mx = xAxis.Pixel(marker.X);
            // Each label one row lower than the one before, so that markers close together stay readable.
            double labelY = top + 12 + 13 * row++;
            svg.Append($"<g class=\"marker-line\"><line x1=\"{Number(mx)}\" y1=\"{Number(top)}\" x2=\"{Number(mx)}\" y2=\"{Number(bottom)}\" stroke=\"#555555\" stroke-dasharray=\"4,3\"/>");
            svg.Append($"<text x=\"{Number(mx + 4)}\" y=\"{Number(labelY)}\" font-size=\"11\" fill=\"#333333\">{Escape(marker.Label)}</text></g>\n");
        }
        for (int i = 0; i < chart.Series.Count; i++) DrawSeries(svg, chart.Series[i], points[i], styles.IndexOf(chart.Series[i].Name), xAxis, yAxis);
        for (int i = 0; i < notes.Count; i++)
            svg.Append($"<text class=\"note\" x=\"{Number(left)}\" y=\"{Number(bottom + 50 + 14 * i)}\" font-size=\"11\" fill=\"#a03000\">{Escape(notes[i])}</text>\n");
        if (legendWidth > 0) Legend(svg, chart, styles, right + 14, top);
        svg.Append("</g>\n");
    }

    private static void Axes(StringBuilder svg, PlotAxis xAxis, PlotAxis yAxis, double left, double right, double top, double bottom)
    {
        svg.Append("<g class=\"axes\" stroke=\"#dddddd\">\n");
        foreach (double t in xAxis.Ticks)
            svg.Append($"<line x1=\"{Number(xAxis.Pixel(t))}\" y1=\"{Number(top)}\" x2=\"{Number(xAxis.Pixel(t))}\" y2=\"{Number(bottom)}\"/>\n");
        foreach (double t in yAxis.Ticks)
            svg.Append($"<line x1=\"{Number(left)}\" y1=\"{Number(yAxis.Pixel(t))}\" x2=\"{Number(right)}\" y2=\"{Number(yAxis.Pixel(t))}\"/>\n");
        svg.Append($"<rect class=\"plot-area\" x=\"{Number(left)}\" y=\"{Number(top)}\" width=\"{Number(right - left)}\" height=\"{Number(bottom - top)}\" fill=\"none\" stroke=\"#444444\"/>\n");
        svg.Append("</g>\n<g class=\"x-ticks\" text-anchor=\"middle\">\n");
        foreach (double t in xAxis.Ticks)
            svg.Append($"<text x=\"{Number(xAxis.Pixel(t))}\" y=\"{Number(bottom + 16)}\">{Escape(xAxis.Label(t))}</text>\n");
        svg.Append("</g>\n<g class=\"y-ticks\" text-anchor=\"end\">\n");
        foreach (double t in yAxis.Ticks)
            svg.Append($"<text x=\"{Number(left - 6)}\" y=\"{Number(yAxis.Pixel(t) + 4)}\">{Escape(yAxis.Label(t))}</text>\n");
        svg.Append("</g>\n");
    }

    private static void DrawSeries(StringBuilder svg, Series series, List<(double X, double Y, bool Break)> points, int style, PlotAxis xAxis, PlotAxis yAxis)
    {
        string colour = Palette.Colour(style);
        svg.Append($"<g class=\"series\" data-series=\"{Escape(series.Name)}\" data-points=\"{points.Count}\" stroke=\"{colour}\" fill=\"{colour}\">");
        svg.Append($"<title>{Escape(series.Name)}</title>\n");
        if (series.Kind != SeriesKind.Scatter && points.Count > 0)
        {
            var d = new StringBuilder();
            foreach (var (x, y, move) in Vertices(points, xAxis, yAxis))
                d.Append(d.Length == 0 || move ? 'M' : 'L').Append(Number(x)).Append(',').Append(Number(y));
            string dash = Palette.Dash(style) is { Length: > 0 } pattern ? $" stroke-dasharray=\"{pattern}\"" : "";
            svg.Append($"<path class=\"line\" d=\"{d}\" fill=\"none\" stroke-width=\"1.8\" stroke-linejoin=\"round\"{dash}/>\n");
        }
        bool markers = series.Kind == SeriesKind.Scatter || (series.Kind == SeriesKind.LineWithMarkers && points.Count <= MaxMarkersOnLine);
        if (markers && points.Count > 0)
        {
            var d = new StringBuilder();
            foreach (var (px, py, _) in points) Marker(d, Palette.Marker(style), xAxis.Pixel(px), yAxis.Pixel(py), 3.2);
            string paint = Palette.Marker(style) == MarkerShape.Cross ? "fill=\"none\" stroke-width=\"1.5\"" : "stroke=\"none\"";
            svg.Append($"<path class=\"markers\" d=\"{d}\" {paint}/>\n");
        }
        svg.Append("</g>\n");
    }

    /// <summary>Vertices per pixel of width above which a line is thinned.</summary>
    private const int MaxVerticesPerPixel = 4;

    /// <summary>
    /// The line's vertices in pixels. A line with more than <see cref="MaxVerticesPerPixel"/> vertices per pixel of
    /// the plot's width goes through each whole-pixel column's first, lowest, highest and last vertex, in their order:
    /// the same picture in a fraction of the file (a learning-rate schedule plotted at every step has tens of
    /// thousands). Breaks (a NaN between points) stay breaks.
    /// </summary>
    internal static IEnumerable<(double X, double Y, bool Move)> Vertices(List<(double X, double Y, bool Break)> points, PlotAxis xAxis, PlotAxis yAxis)
    {
        if (points.Count <= MaxVerticesPerPixel * Math.Max(xAxis.Length, 1))
        {
            foreach (var (x, y, brk) in points) yield return (xAxis.Pixel(x), yAxis.Pixel(y), brk);
            yield break;
        }
        int start = 0;
        while (start < points.Count)
        {
            // One column: the run of points in the same whole pixel, not crossing a break.
            double column = Math.Floor(xAxis.Pixel(points[start].X));
            int end = start + 1;
            while (end < points.Count && !points[end].Break && Math.Floor(xAxis.Pixel(points[end].X)) == column) end++;
            int low = start, high = start;
            for (int i = start + 1; i < end; i++)
            {
                if (yAxis.Pixel(points[i].Y) > yAxis.Pixel(points[low].Y)) low = i;
                if (yAxis.Pixel(points[i].Y) < yAxis.Pixel(points[high].Y)) high = i;
            }
            int previous = -1;
            foreach (int i in new[] { start, Math.Min(low, high), Math.Max(low, high), end - 1 })
            {
                if (i == previous) continue;
                yield return (xAxis.Pixel(points[i].X), yAxis.Pixel(points[i].Y), i == start && points[i].Break);
                previous = i;
            }
            start = end;
        }
    }

    private static void Marker(StringBuilder d, MarkerShape shape, double x, double y, double r)
    {
        string X(double v) => Number(x + v);
        string Y(double v) => Number(y + v);
        d.Append(shape switch
        {
            MarkerShape.Circle => $"M{X(-r)},{Y(0)}a{Number(r)},{Number(r)} 0 1,0 {Number(2 * r)},0a{Number(r)},{Number(r)} 0 1,0 {Number(-2 * r)},0Z",
            MarkerShape.Square => $"M{X(-r)},{Y(-r)}H{X(r)}V{Y(r)}H{X(-r)}Z",
            MarkerShape.Triangle => $"M{X(0)},{Y(-r * 1.2)}L{X(r * 1.1)},{Y(r * 0.8)}L{X(-r * 1.1)},{Y(r * 0.8)}Z",
            MarkerShape.Diamond => $"M{X(0)},{Y(-r * 1.3)}L{X(r * 1.1)},{Y(0)}L{X(0)},{Y(r * 1.3)}L{X(-r * 1.1)},{Y(0)}Z",
            _ => $"M{X(-r)},{Y(-r)}L{X(r)},{Y(r)}M{X(-r)},{Y(r)}L{X(r)},{Y(-r)}",
        });
    }

    private static void Legend(StringBuilder svg, Chart chart, SeriesStyles styles, double x, double y)
    {
        svg.Append("<g class=\"legend\">\n");
        for (int i = 0; i < chart.Series.Count; i++)
            LegendEntry(svg, styles.IndexOf(chart.Series[i].Name), LegendName(chart.Series[i], chart), chart.Series[i].Kind, x, y + 6 + i * LegendRow);
        svg.Append("</g>\n");
    }

    private static void SharedLegend(StringBuilder svg, SeriesStyles styles, double width)
    {
        svg.Append("<g class=\"legend\">\n");
        double x = 12, y = GridLegendTop;
        for (int i = 0; i < styles.Names.Count; i++)
        {
            double entry = 40 + SvgText.Width(styles.Names[i]);
            if (x + entry > width && x > 12) (x, y) = (12, y + LegendRow);
            LegendEntry(svg, i, styles.Names[i], styles.Kinds[i], x, y);
            x += entry;
        }
        svg.Append("</g>\n");
    }

    private static int LegendRows(SeriesStyles styles, double width)
    {
        if (styles.Names.Count == 0) return 0;
        int rows = 1;
        double x = 12;
        foreach (string name in styles.Names)
        {
            double entry = 40 + SvgText.Width(name);
            if (x + entry > width && x > 12) (x, rows) = (12, rows + 1);
            x += entry;
        }
        return rows;
    }

    private static void LegendEntry(StringBuilder svg, int style, string name, SeriesKind kind, double x, double y)
    {
        string colour = Palette.Colour(style);
        string dash = Palette.Dash(style) is { Length: > 0 } pattern ? $" stroke-dasharray=\"{pattern}\"" : "";
        var marker = new StringBuilder();
        Marker(marker, Palette.Marker(style), x + 11, y, 3.2);
        string paint = Palette.Marker(style) == MarkerShape.Cross ? "fill=\"none\"" : "stroke=\"none\"";
        svg.Append($"<g class=\"legend-entry\" data-series=\"{Escape(name)}\" stroke=\"{colour}\" fill=\"{colour}\">");
        if (kind != SeriesKind.Scatter)
            svg.Append($"<line x1=\"{Number(x)}\" y1=\"{Number(y)}\" x2=\"{Number(x + 22)}\" y2=\"{Number(y)}\" stroke-width=\"1.8\"{dash}/>");
        if (kind != SeriesKind.Line) svg.Append($"<path d=\"{marker}\" {paint}/>");
        svg.Append($"<text x=\"{Number(x + 28)}\" y=\"{Number(y + 4)}\" stroke=\"none\" fill=\"#222222\">{Escape(name)}</text></g>\n");
    }

    private static string LegendName(Series series, Chart chart) => Points(series, chart).Count == 0 ? series.Name + " (no data)" : series.Name;

    /// <summary>The points the axes can show, each marked where the line must break because points before it were skipped.</summary>
    private static List<(double X, double Y, bool Break)> Points(Series series, Chart chart)
    {
        var points = new List<(double, double, bool)>(series.Count);
        bool skipped = false;
        for (int i = 0; i < series.Count; i++)
        {
            double x = series.X[i], y = series.Y[i];
            if (PlotAxis.Shows(chart.XScale, x) && PlotAxis.Shows(chart.YScale, y))
            {
                points.Add((x, y, skipped));
                skipped = false;
            }
            else
            {
                skipped = true;
            }
        }
        return points;
    }

    /// <summary>What the plot leaves out, in words, so that a reader knows the line stops for a reason.</summary>
    private static List<string> Notes(Chart chart)
    {
        int nonFinite = 0, nonPositive = 0;
        foreach (var s in chart.Series)
        {
            for (int i = 0; i < s.Count; i++)
            {
                double x = s.X[i], y = s.Y[i];
                if (!double.IsFinite(x) || !double.IsFinite(y)) nonFinite++;
                else if (!PlotAxis.Shows(chart.XScale, x) || !PlotAxis.Shows(chart.YScale, y)) nonPositive++;
            }
        }
        var notes = new List<string>();
        if (nonFinite > 0) notes.Add($"{nonFinite} point{(nonFinite == 1 ? "" : "s")} not shown: NaN or infinite");
        if (nonPositive > 0) notes.Add($"{nonPositive} point{(nonPositive == 1 ? "" : "s")} not shown: zero or negative on a log axis");
        return notes;
    }

    /// <summary>One style per series name, in order of first appearance: the same name has the same colour in every panel.</summary>
    private sealed class SeriesStyles
    {
        public SeriesStyles(IEnumerable<Series> series)
        {
            foreach (var s in series)
            {
                if (Names.Contains(s.Name)) continue;
                Names.Add(s.Name);
                Kinds.Add(s.Kind);
            }
        }

        public List<string> Names { get; } = [];

        /// <summary>The kind of each name's first series: the legend shows a line, markers or both as the series does.</summary>
        public List<SeriesKind> Kinds { get; } = [];

        public int IndexOf(string name) => Names.IndexOf(name);
    }
}
