using System.Globalization;
using System.Text;

namespace Simd.Models.Plotting;

/// <summary>Numbers and text as SVG writes them: invariant culture, two decimals at most, XML-escaped.</summary>
internal static class SvgText
{
    public static string Number(double value)
    {
        double rounded = Math.Round(value, 2);
        return (rounded == 0 ? 0 : rounded).ToString("0.##", CultureInfo.InvariantCulture);
    }

    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&apos;",
                _ when char.IsControl(c) && c is not ('\n' or '\t') => " ",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }

    /// <summary>About how wide <paramref name="text"/> is at 12 px (no font metrics here; enough to make room for it).</summary>
    public static double Width(string text, double fontSize = 12) => text.Length * fontSize * 0.58;
}
