using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Passes;

/// <summary>
/// A graph as passes rewrite it: nodes with their tensors, values by number. Built from a trained graph, rewritten
/// in place by the passes, then turned back into a <see cref="Graph"/> whose ops are bound to a fresh, frozen
/// parameter block. A tensor is copied out of the trained graph only when a pass rewrites it; the rest are read
/// from the trained ops once, into the frozen block (most of a model's weights are never rewritten).
/// </summary>
internal sealed class PassGraph
{
    /// <summary>A trained graph's passes: tensors read from its bound ops.</summary>
    public PassGraph(Graph source) : this(source, op => new BoundTensors(op)) { }

    /// <param name="tensors">Where each op's tensors come from (its ops may be unbound: an import frozen straight from the file).</param>
    public PassGraph(Graph source, Func<Op, TensorSource> tensors)
    {
        var ids = new Dictionary<Value, int>();
        foreach (var input in source.Inputs)
        {
            Shapes[Inputs.Count] = input.SampleShape;
            ids[input] = Inputs.Count;
            Inputs.Add((Inputs.Count, input.SampleShape, input.Name));
        }
        int next = Inputs.Count;
        foreach (var node in source.Nodes)
        {
            var op = node.Op;
            var values = new PassTensors(tensors(op));
            var outputs = new int[node.Outputs.Count];
            for (int i = 0; i < outputs.Length; i++)
            {
                ids[node.Outputs[i]] = outputs[i] = next++;
                Shapes[outputs[i]] = node.Outputs[i].SampleShape;
            }
            Nodes.Add(new PassNode(OpRegistry.Clone(op), [.. node.Inputs.Select(v => ids[v])], outputs, values));
        }
        foreach (var output in source.Outputs) Outputs.Add(ids[output]);
    }

    public List<(int Id, TensorShape Shape, string Name)> Inputs { get; } = [];

    /// <summary>Sample shape of every value.</summary>
    public Dictionary<int, TensorShape> Shapes { get; } = [];

    public List<PassNode> Nodes { get; } = [];

    public List<int> Outputs { get; } = [];

    /// <summary>Nodes that read <paramref name="value"/>.</summary>
    public IEnumerable<PassNode> Consumers(int value) => Nodes.Where(n => n.Inputs.Contains(value));

    public PassNode? Producer(int value) => Nodes.FirstOrDefault(n => n.Outputs.Contains(value));

    /// <summary>True when only <paramref name="node"/> reads the value and it is not a graph output: a pass may merge the two.</summary>
    public bool OnlyFeeds(int value, PassNode node) => !Outputs.Contains(value) && Consumers(value).All(c => c == node);

    /// <summary>Removes a one-in, one-out node, handing its readers its input instead.</summary>
    public void Bypass(PassNode node)
    {
        int from = node.Outputs[0], to = node.Inputs[0];
        Nodes.Remove(node);
        foreach (var n in Nodes)
            for (int i = 0; i < n.Inputs.Length; i++)
                if (n.Inputs[i] == from) n.Inputs[i] = to;
        for (int i = 0; i < Outputs.Count; i++)
            if (Outputs[i] == from) Outputs[i] = to;
    }

    /// <summary>A graph of unbound ops (bind with <see cref="FrozenGraph"/>); a graph left without nodes gets an identity.</summary>
    public Graph Build()
    {
        var builder = new GraphBuilder();
        var values = new Dictionary<int, Value>();
        foreach (var (id, shape, name) in Inputs) values[id] = builder.Input(shape, name);
        foreach (var node in Nodes)
        {
            var outputs = builder.Node(node.Op, [.. node.Inputs.Select(i => values[i])]);
            for (int i = 0; i < outputs.Count; i++) values[node.Outputs[i]] = outputs[i];
        }
        foreach (int output in Outputs)
        {
            var value = values[output];
            if (value.Producer is null)
            {
                var identity = new ActivationOp(Intrinsics.ActivationKind.Identity);
                Nodes.Add(new PassNode(identity, [output], [-1], new PassTensors(new BoundTensors(identity))));
                value = builder.Single(identity, value);
            }
            builder.Output(value);
        }
        return builder.BuildGraph();
    }
}

/// <summary>One node under rewriting: an unbound op, its value numbers and its tensors by name.</summary>
internal sealed class PassNode(Op op, int[] inputs, int[] outputs, PassTensors tensors)
{
    public Op Op { get; set; } = op;

    public int[] Inputs { get; } = inputs;

    public int[] Outputs { get; } = outputs;

    public PassTensors Tensors { get; } = tensors;
}

/// <summary>
/// A node's tensors by name: read from their source until a pass asks to rewrite one, which then gets its copy. A
/// source that reads a trained op needs the op to stay bound (its model alive) until the graph is frozen.
/// </summary>
internal sealed class PassTensors(TensorSource source)
{
    private readonly Dictionary<string, float[]> _rewritten = new(StringComparer.Ordinal);

    /// <summary>The tensor to rewrite in place: the source's values, copied on first use, or the array a pass set.</summary>
    public float[] this[string name]
    {
        get
        {
            if (!_rewritten.TryGetValue(name, out float[]? values))
            {
                values = new float[source.Length(name)];
                source.Write(name, values);
                _rewritten[name] = values;
            }
            return values;
        }
        set => _rewritten[name] = value;
    }

    /// <summary>Writes the tensor as it stands, its subnormals flushed to +0, into the frozen block.</summary>
    public void WriteFlushed(string name, Span<float> target)
    {
        if (_rewritten.TryGetValue(name, out float[]? values)) Subnormals.CopyFlushingToZero(values, target);
        else source.WriteFlushed(name, target);
    }
}

/// <summary>The values of a node's tensors before any pass: a trained op's, or an import's straight from the file.</summary>
internal abstract class TensorSource
{
    public abstract int Length(string name);

    /// <summary>The values as they are, into <paramref name="target"/> of <see cref="Length"/> floats.</summary>
    public abstract void Write(string name, Span<float> target);

    /// <summary>The values with subnormals (and −0) as +0.</summary>
    public virtual void WriteFlushed(string name, Span<float> target)
    {
        Write(name, target);
        Subnormals.FlushToZero(target);
    }
}

/// <summary>A trained (bound) op's tensors.</summary>
internal sealed class BoundTensors(Op trained) : TensorSource
{
    private Span<float> Data(string name) => trained.TensorData(trained.TensorIndex(name));

    public override int Length(string name) => Data(name).Length;

    public override void Write(string name, Span<float> target) => Data(name).CopyTo(target);

    public override void WriteFlushed(string name, Span<float> target) => Subnormals.CopyFlushingToZero(Data(name), target);
}
