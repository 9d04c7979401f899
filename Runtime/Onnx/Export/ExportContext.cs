using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx.Export;

/// <summary>
/// What the export of one graph collects: the ONNX name of each of our values, the nodes and initializers written so
/// far, and the lowest opset that expresses them (17, raised by ops that came later, such as Gelu in 20). Names are
/// unique: a node's extra values and its initializers are named after it (<c>dense1.weights</c>,
/// <c>lstm1/Y</c>).
/// </summary>
internal sealed class ExportContext
{
    private readonly Dictionary<Value, string> _names = [];
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    public ExportContext(Graph graph)
    {
        foreach (Value v in graph.Values) _taken.Add(v.Name);
    }

    public List<Action<ProtoWriter>> Nodes { get; } = [];

    public List<Action<ProtoWriter>> Initializers { get; } = [];

    public long Opset { get; private set; } = OnnxExporter.BaseOpset;

    /// <summary>The ONNX name our value <paramref name="value"/> is written under (its own unless an alias bound it).</summary>
    public string Name(Value value) => _names.TryGetValue(value, out string? name) ? name : value.Name;

    /// <summary>Writes <paramref name="value"/> as the ONNX value <paramref name="name"/> (a Dropout passes its input on).</summary>
    public void Alias(Value value, string name) => _names[value] = name;

    /// <summary>A fresh name <c>{node}{suffix}</c> (with a number after it if the graph already has that name).</summary>
    public string Fresh(Node node, string suffix)
    {
        string name = node.Name + suffix;
        for (int i = 2; !_taken.Add(name); i++) name = $"{node.Name}{suffix}{i}";
        return name;
    }

    /// <summary>An ONNX node for our node <paramref name="node"/>, named <c>{node}/{opType}</c>.</summary>
    public void Add(Node node, string opType, string[] inputs, string[] outputs, params Action<ProtoWriter>[] attributes) =>
        Nodes.Add(OnnxWriter.NamedNode(Fresh(node, "/" + opType), opType, inputs, outputs, attributes));

    /// <summary>A float initializer named <c>{node}.{what}</c>; returns its name.</summary>
    public string Floats(Node node, string what, long[] dims, ReadOnlySpan<float> values)
    {
        string name = Fresh(node, "." + what);
        Initializers.Add(OnnxWriter.Tensor(name, dims, values.ToArray()));
        return name;
    }

    /// <summary>The op's tensor <paramref name="tensor"/> as an initializer of shape <paramref name="dims"/> (ONNX's layout, same values).</summary>
    public string Tensor(Node node, string tensor, long[] dims)
    {
        Op op = node.Op;
        return Floats(node, tensor, dims, op.TensorData(op.TensorIndex(tensor)));
    }

    /// <summary>An int64 initializer of one dimension (a Reshape's shape, a Squeeze's axes).</summary>
    public string Int64s(Node node, string what, long[] values)
    {
        string name = Fresh(node, "." + what);
        Initializers.Add(OnnxWriter.Int64Tensor(name, [values.Length], values));
        return name;
    }

    /// <summary>Writes a Reshape of <paramref name="input"/> to [batch, <paramref name="sample"/>] (0 keeps the batch) into <paramref name="output"/>.</summary>
    public void Reshape(Node node, string input, TensorShape sample, string output)
    {
        long[] dims = [0, .. sample.ToArray().Select(d => (long)d)];
        Add(node, "Reshape", [input, Int64s(node, "shape", dims)], [output]);
    }

    /// <summary>Raises the opset to at least <paramref name="opset"/>, where the op the node needs came in.</summary>
    public void RequireOpset(long opset) => Opset = Math.Max(Opset, opset);

    public static OnnxExportException Fail(Node node, string detail) => new(node.Name, node.Op.Kind, detail);

    public static long[] Dims(TensorShape shape) => [.. shape.ToArray().Select(d => (long)d)];
}
