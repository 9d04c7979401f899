using System.Globalization;
using System.Text.Json;

namespace Simd.Perf.Report;

/// <summary>
/// Collects figures: prints each as <c>name value unit</c> the moment it is measured (lines starting with
/// <c>#</c> are comments) and keeps them for the JSON file.
/// </summary>
public sealed class ReportWriter
{
    private readonly TextWriter _output;
    private readonly List<Figure> _figures = [];

    public ReportWriter(TextWriter output, string? filter = null)
    {
        _output = output;
        Filter = string.IsNullOrEmpty(filter) ? null : filter;
    }

    /// <summary>Only figures whose name starts with this prefix are measured; null for all.</summary>
    public string? Filter { get; }

    public IReadOnlyList<Figure> Figures => _figures;

    /// <summary>True when the filter lets <paramref name="name"/> through: measure the figure only then.</summary>
    public bool Wants(string name) => Filter is null || name.StartsWith(Filter, StringComparison.Ordinal);

    /// <summary>True when some figure named <paramref name="prefix"/>… could pass the filter.</summary>
    public bool WantsAnyUnder(string prefix) =>
        Filter is null
        || Filter.StartsWith(prefix, StringComparison.Ordinal)
        || prefix.StartsWith(Filter, StringComparison.Ordinal);

    public void Add(string name, double value, string unit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains(' ')) throw new ArgumentException($"Figure names have no spaces; got '{name}'.", nameof(name));
        _figures.Add(new Figure(name, value, unit));
        _output.WriteLine($"{name} {Format(value)} {unit}");
        _output.Flush();
    }

    /// <summary>Records that a figure was not measured and why (printed as a comment, written to JSON with a null value).</summary>
    public void Skip(string name, string unit, string reason)
    {
        _figures.Add(new Figure(name, null, unit, reason));
        Note($"{name} skipped: {reason}");
    }

    public void Note(string text)
    {
        _output.WriteLine($"# {text}");
        _output.Flush();
    }

    public bool TryGet(string name, out double value)
    {
        foreach (var f in _figures)
        {
            if (f.Name == name && f.Value is { } v)
            {
                value = v;
                return true;
            }
        }
        value = double.NaN;
        return false;
    }

    /// <summary>Four significant digits at most: more would only print noise.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) return value.ToString(CultureInfo.InvariantCulture);
        double abs = Math.Abs(value);
        string format = abs >= 1000 ? "0" : abs >= 100 ? "0.0" : abs >= 10 ? "0.00" : abs >= 1 ? "0.000" : "0.####";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>Writes the figures and the machine they came from as JSON (directories created as needed).</summary>
    public void WriteJson(string path, IReadOnlyDictionary<string, string> machine, TimeSpan elapsed)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteStartObject("machine");
        foreach (var (key, value) in machine) json.WriteString(key, value);
        json.WriteEndObject();
        json.WriteString("filter", Filter);
        json.WriteNumber("elapsed_s", Math.Round(elapsed.TotalSeconds, 1));
        json.WriteStartArray("figures");
        foreach (var f in _figures)
        {
            json.WriteStartObject();
            json.WriteString("name", f.Name);
            if (f.Value is { } v && double.IsFinite(v)) json.WriteNumber("value", v);
            else json.WriteNull("value");
            json.WriteString("unit", f.Unit);
            if (f.Skipped is not null) json.WriteString("skipped", f.Skipped);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
