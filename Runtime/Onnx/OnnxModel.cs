namespace Simd.Runtime.Onnx;

/// <summary>
/// An ONNX ModelProto, as much of it as this runtime uses: IR version, operator set imports, producer and the
/// main graph. Read with <see cref="Read(byte[])"/>; bad bytes give an <see cref="OnnxFormatException"/> that names the
/// field and byte offset.
/// </summary>
public sealed class OnnxModel
{
    public OnnxModel(long irVersion, IReadOnlyDictionary<string, long> opsetImports, string producerName, OnnxGraph graph)
    {
        IrVersion = irVersion;
        OpsetImports = opsetImports;
        ProducerName = producerName;
        Graph = graph;
    }

    public long IrVersion { get; }

    /// <summary>Operator set version per domain; the default domain is keyed "" (as ONNX writes "ai.onnx").</summary>
    public IReadOnlyDictionary<string, long> OpsetImports { get; }

    public string ProducerName { get; }

    public OnnxGraph Graph { get; }

    /// <summary>The opset version imported for <paramref name="domain"/> ("" or "ai.onnx" for the default).</summary>
    public long Opset(string domain)
    {
        if (domain == "ai.onnx") domain = "";
        if (OpsetImports.TryGetValue(domain, out long v)) return v;
        if (domain == "" && OpsetImports.TryGetValue("ai.onnx", out v)) return v;
        return 0;
    }

    /// <summary>Reads a model from bytes it copies what it keeps out of.</summary>
    public static OnnxModel Read(ReadOnlySpan<byte> bytes) => Read(new ProtoReader(bytes, 0, "ModelProto"));

    /// <summary>
    /// Reads a model that keeps views of <paramref name="bytes"/> (float weights are not copied): the array must
    /// not change while the model is in use.
    /// </summary>
    public static OnnxModel Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        return Read(new ProtoReader(bytes, "ModelProto"));
    }

    internal static OnnxModel Read(ReadOnlyMemory<byte> bytes) => Read(new ProtoReader(bytes, "ModelProto"));

    private static OnnxModel Read(ProtoReader reader)
    {
        long irVersion = 0;
        var opsets = new Dictionary<string, long>();
        string producer = "";
        OnnxGraph? graph = null;
        while (reader.NextField(out int field, out ProtoWireType wire))
        {
            switch (field)
            {
                case 1: irVersion = reader.ReadInt64("ir_version", wire); break;
                case 2: producer = reader.ReadString("producer_name", wire); break;
                case 7: graph = OnnxGraph.Read(reader.ReadMessage("graph", wire)); break;
                case 8: ReadOpset(reader.ReadMessage("opset_import", wire), opsets); break;
                default: reader.Skip(field, wire); break;
            }
        }
        if (graph is null)
            throw reader.Error("graph", 0, "the model has no graph");
        return new OnnxModel(irVersion, opsets, producer, graph);
    }

    public static OnnxModel Load(string path) => Read(File.ReadAllBytes(path));

    private static void ReadOpset(ProtoReader reader, Dictionary<string, long> opsets)
    {
        string domain = "";
        long version = 0;
        while (reader.NextField(out int field, out ProtoWireType wire))
        {
            if (field == 1) domain = reader.ReadString("domain", wire);
            else if (field == 2) version = reader.ReadInt64("version", wire);
            else reader.Skip(field, wire);
        }
        opsets[domain] = version;
    }
}
