namespace Simd.Runtime.Onnx.Conformance;

/// <summary>
/// A test case's model as the importer takes it. The case is first imported as it is, every data input declared with
/// the data set's shape (<see cref="Declare"/>). ONNX's node tests also feed weights (Conv's W, BatchNormalization's
/// scale, bias, mean and variance, Gemm's B and C) as graph inputs, while the importer takes weights constant: where
/// the graph as it is is refused, every data input after the first becomes an initializer holding the data set's
/// tensor for it, the first is declared with the data set's shape (the importer takes its batch from the first axis,
/// or the second for a time-first recurrent input), and the graph keeps one output at a time with the nodes it is
/// computed from (<see cref="Bind"/>; a function body's other outputs would be nodes that reach no output).
/// </summary>
internal static class BoundInputs
{
    /// <summary>The graph inputs that are not initializers (before IR version 4 the inputs list those too), in order.</summary>
    public static IReadOnlyList<OnnxValueInfo> DataInputs(OnnxGraph graph) =>
        [.. graph.Inputs.Where(i => graph.Initializer(i.Name) is null)];

    /// <summary>The graph as it is, every data input declared with the shape of the data set's tensor for it.</summary>
    public static OnnxModel Declare(OnnxModel model, IReadOnlyList<OnnxTensor> inputs)
    {
        OnnxGraph graph = model.Graph;
        IReadOnlyList<OnnxValueInfo> data = DataInputs(graph);
        var graphInputs = new List<OnnxValueInfo>(graph.Inputs);
        for (int i = 0; i < data.Count; i++)
            graphInputs[graphInputs.IndexOf(data[i])] = Declared(data[i], inputs[i]);
        var declared = new OnnxGraph(graph.Name, graph.Nodes, graph.Initializers, graphInputs, graph.Outputs);
        return new OnnxModel(model.IrVersion, model.OpsetImports, model.ProducerName, declared);
    }

    /// <param name="inputs">The data set's tensors, one per <see cref="DataInputs"/> entry.</param>
    /// <param name="output">The graph output the rewritten graph keeps.</param>
    public static OnnxModel Bind(OnnxModel model, IReadOnlyList<OnnxTensor> inputs, int output)
    {
        OnnxGraph graph = model.Graph;
        IReadOnlyList<OnnxValueInfo> data = DataInputs(graph);
        var initializers = new List<OnnxTensor>(graph.Initializers);
        for (int i = 1; i < data.Count; i++) initializers.Add(inputs[i].Named(data[i].Name));
        var graphInputs = new List<OnnxValueInfo>(graph.Inputs);
        if (data.Count > 0)
        {
            graphInputs[graphInputs.IndexOf(data[0])] = Declared(data[0], inputs[0]);
        }
        var bound = new OnnxGraph(graph.Name, Needed(graph.Nodes, graph.Outputs[output].Name), initializers, graphInputs, [graph.Outputs[output]]);
        return new OnnxModel(model.IrVersion, model.OpsetImports, model.ProducerName, bound);
    }

    /// <summary>The nodes <paramref name="output"/> is computed from, in the graph's order.</summary>
    private static List<OnnxNode> Needed(IReadOnlyList<OnnxNode> nodes, string output)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal) { output };
        var kept = new List<OnnxNode>();
        for (int n = nodes.Count - 1; n >= 0; n--)
        {
            if (!nodes[n].Outputs.Any(wanted.Contains)) continue;
            kept.Add(nodes[n]);
            wanted.UnionWith(nodes[n].Inputs.Where(i => i.Length > 0));
        }
        kept.Reverse();
        return kept;
    }

    /// <summary>The input declared with the shape of the data set's tensor for it.</summary>
    private static OnnxValueInfo Declared(OnnxValueInfo input, OnnxTensor data) =>
        new(input.Name, input.ElementType, [.. data.Dims.Select(d => (long?)d)]);
}
