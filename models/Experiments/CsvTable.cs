using System.Globalization;
using System.Text;

namespace Simd.Models.Experiments;

/// <summary>The measured points of an experiment, one row each, written as CSV (invariant numbers, round-trip precision).</summary>
internal sealed class CsvTable
{
    private readonly List<string[]> _rows = [];

    public CsvTable(string fileName, IReadOnlyList<string> columns)
    {
        FileName = fileName;
        Columns = columns;
    }

    public string FileName { get; }

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<string[]> Rows => _rows;

    /// <summary>Appends a row; numbers are written as invariant round-trip text, NaN as NaN.</summary>
    public void Add(params object[] values)
    {
        if (values.Length != Columns.Count)
            throw new InvalidOperationException($"{FileName}: a row of {values.Length} values for {Columns.Count} columns.");
        _rows.Add(values.Select(Format).ToArray());
    }

    public string ToCsv()
    {
        var text = new StringBuilder();
        text.Append(string.Join(",", Columns.Select(Quote))).Append('\n');
        foreach (string[] row in _rows) text.Append(string.Join(",", row.Select(Quote))).Append('\n');
        return text.ToString();
    }

    private static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
