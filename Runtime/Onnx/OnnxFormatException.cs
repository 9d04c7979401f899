namespace Simd.Runtime.Onnx;

/// <summary>
/// ONNX bytes that cannot be read: truncated, a malformed protobuf encoding, a length beyond the bytes left, or
/// tensor data that disagrees with its declared shape. Names the field and the byte offset (from the start of the
/// buffer handed to the reader) where reading stopped.
/// </summary>
public sealed class OnnxFormatException : Exception
{
    internal OnnxFormatException(string field, long offset, string detail)
        : base(offset >= 0 ? $"Invalid ONNX data: {field} at offset {offset}: {detail}" : $"Invalid ONNX data: {field}: {detail}")
    {
        Detail = $"{field}: {detail}.";
        Field = field;
        Offset = offset;
    }

    /// <summary>The field being read, as a path such as "ModelProto.graph.node.attribute.ints".</summary>
    public string Field { get; }

    /// <summary>Byte offset of that field from the start of the buffer; −1 for a check made after reading (an
    /// attribute asked for as another type than it holds).</summary>
    public long Offset { get; }

    /// <summary>What is wrong, for a message that already names where (the importer's, which names the node).</summary>
    internal string Detail { get; init; }
}
