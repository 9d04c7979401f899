namespace Simd.Models.Plotting;

/// <summary>How an axis maps values: evenly, or by their logarithm (ticks at powers of ten).</summary>
internal enum AxisScale
{
    Linear,
    Log,
}

/// <summary>How a series is drawn: joined points, markers alone, or both.</summary>
internal enum SeriesKind
{
    Line,
    Scatter,
    LineWithMarkers,
}

/// <summary>
/// One named set of points. NaN and infinite points are skipped (a line breaks there), as are points that are not
/// positive on a log axis; the chart says below its plot how many it left out, so a diverged run still plots and
/// never silently loses data.
/// </summary>
internal sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, SeriesKind Kind = SeriesKind.Line)
{
    public int Count => Math.Min(X.Count, Y.Count);
}

/// <summary>A labelled vertical line across the plot, e.g. the epoch early stopping chose.</summary>
internal sealed record VerticalMarker(double X, string Label);

/// <summary>A line or scatter chart: what <see cref="SvgChart"/> draws, alone or as a panel of a <see cref="ChartGrid"/>.</summary>
internal sealed record Chart
{
    public string Title { get; init; } = "";

    public string XLabel { get; init; } = "";

    public string YLabel { get; init; } = "";

    public AxisScale XScale { get; init; } = AxisScale.Linear;

    public AxisScale YScale { get; init; } = AxisScale.Linear;

    public IReadOnlyList<Series> Series { get; init; } = [];

    public IReadOnlyList<VerticalMarker> Markers { get; init; } = [];

    /// <summary>Fixed axis ranges (e.g. accuracy in [0, 1]); null fits the data. Ticks still round outward to nice numbers.</summary>
    public (double Min, double Max)? XRange { get; init; }

    public (double Min, double Max)? YRange { get; init; }
}

/// <summary>Small multiples: panels in a grid of <see cref="Columns"/>, one legend and one colour per series name for all.</summary>
internal sealed record ChartGrid
{
    public string Title { get; init; } = "";

    public IReadOnlyList<Chart> Panels { get; init; } = [];

    public int Columns { get; init; } = 3;

    public double PanelWidth { get; init; } = 300;

    public double PanelHeight { get; init; } = 220;
}
