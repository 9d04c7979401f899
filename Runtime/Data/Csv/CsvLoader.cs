using System.Globalization;

namespace Simd.Runtime.Data;

/// <summary>
/// Reads numeric CSV files (plain or gzip-compressed) into a <see cref="Dataset"/>. Every problem is reported as a
/// <see cref="DatasetFormatException"/> naming the file, the 1-based line and, for a bad value, the 1-based column.
/// </summary>
public static class CsvLoader
{
    public static Dataset Load(string path, CsvOptions? options = null)
    {
        options ??= new CsvOptions();
        using var stream = DataStreams.OpenRead(path, out _);
        try
        {
            return Load(stream, path, options with { Name = options.Name ?? NameOf(path) });
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, $"the gzip stream is corrupt ({e.Message}).");
        }
    }

    /// <summary>Reads CSV text from <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    public static Dataset Load(Stream stream, string source, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(source);
        options ??= new CsvOptions();
        if (options.ClassCount is < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.ClassCount, "CsvOptions.ClassCount must be at least 1.");

        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var features = new List<float>();
        var labels = new List<int>();
        int fieldCount = 0, labelColumn = 0, firstDataLine = 0, lineNumber = 0;
        bool first = true;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (first)
            {
                first = false;
                bool header = options.HasHeader ?? !AllNumeric(line, options.Separator);
                if (header) continue;
            }
            if (fieldCount == 0)
            {
                fieldCount = CountFields(line, options.Separator);
                if (fieldCount < 2)
                    throw new DatasetFormatException(source, $"found {fieldCount} field, expected at least 2 (features and a label).", lineNumber);
                labelColumn = options.LabelColumn < 0 ? fieldCount + options.LabelColumn : options.LabelColumn;
                if ((uint)labelColumn >= (uint)fieldCount)
                    throw new ArgumentException(
                        $"{source}: label column {options.LabelColumn} is outside the {fieldCount} columns of line {lineNumber}.", nameof(options));
                firstDataLine = lineNumber;
            }
            ParseRow(line, source, lineNumber, options, fieldCount, labelColumn, firstDataLine, features, labels);
        }
        if (labels.Count == 0) throw new DatasetFormatException(source, "holds no data rows.", lineNumber == 0 ? null : lineNumber);

        string name = options.Name ?? source;
        float[] featureArray = features.ToArray();
        if (options.Labels == CsvLabelKind.BinaryTarget)
        {
            var targets = new float[labels.Count];
            for (int i = 0; i < targets.Length; i++) targets[i] = labels[i];
            return new Dataset(name, featureArray, fieldCount - 1, targets, 1);
        }
        int maxLabel = 0;
        foreach (int l in labels) maxLabel = Math.Max(maxLabel, l);
        int classCount = options.ClassCount ?? maxLabel + 1;
        if (maxLabel >= classCount)
            throw new DatasetFormatException(source, $"label {maxLabel} is outside the {classCount} classes [0, {classCount - 1}] given in CsvOptions.ClassCount.");
        return new Dataset(name, featureArray, fieldCount - 1, labels.ToArray(), classCount);
    }

    private static void ParseRow(string line, string source, int lineNumber, CsvOptions options, int fieldCount, int labelColumn,
                                 int firstDataLine, List<float> features, List<int> labels)
    {
        ReadOnlySpan<char> rest = line;
        int column = 0;
        while (true)
        {
            int comma = rest.IndexOf(options.Separator);
            ReadOnlySpan<char> field = (comma < 0 ? rest : rest[..comma]).Trim();
            if (column >= fieldCount)
                throw new DatasetFormatException(source,
                    $"has {CountFields(line, options.Separator)} fields, expected {fieldCount} as on line {firstDataLine}.", lineNumber);
            if (column == labelColumn) labels.Add(ParseLabel(field, source, lineNumber, column, options.Labels));
            else features.Add(ParseValue(field, source, lineNumber, column));
            column++;
            if (comma < 0) break;
            rest = rest[(comma + 1)..];
        }
        if (column != fieldCount)
            throw new DatasetFormatException(source, $"has {column} fields, expected {fieldCount} as on line {firstDataLine}.", lineNumber);
    }

    private static float ParseValue(ReadOnlySpan<char> field, string source, int line, int column)
    {
        if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
            throw new DatasetFormatException(source, $"'{Shorten(field)}' is not a number.", line, column + 1);
        if (!float.IsFinite(value))
            throw new DatasetFormatException(source, $"'{Shorten(field)}' is not a finite number.", line, column + 1);
        return value;
    }

    private static int ParseLabel(ReadOnlySpan<char> field, string source, int line, int column, CsvLabelKind kind)
    {
        // Labels written as "3.0" are accepted; anything that is not a whole number is not a class.
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ||
            value < 0 || value > int.MaxValue || value != Math.Floor(value))
        {
            string expected = kind == CsvLabelKind.BinaryTarget ? "0 or 1" : "a class index (a whole number ≥ 0)";
            throw new DatasetFormatException(source, $"label '{Shorten(field)}' is not {expected}.", line, column + 1);
        }
        if (kind == CsvLabelKind.BinaryTarget && value > 1)
            throw new DatasetFormatException(source, $"label '{Shorten(field)}' is not 0 or 1.", line, column + 1);
        return (int)value;
    }

    private static bool AllNumeric(string line, char separator)
    {
        foreach (var range in line.AsSpan().Split(separator))
        {
            if (!double.TryParse(line.AsSpan()[range].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return false;
        }
        return true;
    }

    private static int CountFields(string line, char separator) => line.AsSpan().Count(separator) + 1;

    private static string Shorten(ReadOnlySpan<char> field) => field.Length <= 40 ? field.ToString() : string.Concat(field[..37], "...");

    internal static string NameOf(string path)
    {
        string name = Path.GetFileName(path);
        int dot = name.IndexOf('.');
        return dot > 0 ? name[..dot] : name;
    }
}
