using System.Buffers.Binary;
using System.Text;

namespace Simd.Runtime.Onnx.Export;

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

    /// <summary>An int64 TensorProto (int64_data, packed): shapes and axes.</summary>
    public static Action<ProtoWriter> Int64Tensor(string name, long[] dims, long[] values) => w => w.PackedInts(1, dims).Int(2, 7).PackedInts(7, values).String(8, name);

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

    /// <summary>A node named after its op type and first output.</summary>
    public static Action<ProtoWriter> Node(string opType, string[] inputs, string[] outputs, params Action<ProtoWriter>[] attributes) =>
        NamedNode(opType + "_" + outputs[0], opType, inputs, outputs, attributes);

    public static Action<ProtoWriter> NamedNode(string name, string opType, string[] inputs, string[] outputs, params Action<ProtoWriter>[] attributes) => w =>
    {
        foreach (string i in inputs) w.String(1, i);
        foreach (string o in outputs) w.String(2, o);
        w.String(3, name).String(4, opType);
        foreach (Action<ProtoWriter> a in attributes) w.Message(5, a);
    };

    /// <summary>A float tensor value info; a null dimension is written as the symbolic <paramref name="symbol"/>.</summary>
    public static Action<ProtoWriter> Value(string name, long?[] shape, string symbol = "N", int elementType = 1) => w => w.String(1, name).Message(2, type =>
        type.Message(1, tensor => tensor.Int(1, elementType).Message(2, s =>
        {
            foreach (long? d in shape)
                s.Message(1, dim => { if (d is { } v) dim.Int(1, v); else dim.String(2, symbol); });
        })));

    public static byte[] Model(Action<ProtoWriter>[] nodes, Action<ProtoWriter>[] initializers, Action<ProtoWriter>[] inputs,
        Action<ProtoWriter>[] outputs, long opset = 13, long irVersion = 8, string producer = "tests", string graph = "graph") =>
        new ProtoWriter()
            .Int(1, irVersion)
            .String(2, producer)
            .Message(7, g =>
            {
                foreach (Action<ProtoWriter> n in nodes) g.Message(1, n);
                g.String(2, graph);
                foreach (Action<ProtoWriter> t in initializers) g.Message(5, t);
                foreach (Action<ProtoWriter> i in inputs) g.Message(11, i);
                foreach (Action<ProtoWriter> o in outputs) g.Message(12, o);
            })
            .Message(8, o => o.String(1, "").Int(2, opset))
            .ToArray();
}
