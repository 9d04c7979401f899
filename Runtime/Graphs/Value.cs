using Simd.Runtime.Tensors;

namespace Simd.Runtime.Graphs;

/// <summary>
/// A tensor flowing between nodes: a graph input or one output of a node. Activations are batch-major, so a value
/// is described by the shape of one sample; at run time it holds [rows × <see cref="SampleShape"/>].
/// </summary>
public sealed class Value
{
    private readonly List<Node> _consumers = [];

    internal Value(int id, string name, TensorShape sampleShape, DataType dataType, Node? producer)
    {
        Id = id;
        Name = name;
        SampleShape = sampleShape;
        DataType = dataType;
        Producer = producer;
    }

    /// <summary>Index of the value in <see cref="Graph.Values"/>.</summary>
    public int Id { get; }

    public string Name { get; }

    /// <summary>Shape of one sample (without the batch dimension).</summary>
    public TensorShape SampleShape { get; }

    /// <summary>Elements per sample.</summary>
    public int SampleLength => SampleShape.Length;

    public DataType DataType { get; }

    /// <summary>The node that writes the value; null for a graph input.</summary>
    public Node? Producer { get; }

    /// <summary>Nodes that read the value, in graph order.</summary>
    public IReadOnlyList<Node> Consumers => _consumers;

    /// <summary>True when the value is one of the graph's outputs.</summary>
    public bool IsGraphOutput { get; internal set; }

    internal void AddConsumer(Node node) => _consumers.Add(node);

    public override string ToString() => $"{Name}{SampleShape}";
}
