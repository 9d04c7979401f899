namespace Simd.Runtime.Data;

/// <summary>
/// A dataset file that cannot be read as the format it claims: names the file and where in it the problem lies
/// (a 1-based line and column for text formats, a byte offset for binary ones).
/// </summary>
public sealed class DatasetFormatException : FormatException
{
    public DatasetFormatException(string source, string message, int? line = null, int? column = null, long? offset = null)
        : this(source, message, line, column, offset, classCountNeeded: null)
    {
    }

    /// <summary>
    /// A class label that does not fit the classes numbered by the other labels; <paramref name="classCountNeeded"/>
    /// is the class count that would take every label as given.
    /// </summary>
    public DatasetFormatException(string source, string message, int? line, int? column, long? offset, int? classCountNeeded)
        : base(Compose(source, message, line, column, offset, classCountNeeded))
    {
        SourceName = source;
        Problem = message;
        Line = line;
        Column = column;
        Offset = offset;
        ClassCountNeeded = classCountNeeded;
    }

    /// <summary>The file path or stream name the data came from.</summary>
    public string SourceName { get; }

    /// <summary>What is wrong, without the location (and without the class-count remedy of the message).</summary>
    public string Problem { get; }

    /// <summary>1-based line of a text file, when known.</summary>
    public int? Line { get; }

    /// <summary>1-based column (field) of a text file, when known.</summary>
    public int? Column { get; }

    /// <summary>Byte offset in a binary file (after decompression), when known.</summary>
    public long? Offset { get; }

    /// <summary>
    /// For a label outside the classes inferred from the others: the class count that takes every label as given
    /// (the largest label + 1). A caller with its own name for that setting can word the remedy itself.
    /// </summary>
    public int? ClassCountNeeded { get; }

    private static string Compose(string source, string message, int? line, int? column, long? offset, int? classCountNeeded)
    {
        string where = source;
        if (line is int l) where += $", line {l}";
        if (column is int c) where += $", column {c}";
        if (offset is long o) where += $", offset {o}";
        string remedy = classCountNeeded is int n ? $"; give the class count {n} if the data really has {n} classes" : "";
        return $"{where}: {message}{remedy}";
    }
}
