namespace Simd.Runtime.Onnx.Conformance;

/// <summary>
/// A test case's model as the importer takes it. ONNX's node tests feed weights (Conv's W, BatchNormalization's
/// scale, bias, mean and variance, Gemm's B and C) as graph inputs, while an imported model has one data input and
/// constant weights: every data input after the first becomes an initializer holding the data set's tensor for it,
/// and the first is declared with the data set's shape (the importer takes its batch from the first axis, or the
/// second for a time-first recurrent input). A model has one output, so the graph keeps only the output asked for.
/// </summary>
internal static class BoundInputs
{
    /// <summary>The graph inputs that are not initializers (before IR version 4 the inputs list those too), in order.</summary>
    public static IReadOnlyList<OnnxValueInfo> DataInputs(OnnxGraph graph) =>
        [.. graph.Inputs.Where(i => graph.Initializer(i.Name) is null)];

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
            OnnxValueInfo first = data[0];
            int at = graphInputs.IndexOf(first);
            graphInputs[at] = new OnnxValueInfo(first.Name, first.ElementType, [.. inputs[0].Dims.Select(d => (long?)d)]);
        }
        var bound = new OnnxGraph(graph.Name, graph.Nodes, initializers, graphInputs, [graph.Outputs[output]]);
        return new OnnxModel(model.IrVersion, model.OpsetImports, model.ProducerName, bound);
    }
}
