namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// A protobuf message as a tree of fields, parsed without a schema (a length-delimited field whose bytes parse as a
/// message becomes a child message), so that the fuzzer can change one field and write the rest back exactly: a
/// varint grown to a huge value inside consistent framing, a length prefix that lies, a field duplicated or dropped.
/// </summary>
internal sealed class OnnxFuzzTree
{
    private const int MaxDepth = 24;

    private OnnxFuzzTree(List<Field> fields) => Fields = fields;

    public List<Field> Fields { get; }

    internal sealed class Field
    {
        public int Number;
        public int Wire;
        public ulong Varint;
        public byte[] Bytes = [];
        public OnnxFuzzTree? Child;

        /// <summary>Written as the length prefix instead of the true length (the bytes stay as they are).</summary>
        public ulong? LengthOverride;

        public Field Clone() => new()
        {
            Number = Number, Wire = Wire, Varint = Varint, Bytes = Bytes, Child = Child?.Clone(), LengthOverride = LengthOverride,
        };
    }

    public OnnxFuzzTree Clone() => new([.. Fields.Select(f => f.Clone())]);

    public static OnnxFuzzTree Parse(byte[] bytes) =>
        TryParse(bytes, 0) ?? throw new ArgumentException("the seed is not a protobuf message", nameof(bytes));

    private static OnnxFuzzTree? TryParse(ReadOnlySpan<byte> data, int depth)
    {
        var fields = new List<Field>();
        int p = 0;
        while (p < data.Length)
        {
            if (!TryVarint(data, ref p, out ulong tag)) return null;
            var f = new Field { Number = (int)Math.Min(tag >> 3, int.MaxValue), Wire = (int)(tag & 7) };
            if (f.Number == 0) return null;
            switch (f.Wire)
            {
                case 0:
                    if (!TryVarint(data, ref p, out f.Varint)) return null;
                    break;
                case 1 or 5:
                    int size = f.Wire == 1 ? 8 : 4;
                    if (data.Length - p < size) return null;
                    f.Bytes = data.Slice(p, size).ToArray();
                    p += size;
                    break;
                case 2:
                    if (!TryVarint(data, ref p, out ulong length) || length > (ulong)(data.Length - p)) return null;
                    ReadOnlySpan<byte> body = data.Slice(p, (int)length);
                    p += (int)length;
                    f.Child = depth < MaxDepth && length > 0 ? TryParse(body, depth + 1) : null;
                    if (f.Child is null) f.Bytes = body.ToArray();
                    break;
                default:
                    return null;
            }
            fields.Add(f);
        }
        return new OnnxFuzzTree(fields);
    }

    private static bool TryVarint(ReadOnlySpan<byte> data, ref int p, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (p >= data.Length) return false;
            byte b = data[p++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return true;
        }
        return false;
    }

    public byte[] ToBytes()
    {
        var w = new ProtoWriter();
        Write(w);
        return w.ToArray();
    }

    private void Write(ProtoWriter w)
    {
        foreach (Field f in Fields)
        {
            w.Varint(((ulong)f.Number << 3) | (uint)f.Wire);
            switch (f.Wire)
            {
                case 0: w.Varint(f.Varint); break;
                case 1 or 5: w.Raw(f.Bytes); break;
                default:
                    byte[] body = f.Child?.ToBytes() ?? f.Bytes;
                    w.Varint(f.LengthOverride ?? (ulong)body.Length).Raw(body);
                    break;
            }
        }
    }

    /// <summary>Every field of the tree with the message that holds it, depth first.</summary>
    public List<(OnnxFuzzTree Parent, Field Field)> All()
    {
        var all = new List<(OnnxFuzzTree, Field)>();
        Collect(all);
        return all;
    }

    private void Collect(List<(OnnxFuzzTree, Field)> all)
    {
        foreach (Field f in Fields)
        {
            all.Add((this, f));
            f.Child?.Collect(all);
        }
    }
}
