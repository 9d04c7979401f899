namespace Simd.Runtime.Onnx;

/// <summary>A graph node (NodeProto): operator, domain, named inputs and outputs, attributes.</summary>
public sealed class OnnxNode
{
    public OnnxNode(string name, string opType, string domain, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs,
        IReadOnlyList<OnnxAttribute> attributes)
    {
        Name = name;
        OpType = opType;
        Domain = domain;
        Inputs = inputs;
        Outputs = outputs;
        Attributes = attributes;
    }

    public string Name { get; }

    public string OpType { get; }

    /// <summary>The operator set domain; empty means the default "ai.onnx".</summary>
    public string Domain { get; }

    /// <summary>Input value names in order; an empty name marks an omitted optional input.</summary>
    public IReadOnlyList<string> Inputs { get; }

    public IReadOnlyList<string> Outputs { get; }

    public IReadOnlyList<OnnxAttribute> Attributes { get; }

    /// <summary>How errors name this node: its name if it has one, else its first output.</summary>
    public string DisplayName => Name.Length > 0 ? Name : Outputs.Count > 0 ? Outputs[0] : "(unnamed)";

    public OnnxAttribute? Attribute(string name)
    {
        foreach (OnnxAttribute a in Attributes)
            if (a.Name == name) return a;
        return null;
    }

    public float Float(string name, float defaultValue) => Typed(name, OnnxAttributeType.Float)?.F ?? defaultValue;

    public long Int(string name, long defaultValue) => Typed(name, OnnxAttributeType.Int)?.I ?? defaultValue;

    public string String(string name, string defaultValue) => Typed(name, OnnxAttributeType.String)?.String ?? defaultValue;

    public IReadOnlyList<long> Ints(string name) => Typed(name, OnnxAttributeType.Ints)?.Ints ?? [];

    public IReadOnlyList<string> Strings(string name) => Typed(name, OnnxAttributeType.Strings)?.Strings ?? [];

    public IReadOnlyList<float> Floats(string name) => Typed(name, OnnxAttributeType.Floats)?.Floats ?? [];

    /// <summary>True when input <paramref name="index"/> is present (listed and not empty).</summary>
    public bool HasInput(int index) => index < Inputs.Count && Inputs[index].Length > 0;

    private OnnxAttribute? Typed(string name, OnnxAttributeType type)
    {
        OnnxAttribute? a = Attribute(name);
        if (a is null) return null;
        if (a.Type != type)
            throw new OnnxFormatException($"node '{DisplayName}' ({OpType}) attribute '{name}'", -1, $"type {a.Type}; expected {type}")
            {
                Detail = $"attribute '{name}' is of type {a.Type}; {OpType} defines it as {type}.",
            };
        return a;
    }

    internal static OnnxNode Read(ProtoReader reader)
    {
        long start = reader.Offset;
        // Created when a field needs one: a node can be a few bytes, and many have no attributes.
        List<string>? inputs = null, outputs = null;
        List<OnnxAttribute>? attributes = null;
        string name = "", opType = "", domain = "";
        while (reader.NextField(out int field, out ProtoWireType wire))
        {
            switch (field)
            {
                case 1: (inputs ??= []).Add(reader.ReadString("input", wire)); break;
                case 2: (outputs ??= []).Add(reader.ReadString("output", wire)); break;
                case 3: name = reader.ReadString("name", wire); break;
                case 4: opType = reader.ReadString("op_type", wire); break;
                case 5: (attributes ??= []).Add(OnnxAttribute.Read(reader.ReadMessage("attribute", wire))); break;
                case 7: domain = reader.ReadString("domain", wire); break;
                default: reader.Skip(field, wire); break;
            }
        }
        if (opType.Length == 0)
            throw reader.Error("op_type", start, $"node '{name}' has no op_type");
        // Every ONNX operator has an output; the importer names and binds nodes by their first.
        if (outputs is null)
            throw reader.Error("output", start, $"node '{name}' ({opType}) has no outputs");
        return new OnnxNode(name, opType, domain, (IReadOnlyList<string>?)inputs ?? [], outputs, (IReadOnlyList<OnnxAttribute>?)attributes ?? []);
    }
}
