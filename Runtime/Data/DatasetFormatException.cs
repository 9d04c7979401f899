namespace Simd.Runtime.Data;

/// <summary>
/// A dataset file that cannot be read as the format it claims: names the file and where in it the problem lies
/// (a 1-based line and column for text formats, a byte offset for binary ones).
/// </summary>
public sealed class DatasetFormatException : FormatException
{
    public DatasetFormatException(string source, string message, int? line = null, int? column = null, long? offset = null)
        : base(Compose(source, message, line, column, offset))
    {
        SourceName = source;
        Line = line;
        Column = column;
        Offset = offset;
    }

    /// <summary>The file path or stream name the data came from.</summary>
    public string SourceName { get; }

    /// <summary>1-based line of a text file, when known.</summary>
    public int? Line { get; }

    /// <summary>1-based column (field) of a text file, when known.</summary>
    public int? Column { get; }

    /// <summary>Byte offset in a binary file (after decompression), when known.</summary>
    public long? Offset { get; }

    private static string Compose(string source, string message, int? line, int? column, long? offset)
    {
        string where = source;
        if (line is int l) where += $", line {l}";
        if (column is int c) where += $", column {c}";
        if (offset is long o) where += $", offset {o}";
        return $"{where}: {message}";
    }
}
