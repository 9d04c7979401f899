namespace Simd.Runtime.Graphs;

/// <summary>
/// A network as a directed acyclic graph of nodes over values, nodes in topological order (each node's inputs are
/// graph inputs or outputs of earlier nodes). Built by <see cref="GraphBuilder"/>, where shape inference checked
/// every size; immutable afterwards.
/// </summary>
public sealed class Graph
{
    internal Graph(Value[] values, Node[] nodes, Value[] inputs, Value[] outputs)
    {
        Values = values;
        Nodes = nodes;
        Inputs = inputs;
        Outputs = outputs;
    }

    public IReadOnlyList<Value> Values { get; }

    public IReadOnlyList<Node> Nodes { get; }

    public IReadOnlyList<Value> Inputs { get; }

    public IReadOnlyList<Value> Outputs { get; }

    public override string ToString() =>
        $"{string.Join(", ", Inputs)} → {string.Join(" → ", Nodes.Select(n => n.Op.ToString()))}";
}
