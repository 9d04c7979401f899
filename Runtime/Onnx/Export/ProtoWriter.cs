using System.Buffers.Binary;
using System.Text;

namespace Simd.Runtime.Onnx.Export;

/// <summary>
/// A minimal protobuf writer: the wire format <see cref="ProtoReader"/> reads (varints, fixed32, length-delimited
/// fields, packed repeated fields). The exporter writes ONNX with it; tests build well-formed and damaged bytes with it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "A MemoryStream holds no resource to release.")]
internal sealed class ProtoWriter
{
    private readonly MemoryStream _stream = new();

    public byte[] ToArray() => _stream.ToArray();

    public ProtoWriter Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _stream.WriteByte((byte)value);
        return this;
    }

    public ProtoWriter Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    public ProtoWriter Int(int field, long value) => Tag(field, 0).Varint((ulong)value);

    public ProtoWriter Float(int field, float value)
    {
        Tag(field, 5);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, value);
        _stream.Write(b);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> bytes)
    {
        Tag(field, 2).Varint((ulong)bytes.Length);
        _stream.Write(bytes);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Message(int field, Action<ProtoWriter> body)
    {
        var inner = new ProtoWriter();
        body(inner);
        return Bytes(field, inner.ToArray());
    }

    public ProtoWriter PackedFloats(int field, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return Bytes(field, bytes);
    }

    public ProtoWriter PackedInts(int field, ReadOnlySpan<long> values)
    {
        var inner = new ProtoWriter();
        foreach (long v in values) inner.Varint((ulong)v);
        return Bytes(field, inner.ToArray());
    }

    public ProtoWriter Raw(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        return this;
    }
}
