using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;

namespace Simd.Runtime.Onnx;

/// <summary>
/// A forward-only reader of the protobuf wire format over one message's bytes. Every length is checked against
/// the bytes left before anything is sliced or allocated, so a hostile or truncated buffer can cost at most work
/// proportional to its own size. Errors name the field (<see cref="Message"/> + the field name the caller gives)
/// and the absolute byte offset.
/// </summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly long _base;
    private readonly ReadOnlyMemory<byte> _whole;
    private int _position;

    /// <param name="data">The message's bytes.</param>
    /// <param name="baseOffset">Offset of <paramref name="data"/> in the whole buffer, for error messages.</param>
    /// <param name="message">The message's path, such as "ModelProto.graph".</param>
    public ProtoReader(ReadOnlySpan<byte> data, long baseOffset, string message)
    {
        _data = data;
        _base = baseOffset;
        Message = message;
    }

    /// <summary>
    /// A reader over a whole buffer that outlives what is read from it: <see cref="ReadBytesMemory"/> can then hand
    /// out slices of it instead of copies (a model's weights are most of its file).
    /// </summary>
    public ProtoReader(ReadOnlyMemory<byte> whole, string message)
        : this(whole.Span, 0, message)
    {
        _whole = whole;
    }

    private ProtoReader(ReadOnlySpan<byte> data, long baseOffset, string message, ReadOnlyMemory<byte> whole)
        : this(data, baseOffset, message)
    {
        _whole = whole;
    }

    /// <summary>True when the reader was made over a whole buffer (<see cref="ReadBytesMemory"/> works).</summary>
    public readonly bool HasMemory => !_whole.IsEmpty;

    /// <summary>A length-delimited field as a slice of the whole buffer; only where <see cref="HasMemory"/>.</summary>
    public ReadOnlyMemory<byte> ReadBytesMemory(string name, ProtoWireType wireType, out long offset)
    {
        if (_whole.IsEmpty) throw new InvalidOperationException("The reader was not made over a whole buffer.");
        int length = ReadBytes(name, wireType, out offset).Length;
        return _whole.Slice((int)offset, length);
    }

    public string Message { get; }

    /// <summary>Absolute offset of the next byte.</summary>
    public readonly long Offset => _base + _position;

    public readonly bool End => _position >= _data.Length;

    /// <summary>Reads the next tag; false at the end of the message.</summary>
    public bool NextField(out int field, out ProtoWireType wireType)
    {
        if (End)
        {
            field = 0;
            wireType = default;
            return false;
        }
        long start = Offset;
        ulong tag = ReadRawVarint("tag");
        ulong number = tag >> 3;
        if (number == 0 || number > 536_870_911)
            throw Error("tag", start, $"field number {number} is outside 1..2^29-1");
        wireType = (ProtoWireType)(tag & 7);
        if (wireType is not (ProtoWireType.Varint or ProtoWireType.Fixed64 or ProtoWireType.LengthDelimited or ProtoWireType.Fixed32))
            throw Error("tag", start, $"wire type {(int)wireType} of field {number} is not supported (groups or invalid)");
        field = (int)number;
        return true;
    }

    public ulong ReadVarint(string name, ProtoWireType wireType)
    {
        Expect(name, wireType, ProtoWireType.Varint);
        return ReadRawVarint(name);
    }

    public long ReadInt64(string name, ProtoWireType wireType) => (long)ReadVarint(name, wireType);

    /// <summary>An int32 field: protobuf sign-extends negatives to 10 bytes; a value outside int32 is an error.</summary>
    public int ReadInt32(string name, ProtoWireType wireType)
    {
        long start = Offset;
        long value = ReadInt64(name, wireType);
        if (value < int.MinValue || value > int.MaxValue)
            throw Error(name, start, $"value {value} does not fit an int32");
        return (int)value;
    }

    public float ReadFloat(string name, ProtoWireType wireType)
    {
        Expect(name, wireType, ProtoWireType.Fixed32);
        return BinaryPrimitives.ReadSingleLittleEndian(Take(name, 4));
    }

    public double ReadDouble(string name, ProtoWireType wireType)
    {
        Expect(name, wireType, ProtoWireType.Fixed64);
        return BinaryPrimitives.ReadDoubleLittleEndian(Take(name, 8));
    }

    /// <summary>A length-delimited field's bytes; <paramref name="offset"/> receives their absolute offset.</summary>
    public ReadOnlySpan<byte> ReadBytes(string name, ProtoWireType wireType, out long offset)
    {
        Expect(name, wireType, ProtoWireType.LengthDelimited);
        long start = Offset;
        ulong length = ReadRawVarint(name);
        int left = _data.Length - _position;
        if (length > (ulong)left)
            throw Error(name, start, $"length {length} exceeds the {left} bytes left");
        offset = Offset;
        return Take(name, (int)length);
    }

    public ReadOnlySpan<byte> ReadBytes(string name, ProtoWireType wireType) => ReadBytes(name, wireType, out _);

    public string ReadString(string name, ProtoWireType wireType)
    {
        long start = Offset;
        ReadOnlySpan<byte> bytes = ReadBytes(name, wireType);
        try
        {
            return Utf8Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error(name, start, "string is not valid UTF-8");
        }
    }

    /// <summary>A nested message: a reader over its bytes, named <see cref="Message"/>.<paramref name="name"/>.</summary>
    public ProtoReader ReadMessage(string name, ProtoWireType wireType)
    {
        ReadOnlySpan<byte> bytes = ReadBytes(name, wireType, out long offset);
        return new ProtoReader(bytes, offset, Paths.GetOrAdd((Message, name), static key => key.Parent + "." + key.Name), _whole);
    }

    /// <summary>One element of a repeated float field, packed (many) or not (one).</summary>
    public void ReadFloats(string name, ProtoWireType wireType, List<float> values)
    {
        if (wireType != ProtoWireType.LengthDelimited)
        {
            values.Add(ReadFloat(name, wireType));
            return;
        }
        long start = Offset;
        ReadOnlySpan<byte> bytes = ReadBytes(name, wireType);
        if (bytes.Length % 4 != 0)
            throw Error(name, start, $"packed length {bytes.Length} is not a multiple of 4");
        values.EnsureCapacity(values.Count + bytes.Length / 4);
        for (int i = 0; i < bytes.Length; i += 4)
            values.Add(BinaryPrimitives.ReadSingleLittleEndian(bytes.Slice(i, 4)));
    }

    /// <summary>One element of a repeated double field, packed or not.</summary>
    public void ReadDoubles(string name, ProtoWireType wireType, List<double> values)
    {
        if (wireType != ProtoWireType.LengthDelimited)
        {
            values.Add(ReadDouble(name, wireType));
            return;
        }
        long start = Offset;
        ReadOnlySpan<byte> bytes = ReadBytes(name, wireType);
        if (bytes.Length % 8 != 0)
            throw Error(name, start, $"packed length {bytes.Length} is not a multiple of 8");
        values.EnsureCapacity(values.Count + bytes.Length / 8);
        for (int i = 0; i < bytes.Length; i += 8)
            values.Add(BinaryPrimitives.ReadDoubleLittleEndian(bytes.Slice(i, 8)));
    }

    /// <summary>One element of a repeated varint field (int64, int32, uint64), packed or not.</summary>
    public void ReadInt64s(string name, ProtoWireType wireType, List<long> values)
    {
        if (wireType != ProtoWireType.LengthDelimited)
        {
            values.Add(ReadInt64(name, wireType));
            return;
        }
        var packed = new ProtoReader(ReadBytes(name, wireType, out long offset), offset, Message);
        while (!packed.End)
            values.Add((long)packed.ReadRawVarint(name));
    }

    /// <summary>Skips a field this reader does not use.</summary>
    public void Skip(int field, ProtoWireType wireType)
    {
        string name = "field " + field;
        switch (wireType)
        {
            case ProtoWireType.Varint: ReadRawVarint(name); break;
            case ProtoWireType.Fixed64: Take(name, 8); break;
            case ProtoWireType.Fixed32: Take(name, 4); break;
            case ProtoWireType.LengthDelimited: ReadBytes(name, wireType); break;
            default: throw Error(name, Offset, $"cannot skip wire type {(int)wireType}");
        }
    }

    public readonly OnnxFormatException Error(string name, long offset, string detail) =>
        new(Message + "." + name, offset, detail);

    private ulong ReadRawVarint(string name)
    {
        long start = Offset;
        ulong value = 0;
        // At most ten bytes: the tenth may only carry bit 63, and then ends the varint.
        for (int shift = 0; ; shift += 7)
        {
            if (_position >= _data.Length)
                throw Error(name, start, "varint is truncated");
            byte b = _data[_position++];
            if (shift == 63 && b > 1)
                throw Error(name, start, "varint overflows 64 bits");
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
    }

    private ReadOnlySpan<byte> Take(string name, int count)
    {
        int left = _data.Length - _position;
        if (count > left)
            throw Error(name, Offset, $"needs {count} bytes, {left} left");
        ReadOnlySpan<byte> bytes = _data.Slice(_position, count);
        _position += count;
        return bytes;
    }

    private readonly void Expect(string name, ProtoWireType actual, ProtoWireType expected)
    {
        if (actual != expected)
            throw Error(name, Offset, $"wire type {(int)actual}; expected {(int)expected} ({expected})");
    }

    // The message paths, built once each: concatenating one per nested message cost a tiny message (a shape's dim)
    // some sixty times its bytes. The callers' names are literals, so the set is as small as onnx.proto's nesting.
    private static readonly ConcurrentDictionary<(string Parent, string Name), string> Paths = new();

    private static readonly UTF8Encoding Utf8Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
