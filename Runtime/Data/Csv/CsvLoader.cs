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
        using DataInput input = DataInput.Open(path);
        return Load(input, options with { Name = options.Name ?? NameOf(path) });
    }

    /// <summary>
    /// Reads CSV text (plain or gzip-compressed) from <paramref name="stream"/>, which need not seek;
    /// <paramref name="source"/> names it in errors. The stream is left open.
    /// </summary>
    public static Dataset Load(Stream stream, string source, CsvOptions? options = null)
    {
        using DataInput input = DataInput.Open(stream, source, leaveOpen: true);
        return Load(input, options);
    }

    /// <summary>Reads the CSV text of an opened <see cref="DataInput"/>.</summary>
    public static Dataset Load(DataInput input, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new CsvOptions();
        string source = input.Source;
        if (options.ClassCount is int given && given < 1)
            throw new ArgumentException($"The class count must be at least 1, not {given}.");

        var features = new List<float>();
        var labels = new List<int>();
        var labelLines = new List<int>();
        int fieldCount = Read(input, options.HasHeader, options.Separator, options.LabelColumn, options.Labels, features, labels, labelLines);

        string name = options.Name ?? source;
        float[] featureArray = features.ToArray();
        if (options.Labels == CsvLabelKind.BinaryTarget)
        {
            var targets = new float[labels.Count];
            for (int i = 0; i < targets.Length; i++) targets[i] = labels[i];
            return new Dataset(name, featureArray, fieldCount - 1, targets, 1);
        }
        int[] labelArray = labels.ToArray();
        int classCount = ClassLabels.Resolve(labelArray, options.ClassCount, source, i => new ClassLabels.Location(labelLines[i], null, ""));
        return new Dataset(name, featureArray, fieldCount - 1, labelArray, classCount);
    }

    /// <summary>
    /// Reads a CSV file of numbers only (plain or gzip-compressed; header detected as in <see cref="CsvOptions.HasHeader"/>)
    /// as a table, with no label column: the input of a prediction.
    /// </summary>
    public static CsvTable LoadTable(string path, bool? hasHeader = null, char separator = ',')
    {
        using DataInput input = DataInput.Open(path);
        return LoadTable(input, hasHeader, separator);
    }

    /// <summary>Reads the CSV text of an opened <see cref="DataInput"/> as a table, as <see cref="LoadTable(string, bool?, char)"/>.</summary>
    public static CsvTable LoadTable(DataInput input, bool? hasHeader = null, char separator = ',')
    {
        ArgumentNullException.ThrowIfNull(input);
        var values = new List<float>();
        int columns = Read(input, hasHeader, separator, labelOption: null, CsvLabelKind.ClassIndex, values, labels: null, labelLines: null);
        return new CsvTable(values.ToArray(), values.Count / columns, columns);
    }

    /// <summary>The rows of <paramref name="input"/>, refused when it is IDX and with a corrupt gzip stream reported as such.</summary>
    private static int Read(DataInput input, bool? hasHeader, char separator, int? labelOption, CsvLabelKind labelKind,
                            List<float> values, List<int>? labels, List<int>? labelLines)
    {
        string source = input.Source;
        if (input.Format == DataFileFormat.Idx)
            throw new DatasetFormatException(source, "holds IDX data (it starts with an IDX magic number), not CSV text; read it as IDX.", offset: 0);
        try
        {
            return Read(input.Stream, source, hasHeader, separator, labelOption, labelKind, values, labels, labelLines);
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(source, $"the gzip stream is corrupt ({e.Message}).");
        }
    }

    /// <summary>Reads every data row, the label column (when <paramref name="labelOption"/> is set) into labels; returns the field count.</summary>
    private static int Read(Stream stream, string source, bool? hasHeader, char separator, int? labelOption, CsvLabelKind labelKind,
                            List<float> values, List<int>? labels, List<int>? labelLines)
    {
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        int fieldCount = 0, labelColumn = -1, firstDataLine = 0, lineNumber = 0, rows = 0;
        bool first = true;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            if (first)
            {
                first = false;
                if (hasHeader ?? !AllNumeric(line, separator)) continue;
            }
            if (fieldCount == 0)
            {
                fieldCount = CountFields(line, separator);
                int minimum = labelOption is null ? 1 : 2;
                if (fieldCount < minimum)
                    throw new DatasetFormatException(source, $"found {fieldCount} field, expected at least {minimum}{(labelOption is null ? "" : " (features and a label)")}.", lineNumber);
                if (labelOption is int option)
                {
                    labelColumn = option < 0 ? fieldCount + option : option;
                    if ((uint)labelColumn >= (uint)fieldCount)
                        throw new ArgumentException($"{source}: label column {option} is outside the {fieldCount} columns of line {lineNumber}.");
                }
                firstDataLine = lineNumber;
            }
            ParseRow(line, source, lineNumber, separator, labelKind, fieldCount, labelColumn, firstDataLine, values, labels);
            labelLines?.Add(lineNumber);
            rows++;
        }
        if (rows == 0) throw new DatasetFormatException(source, "holds no data rows.", lineNumber == 0 ? null : lineNumber);
        return fieldCount;
    }

    private static void ParseRow(string line, string source, int lineNumber, char separator, CsvLabelKind labelKind, int fieldCount, int labelColumn,
                                 int firstDataLine, List<float> features, List<int>? labels)
    {
        ReadOnlySpan<char> rest = line;
        int column = 0;
        while (true)
        {
            int comma = rest.IndexOf(separator);
            ReadOnlySpan<char> field = (comma < 0 ? rest : rest[..comma]).Trim();
            if (column >= fieldCount)
                throw new DatasetFormatException(source,
                    $"has {CountFields(line, separator)} fields, expected {fieldCount} as on line {firstDataLine}.", lineNumber);
            if (column == labelColumn) labels!.Add(ParseLabel(field, source, lineNumber, column, labelKind));
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
