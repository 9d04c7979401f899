using System.Buffers.Binary;
using System.Text;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>A minimal protobuf writer for building ONNX bytes in tests.</summary>
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

/// <summary>ONNX messages written with <see cref="ProtoWriter"/>, field numbers as onnx.proto gives them.</summary>
internal static class OnnxWriter
{
    /// <summary>A float TensorProto with packed dims and raw little-endian data.</summary>
    public static Action<ProtoWriter> Tensor(string name, long[] dims, float[] values) => w =>
    {
        w.PackedInts(1, dims).Int(2, 1).String(8, name);
        var raw = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), values[i]);
        w.Bytes(9, raw);
    };

    /// <summary>An int32 TensorProto (int32_data, packed).</summary>
    public static Action<ProtoWriter> Int32Tensor(string name, long[] dims, long[] values) => w => w.PackedInts(1, dims).Int(2, 6).PackedInts(5, values).String(8, name);

    public static Action<ProtoWriter> StringsAttribute(string name, params string[] values) => w =>
    {
        w.String(1, name);
        foreach (string v in values) w.Bytes(9, Encoding.UTF8.GetBytes(v));
        w.Int(20, 8);
    };

    public static Action<ProtoWriter> FloatAttribute(string name, float value) => w => w.String(1, name).Float(2, value).Int(20, 1);

    public static Action<ProtoWriter> IntAttribute(string name, long value) => w => w.String(1, name).Int(3, value).Int(20, 2);

    public static Action<ProtoWriter> IntsAttribute(string name, params long[] values) => w => w.String(1, name).PackedInts(8, values).Int(20, 7);

    public static Action<ProtoWriter> FloatsAttribute(string name, params float[] values) => w => w.String(1, name).PackedFloats(7, values).Int(20, 6);

    public static Action<ProtoWriter> StringAttribute(string name, string value) =>
        w => w.String(1, name).Bytes(4, Encoding.UTF8.GetBytes(value)).Int(20, 3);

    public static Action<ProtoWriter> Node(string opType, string[] inputs, string[] outputs, params Action<ProtoWriter>[] attributes) => w =>
    {
        foreach (string i in inputs) w.String(1, i);
        foreach (string o in outputs) w.String(2, o);
        w.String(3, opType + "_" + outputs[0]).String(4, opType);
        foreach (Action<ProtoWriter> a in attributes) w.Message(5, a);
    };

    /// <summary>A float tensor value info; a null dimension is written as the symbolic "N".</summary>
    public static Action<ProtoWriter> Value(string name, long?[] shape) => w => w.String(1, name).Message(2, type =>
        type.Message(1, tensor => tensor.Int(1, 1).Message(2, s =>
        {
            foreach (long? d in shape)
                s.Message(1, dim => { if (d is { } v) dim.Int(1, v); else dim.String(2, "N"); });
        })));

    public static byte[] Model(Action<ProtoWriter>[] nodes, Action<ProtoWriter>[] initializers, Action<ProtoWriter>[] inputs,
        Action<ProtoWriter>[] outputs, long opset = 13) =>
        new ProtoWriter()
            .Int(1, 8)
            .String(2, "tests")
            .Message(7, g =>
            {
                foreach (Action<ProtoWriter> n in nodes) g.Message(1, n);
                g.String(2, "graph");
                foreach (Action<ProtoWriter> t in initializers) g.Message(5, t);
                foreach (Action<ProtoWriter> i in inputs) g.Message(11, i);
                foreach (Action<ProtoWriter> o in outputs) g.Message(12, o);
            })
            .Message(8, o => o.String(1, "").Int(2, opset))
            .ToArray();
}
