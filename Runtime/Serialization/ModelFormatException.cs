namespace Simd.Runtime.Serialization;

/// <summary>
/// A model file that cannot be used: truncated, corrupted, of another format version, declaring sizes beyond
/// the <see cref="ModelFileLimits"/>, or holding entries that do not make a model. Names the file (when it was
/// read from one), the field, and for defects of the file's layout the byte where reading stopped.
/// </summary>
public sealed class ModelFormatException : Exception
{
    internal ModelFormatException(string field, long? offset, string detail, string? path = null, Exception? inner = null)
        : base(Format(field, offset, detail, path), inner)
    {
        Field = field;
        Offset = offset;
        Detail = detail;
        Path = path;
    }

    /// <summary>The field that failed validation, such as "magic", "format version", "entry 3 shape" or an entry name.</summary>
    public string Field { get; }

    /// <summary>Byte offset of that field from the start of the model; null for an entry that is sound as bytes but wrong for its use.</summary>
    public long? Offset { get; }

    /// <summary>The file it was read from; null when read from a stream or a container in memory.</summary>
    public string? Path { get; }

    private string Detail { get; }

    /// <summary>The same defect, naming the file it was found in.</summary>
    internal ModelFormatException WithPath(string path) => Path is null ? new(Field, Offset, Detail, path, this) : this;

    private static string Format(string field, long? offset, string detail, string? path)
    {
        string where = path is null ? "Invalid model file" : $"Invalid model file '{path}'";
        return offset is long at ? $"{where}: {field} at byte {at}: {detail}" : $"{where}: {field} {detail}";
    }
}
