using Simd.Runtime.Ops;

namespace Simd.Runtime.Graphs;

/// <summary>One op applied to values: its inputs, the outputs it writes, and its place in the graph's order.</summary>
public sealed class Node
{
    internal Node(int index, string name, Op op, Value[] inputs)
    {
        Index = index;
        Name = name;
        Op = op;
        Inputs = inputs;
        Outputs = [];
    }

    /// <summary>Position in <see cref="Graph.Nodes"/>: every input is produced by a node with a smaller index.</summary>
    public int Index { get; }

    public string Name { get; }

    public Op Op { get; }

    public IReadOnlyList<Value> Inputs { get; }

    public IReadOnlyList<Value> Outputs { get; internal set; }

    public override string ToString() =>
        $"{Name}: {Op}({string.Join(", ", Inputs.Select(v => v.Name))}) → {string.Join(", ", Outputs.Select(v => v.ToString()))}";
}
