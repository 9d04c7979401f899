using System.Globalization;

namespace Simd.Models.Plotting;

/// <summary>
/// Axis ticks at "nice" numbers (1, 2 or 5 times a power of ten, Heckbert's rule) that cover the data: the first
/// tick is at or below the smallest value and the last at or above the largest, so the axis spans the ticks.
/// </summary>
internal static class Ticks
{
    /// <summary>About <paramref name="target"/> evenly spaced nice ticks from at most <paramref name="min"/> to at least <paramref name="max"/>.</summary>
    public static double[] Linear(double min, double max, int target = 5)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max) throw new ArgumentException($"No ticks for the range [{min}, {max}].");
        if (min == max)
        {
            // One value: a range around it, so that the point sits inside the axis rather than on its end.
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            (min, max) = (min - pad, max + pad);
        }
        double step = Nice((max - min) / Math.Max(1, target - 1), round: true);
        long first = (long)Math.Floor(min / step + 1e-9);
        long last = (long)Math.Ceiling(max / step - 1e-9);
        var ticks = new double[last - first + 1];
        int decimals = Decimals(step);
        for (long i = first; i <= last; i++) ticks[i - first] = Math.Round(i * step, Math.Min(15, decimals));
        return ticks;
    }

    /// <summary>Powers of ten from at most <paramref name="min"/> to at least <paramref name="max"/> (both positive); every second or more over many decades.</summary>
    public static double[] Log(double min, double max)
    {
        if (!(min > 0) || !double.IsFinite(max) || min > max) throw new ArgumentException($"No log ticks for the range [{min}, {max}]: both ends must be positive.");
        int low = (int)Math.Floor(Math.Log10(min) + 1e-9);
        int high = (int)Math.Ceiling(Math.Log10(max) - 1e-9);
        if (high == low) high++;
        int every = Math.Max(1, (int)Math.Ceiling((high - low) / 8.0));
        low -= ((low % every) + every) % every;
        if ((high - low) % every != 0) high += every - (high - low) % every;
        var ticks = new List<double>();
        for (int e = low; e <= high; e += every) ticks.Add(double.Parse($"1e{e}", CultureInfo.InvariantCulture));
        return [.. ticks];
    }

    /// <summary>A nice number near <paramref name="x"/>: the nearest (round) or the next at or above it.</summary>
    public static double Nice(double x, bool round)
    {
        double exponent = Math.Floor(Math.Log10(x));
        double power = Math.Pow(10, exponent);
        double fraction = x / power;
        double nice = round
            ? fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
            : fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * power;
    }

    /// <summary>A tick's label with as many decimals as the step needs (invariant culture); exponent form when very large or small.</summary>
    public static string Format(double value, double step)
    {
        if (value == 0) return "0";
        double magnitude = Math.Abs(value);
        if (magnitude >= 1e6 || magnitude < 1e-4) return Exponent(value);
        return value.ToString("F" + Math.Min(15, Decimals(step)), CultureInfo.InvariantCulture);
    }

    /// <summary>A log tick's label: 0.001, 1, 1000 in the usual range, 1e-7 or 1e9 outside it.</summary>
    public static string FormatLog(double value)
    {
        int e = (int)Math.Round(Math.Log10(value));
        if (e is >= -4 and <= 5) return value.ToString(e < 0 ? "F" + -e : "F0", CultureInfo.InvariantCulture);
        return Exponent(value);
    }

    private static string Exponent(double value)
    {
        string text = value.ToString("0.###e0", CultureInfo.InvariantCulture);
        return text.Replace("e+", "e", StringComparison.Ordinal);
    }

    private static int Decimals(double step) => Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
}
