using Simd.Runtime.Onnx;
using Simd.Runtime.Tests.Conformance;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// One ONNX node test case from the conformance data's onnx-node folder: its model and the tensors of
/// test_data_set_0, in graph input and output order.
/// </summary>
internal sealed class ConformanceCase
{
    private ConformanceCase(string name, OnnxModel model, OnnxTensor[] inputs, OnnxTensor[] outputs)
    {
        Name = name;
        Model = model;
        Inputs = inputs;
        Outputs = outputs;
    }

    public string Name { get; }

    public OnnxModel Model { get; }

    /// <summary>The single node of the case's graph.</summary>
    public OnnxNode Node => Model.Graph.Nodes.Count == 1
        ? Model.Graph.Nodes[0]
        : throw new InvalidOperationException($"{Name}: expected a single-node graph, found {Model.Graph.Nodes.Count} nodes.");

    public OnnxTensor[] Inputs { get; }

    public OnnxTensor[] Outputs { get; }

    public static ConformanceCase Load(string name)
    {
        string folder = Path.Combine(ConformanceData.OnnxNode, name);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Conformance case '{name}' not found: expected the folder {folder}.");
        OnnxModel model = OnnxModel.Load(Path.Combine(folder, "model.onnx"));
        string data = Path.Combine(folder, "test_data_set_0");
        var inputs = new OnnxTensor[model.Graph.Inputs.Count - CountInitializerInputs(model.Graph)];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = OnnxTensor.Load(Path.Combine(data, $"input_{i}.pb"));
        var outputs = new OnnxTensor[model.Graph.Outputs.Count];
        for (int i = 0; i < outputs.Length; i++) outputs[i] = OnnxTensor.Load(Path.Combine(data, $"output_{i}.pb"));
        return new ConformanceCase(name, model, inputs, outputs);
    }

    /// <summary>Manifest rows as (case, op, domain, opset).</summary>
    public static IReadOnlyList<(string Case, string Op, string Domain, int Opset)> Manifest()
    {
        var rows = new List<(string, string, string, int)>();
        foreach (string line in File.ReadLines(Path.Combine(ConformanceData.OnnxNode, "manifest.tsv")).Skip(1))
        {
            if (line.Length == 0) continue;
            string[] f = line.Split('\t');
            rows.Add((f[0], f[1], f[2], int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture)));
        }
        return rows;
    }

    private static int CountInitializerInputs(OnnxGraph graph)
    {
        int n = 0;
        foreach (OnnxValueInfo input in graph.Inputs)
            if (graph.Initializer(input.Name) is not null) n++;
        return n;
    }
}
