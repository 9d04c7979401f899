using Simd.Models.Plotting;

namespace Simd.Models.Experiments;

/// <summary>
/// Counts of values in equal-width bins over [Min, Max] (values outside go to the end bins, so none is lost), drawn
/// as a step line: the plotting module has lines and scatters, and a step line reads as a histogram.
/// </summary>
internal sealed class ValueHistogram
{
    public ValueHistogram(IReadOnlyCollection<double> values, double min, double max, int bins)
    {
        if (!(max > min)) max = min + 1;
        Min = min;
        Max = max;
        Counts = new int[bins];
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) continue;
            int bin = (int)Math.Floor((v - min) / (max - min) * bins);
            Counts[Math.Clamp(bin, 0, bins - 1)]++;
        }
        Total = Counts.Sum();
    }

    public double Min { get; }

    public double Max { get; }

    public int[] Counts { get; }

    public int Total { get; }

    public double Width => (Max - Min) / Counts.Length;

    public double Lower(int bin) => Min + bin * Width;

    public double Fraction(int bin) => Total == 0 ? 0 : (double)Counts[bin] / Total;

    /// <summary>The fraction of values per bin as a step line from Min to Max.</summary>
    public Series Steps(string name)
    {
        var x = new List<double>(2 * Counts.Length);
        var y = new List<double>(2 * Counts.Length);
        for (int bin = 0; bin < Counts.Length; bin++)
        {
            x.Add(Lower(bin));
            y.Add(Fraction(bin));
            x.Add(Lower(bin + 1));
            y.Add(Fraction(bin));
        }
        return new Series(name, x, y);
    }

    /// <summary>One CSV row per bin: what, bin, lower, upper, count, fraction.</summary>
    public void AddRows(CsvTable table, string what)
    {
        for (int bin = 0; bin < Counts.Length; bin++) table.Add(what, bin, Lower(bin), Lower(bin + 1), Counts[bin], Fraction(bin));
    }

    /// <summary>The value below which the given fraction of values lie (nearest rank).</summary>
    public static double Quantile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
