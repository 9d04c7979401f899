namespace Simd.Runtime.Onnx;

/// <summary>A GraphProto: nodes in topological order, initializers (constant tensors), inputs and outputs.</summary>
public sealed class OnnxGraph
{
    public OnnxGraph(string name, IReadOnlyList<OnnxNode> nodes, IReadOnlyList<OnnxTensor> initializers,
        IReadOnlyList<OnnxValueInfo> inputs, IReadOnlyList<OnnxValueInfo> outputs)
    {
        Name = name;
        Nodes = nodes;
        Initializers = initializers;
        Inputs = inputs;
        Outputs = outputs;
    }

    public string Name { get; }

    public IReadOnlyList<OnnxNode> Nodes { get; }

    public IReadOnlyList<OnnxTensor> Initializers { get; }

    /// <summary>The graph inputs; before IR version 4 these also list the initializers.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    public OnnxTensor? Initializer(string name)
    {
        foreach (OnnxTensor t in Initializers)
            if (t.Name == name) return t;
        return null;
    }

    internal static OnnxGraph Read(ProtoReader reader)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new List<OnnxTensor>();
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        string name = "";
        while (reader.NextField(out int field, out ProtoWireType wire))
        {
            switch (field)
            {
                case 1: nodes.Add(OnnxNode.Read(reader.ReadMessage("node", wire))); break;
                case 2: name = reader.ReadString("name", wire); break;
                case 5: initializers.Add(OnnxTensor.Read(reader.ReadMessage("initializer", wire))); break;
                case 11: inputs.Add(OnnxValueInfo.Read(reader.ReadMessage("input", wire))); break;
                case 12: outputs.Add(OnnxValueInfo.Read(reader.ReadMessage("output", wire))); break;
                default: reader.Skip(field, wire); break;
            }
        }
        return new OnnxGraph(name, nodes, initializers, inputs, outputs);
    }
}
