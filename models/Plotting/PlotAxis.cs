namespace Simd.Models.Plotting;

/// <summary>One axis of a panel: its ticks, which cover the data, and the map from values to pixels.</summary>
internal sealed class PlotAxis
{
    private readonly double _low, _high, _pixelLow, _pixelHigh;

    private PlotAxis(AxisScale scale, double[] ticks, double pixelLow, double pixelHigh)
    {
        Scale = scale;
        Ticks = ticks;
        _low = Transform(ticks[0]);
        _high = Transform(ticks[^1]);
        (_pixelLow, _pixelHigh) = (pixelLow, pixelHigh);
    }

    public AxisScale Scale { get; }

    public double[] Ticks { get; }

    /// <summary>An axis over <paramref name="values"/> (already filtered to what the scale can show) and the fixed range, if any.</summary>
    public static PlotAxis Fit(AxisScale scale, IEnumerable<double> values, (double Min, double Max)? range, double pixelLow, double pixelHigh)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values) (min, max) = (Math.Min(min, v), Math.Max(max, v));
        if (range is var (fixedMin, fixedMax) && (scale == AxisScale.Linear || fixedMin > 0))
            (min, max) = (Math.Min(min, fixedMin), Math.Max(max, fixedMax));
        if (double.IsInfinity(min)) (min, max) = scale == AxisScale.Log ? (1, 10) : (0, 1);
        double[] ticks = scale == AxisScale.Log ? Plotting.Ticks.Log(min, max) : Plotting.Ticks.Linear(min, max);
        return new PlotAxis(scale, ticks, pixelLow, pixelHigh);
    }

    /// <summary>Whether the axis can show <paramref name="value"/>: finite, and positive on a log axis.</summary>
    public static bool Shows(AxisScale scale, double value) => double.IsFinite(value) && (scale == AxisScale.Linear || value > 0);

    /// <summary>The axis's length in pixels.</summary>
    public double Length => Math.Abs(_pixelHigh - _pixelLow);

    public double Pixel(double value) => _pixelLow + (Transform(value) - _low) / (_high - _low) * (_pixelHigh - _pixelLow);

    public string Label(double tick) =>
        Scale == AxisScale.Log ? Plotting.Ticks.FormatLog(tick) : Plotting.Ticks.Format(tick, Ticks.Length > 1 ? Ticks[1] - Ticks[0] : 1);

    private double Transform(double value) => Scale == AxisScale.Log ? Math.Log10(value) : value;
}
