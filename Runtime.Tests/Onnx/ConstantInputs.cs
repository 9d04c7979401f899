using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// A single-node case rewritten for the importer: ONNX's node tests feed weights (Conv's W, BatchNormalization's
/// scale, bias, mean and variance) as graph inputs, while an imported model has one data input and constant weights.
/// Every graph input after the first becomes an initializer holding the case's data for it; the node, its
/// attributes, the opset and the first input keep what the case gives (the first dimension is the batch). The graph
/// outputs only the node's first output, so a node whose further outputs we do not import (BatchNormalization's
/// running statistics, MaxPool's Indices) reaches the node's own check rather than the graph's one-output rule.
/// </summary>
internal static class ConstantInputs
{
    public static byte[] Model(ConformanceCase c)
    {
        OnnxNode node = c.Node;
        OnnxGraph graph = c.Model.Graph;
        var initializers = new List<Action<ProtoWriter>>();
        for (int i = 1; i < c.Inputs.Length; i++)
            initializers.Add(Tensor(graph.Inputs[i].Name, [.. c.Inputs[i].Dims], c.Inputs[i].Floats.ToArray()));
        return OnnxWriter.Model(
            [Node(node.OpType, [.. node.Inputs], [.. node.Outputs], [.. node.Attributes.Select(Attribute)])],
            [.. initializers],
            [Value(graph.Inputs[0].Name, [null, .. c.Inputs[0].Dims.Skip(1).Select(d => (long?)d)])],
            [Value(graph.Outputs[0].Name, [null, .. c.Outputs[0].Dims.Skip(1).Select(d => (long?)d)])],
            c.Model.Opset(""));
    }

    private static Action<ProtoWriter> Attribute(OnnxAttribute a) => a.Type switch
    {
        OnnxAttributeType.Int => IntAttribute(a.Name, a.I),
        OnnxAttributeType.Float => FloatAttribute(a.Name, a.F),
        OnnxAttributeType.String => StringAttribute(a.Name, a.String),
        OnnxAttributeType.Ints => IntsAttribute(a.Name, [.. a.Ints]),
        OnnxAttributeType.Floats => FloatsAttribute(a.Name, [.. a.Floats]),
        _ => throw new NotSupportedException($"attribute '{a.Name}' of type {a.Type} is not rewritten."),
    };
}
