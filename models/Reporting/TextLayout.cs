using System.Globalization;
using System.Text;

namespace Simd.Models.Reporting;

/// <summary>How the app lays text out: lines of at most 80 columns, durations and learning rates that stay readable.</summary>
internal static class TextLayout
{
    public const int Width = 80;

    private const string Indent = "  ";

    /// <summary>
    /// Splits <paramref name="text"/> into lines of at most <see cref="Width"/> columns, continuation lines indented:
    /// it breaks after "; " where it can, else after ", ", else at a space, and cuts only a word longer than a line.
    /// </summary>
    public static IEnumerable<string> Wrap(string text)
    {
        if (text.Length <= Width) return [text];
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (string piece in Pieces(text, ["; ", ", ", " "], Width - Indent.Length))
        {
            if (line.Length > 0 && line.Length + piece.TrimEnd().Length > Width)
            {
                lines.Add(line.ToString().TrimEnd());
                line.Clear().Append(Indent);
            }
            line.Append(line.Length == Indent.Length && lines.Count > 0 ? piece.TrimStart() : piece);
        }
        if (line.ToString().Trim().Length > 0) lines.Add(line.ToString().TrimEnd());
        return lines;
    }

    /// <summary>"12 ms" below a second, "1.5 s" below 100 s, then whole seconds.</summary>
    public static string Duration(TimeSpan elapsed)
    {
        var c = CultureInfo.InvariantCulture;
        double seconds = elapsed.TotalSeconds;
        if (seconds < 0.0005) return "<1 ms";
        if (seconds < 0.9995) return string.Create(c, $"{elapsed.TotalMilliseconds:F0} ms");
        return seconds < 99.95 ? string.Create(c, $"{seconds:F1} s") : string.Create(c, $"{seconds:F0} s");
    }

    /// <summary>Three significant digits, small rates in exponent form (0.003, 0.000227, 2.27e-6), never a misleading 0.</summary>
    public static string Rate(float rate)
    {
        string text = rate.ToString("G3", CultureInfo.InvariantCulture);
        int e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0) return text;
        int exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{text[..e]}e{exponent}");
    }

    /// <summary>Pieces of at most <paramref name="limit"/> characters, each ending after a separator where one is found.</summary>
    private static IEnumerable<string> Pieces(string text, string[] separators, int limit)
    {
        if (separators.Length == 0)
        {
            for (int i = 0; i < text.Length; i += limit) yield return text.Substring(i, Math.Min(limit, text.Length - i));
            yield break;
        }
        int start = 0;
        while (start < text.Length)
        {
            int at = text.IndexOf(separators[0], start, StringComparison.Ordinal);
            int end = at < 0 ? text.Length : at + separators[0].Length;
            string piece = text[start..end];
            if (piece.TrimEnd().Length <= limit) yield return piece;
            else foreach (string smaller in Pieces(piece, separators[1..], limit)) yield return smaller;
            start = end;
        }
    }
}
