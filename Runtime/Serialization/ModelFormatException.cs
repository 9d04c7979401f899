namespace Simd.Runtime.Serialization;

/// <summary>
/// A model file that cannot be used: truncated, corrupted, of another format version, or declaring sizes beyond
/// the <see cref="ModelFileLimits"/>. Names the field and the byte offset (from the start of the model) where
/// reading stopped.
/// </summary>
public sealed class ModelFormatException : Exception
{
    internal ModelFormatException(string field, long offset, string detail)
        : base($"Invalid model file: {field} at offset {offset}: {detail}")
    {
        Field = field;
        Offset = offset;
    }

    /// <summary>The field that failed validation, such as "magic", "format version" or "entry 3 shape".</summary>
    public string Field { get; }

    /// <summary>Byte offset of that field from the start of the model.</summary>
    public long Offset { get; }
}
