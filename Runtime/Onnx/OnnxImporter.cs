using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx.Mapping;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx;

/// <summary>
/// Imports an ONNX graph into a trainable <see cref="Model"/>: every node is mapped, through a table keyed by op
/// type, to graph nodes over the values named so far, so residual joins and branches import as they are. Weights
/// come from the graph's initializers and are copied in once the whole graph has been checked. An op, domain,
/// opset, attribute value or element type the runtime has no op for raises an <see cref="OnnxImportException"/>
/// naming the node, its op, domain and opset.
/// </summary>
public static class OnnxImporter
{
    /// <summary>The ONNX op types the importer maps (default domain).</summary>
    public static IReadOnlyList<string> SupportedOps => OnnxOpTable.OpTypes;

    public static OnnxImportResult Load(string path, long seed = 1, int maxBatch = 64) =>
        Import(OnnxModel.Load(path), seed, maxBatch);

    public static OnnxImportResult Import(ReadOnlySpan<byte> bytes, long seed = 1, int maxBatch = 64) =>
        Import(OnnxModel.Read(bytes), seed, maxBatch);

    /// <param name="seed">Seeds the model's dropout stream (the weights all come from the graph).</param>
    /// <param name="maxBatch">Rows the model's activation buffers are first sized for.</param>
    public static OnnxImportResult Import(OnnxModel model, long seed = 1, int maxBatch = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        OnnxGraph graph = model.Graph;
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (OnnxTensor t in graph.Initializers) initializers[t.Name] = t;

        // Before IR version 4 the inputs also list the initializers.
        var data = graph.Inputs.Where(i => !initializers.ContainsKey(i.Name)).ToList();
        if (data.Count != 1)
            throw new OnnxImportException($"expected one data input; found {data.Count} ({string.Join(", ", data.Select(d => $"'{d.Name}'"))}).{RecurrentInputs(graph, data)}");
        if (graph.Outputs.Count != 1)
            throw new OnnxImportException($"expected one output; found {graph.Outputs.Count} ({string.Join(", ", graph.Outputs.Select(o => $"'{o.Name}'"))}).");
        OnnxValueInfo input = data[0], output = graph.Outputs[0];
        RequireFloat("input", input);
        RequireFloat("output", output);

        // A recurrent node's Y read only through a Gather of its last step needs only its Y_h: the first pass makes
        // both, the second leaves out what nothing read.
        int inputBatchAxis = InputBatchAxis(input, graph);
        var (context, result) = MapGraph(model, input, output, initializers, inputBatchAxis, new HashSet<(OnnxNode, int)>());
        IReadOnlySet<(OnnxNode, int)> unread = context.UnreadRecurrentOutputs(result.Value!);
        if (unread.Count > 0) (context, result) = MapGraph(model, input, output, initializers, inputBatchAxis, unread);

        Value value = result.Value!;
        if (value.Producer is null)
            throw new OnnxImportException("the graph has no node to import (its output is its input).");
        if (value.Consumers.Count > 0)
            throw new OnnxImportException($"the output '{output.Name}' is also read by a node; the model's output must be the graph's last value.");
        context.RequireAllUsed(value);
        context.Builder.Output(value);

        Model imported = context.Builder.Build(seed, maxBatch);
        context.CopyTensors();
        // Subnormal initializers would slow every product they enter (no flush-to-zero mode in .NET).
        Subnormals.FlushToZero(imported.Parameters.Parameters);
        Subnormals.FlushToZero(imported.Parameters.Buffers);
        return new OnnxImportResult(imported, context.EndsWithSoftmax, inputBatchAxis, result.BatchAxis);
    }

    private static (ImportContext Context, BoundTensor Output) MapGraph(OnnxModel model, OnnxValueInfo input, OnnxValueInfo output,
        Dictionary<string, OnnxTensor> initializers, int inputBatchAxis, IReadOnlySet<(OnnxNode, int)> unread)
    {
        OnnxGraph graph = model.Graph;
        var context = new ImportContext(graph, initializers, model.Opset(""), output.Name, unread);
        TensorShape sample = InputShape(input, graph, initializers, inputBatchAxis);
        context.BindInput(input.Name, new BoundTensor(context.Builder.Input(sample, input.Name), sample.ToArray(), inputBatchAxis));
        foreach (OnnxNode node in graph.Nodes) Map(context, model, node);

        if (!context.TryGetTensor(output.Name, out BoundTensor result))
            throw new OnnxImportException($"the output '{output.Name}' is not computed by any node.");
        if (result.Value is null || result.Value.Producer is null)
            return (context, result);
        // The output keeps ONNX's dimensions per sample (a reshape, which is a view); its batch moves to the front.
        return (context, result with { Value = context.Materialize(OutputNode(graph, output.Name), result, result.Dims) });
    }

    /// <summary>The node that computes the graph output, for messages about it.</summary>
    private static OnnxNode OutputNode(OnnxGraph graph, string name) => graph.Nodes.Last(n => n.Outputs.Contains(name));

    /// <summary>
    /// 1 when the input is time-first: rank 3 and read only by recurrent nodes of layout 0 as their X (and by Shape):
    /// the model then takes [batch, steps, features], the ONNX input with its first two axes swapped. Else 0.
    /// </summary>
    private static int InputBatchAxis(OnnxValueInfo input, OnnxGraph graph)
    {
        if (input.Shape is not { Count: 3 }) return 0;
        var readers = graph.Nodes.Where(n => n.Inputs.Contains(input.Name)).ToList();
        bool recurrent = false;
        foreach (OnnxNode n in readers)
        {
            if (n.OpType == "Shape") continue;
            if (n.OpType is not ("LSTM" or "GRU" or "RNN") || n.Inputs[0] != input.Name || n.Inputs.Skip(1).Contains(input.Name)) return 0;
            if (n.Attribute("layout") is { Type: OnnxAttributeType.Int, I: not 0 }) return 0;
            recurrent = true;
        }
        return recurrent ? 1 : 0;
    }

    private static void Map(ImportContext context, OnnxModel model, OnnxNode node)
    {
        if (node.Domain is not ("" or "ai.onnx"))
            throw new OnnxImportException(node, model.Opset(node.Domain), "the domain is not supported; the importer maps the default ai.onnx domain only.");
        OnnxOpMapping mapping = OnnxOpTable.Find(node.OpType)
            ?? throw context.Fail(node, $"op is not supported; the importer maps {string.Join(", ", SupportedOps)}.");
        context.Require(node, context.Opset >= mapping.SinceOpset && context.Opset <= OnnxOpTable.MaxOpset,
            $"the importer maps {node.OpType} in opsets {mapping.SinceOpset} to {OnnxOpTable.MaxOpset}.");
        context.Require(node, node.Inputs.Count <= mapping.MaxInputs,
            $"{node.Inputs.Count} inputs; {node.OpType} takes at most {mapping.MaxInputs}.");
        try
        {
            mapping.Map(context, node);
        }
        catch (OnnxFormatException e)
        {
            // An attribute of another type than the op defines: well-formed protobuf, but not this op.
            throw context.Fail(node, e.Detail);
        }
    }

    /// <summary>
    /// The input's sample shape from its declared shape; an input declared without one (or with a symbolic
    /// feature count) takes the width of the Gemm or MatMul that reads it.
    /// </summary>
    private static TensorShape InputShape(OnnxValueInfo input, OnnxGraph graph, Dictionary<string, OnnxTensor> initializers, int batchAxis)
    {
        IReadOnlyList<long?>? shape = input.Shape;
        // A time-first input: the model's samples are the ONNX tensor's with the batch (axis 1) moved to the front.
        if (batchAxis != 0 && shape is not null) shape = [shape[batchAxis], .. shape.Where((_, i) => i != batchAxis)];
        if (shape is { Count: < 2 })
            throw new OnnxImportException($"input '{input.Name}' has rank {shape.Count}; expected [batch, features…].");
        if (shape is { Count: > TensorShape.MaxRank + 1 })
            throw new OnnxImportException($"input '{input.Name}' has rank {shape.Count}; at most {TensorShape.MaxRank + 1} (the batch and {TensorShape.MaxRank} sample dimensions) are supported.");
        if (shape is not null && shape.Skip(1).All(d => d is not null))
        {
            var dims = new int[shape.Count - 1];
            long length = 1;
            for (int i = 0; i < dims.Length; i++)
            {
                long d = shape[i + 1]!.Value;
                length *= Math.Max(d, 1);
                if (d <= 0 || length > int.MaxValue)
                    throw new OnnxImportException($"input '{input.Name}' has shape [{string.Join(", ", shape.Select(s => s?.ToString() ?? "N"))}]; each sample needs positive sizes of at most {int.MaxValue} values in all.");
                dims[i] = (int)d;
            }
            return new TensorShape(dims);
        }
        if (shape is null or { Count: 2 })
        {
            foreach (OnnxNode node in graph.Nodes)
                if (node.Inputs.Count > 0 && node.Inputs[0] == input.Name && DenseMapping.InputWidth(node, initializers) is int width)
                    return new TensorShape(width);
        }
        throw new OnnxImportException($"the width of input '{input.Name}' is unknown: give the input a shape, or read it with Gemm/MatMul first.");
    }

    /// <summary>What the extra inputs are to the recurrent nodes they feed, for the message that refuses them.</summary>
    private static string RecurrentInputs(OnnxGraph graph, List<OnnxValueInfo> data)
    {
        string[] roles = ["X", "W", "R", "B", "sequence_lens", "initial_h", "initial_c", "P"];
        var found = new List<string>();
        foreach (OnnxNode node in graph.Nodes.Where(n => n.OpType is "LSTM" or "GRU" or "RNN"))
            for (int i = 4; i < Math.Min(node.Inputs.Count, roles.Length); i++)
                if (data.Any(d => d.Name == node.Inputs[i])) found.Add($"'{node.Inputs[i]}' is {roles[i]} of {node.OpType} node '{node.DisplayName}'");
        return found.Count == 0 ? "" : $" {string.Join("; ", found)}: a model has one data input, so per-sample lengths and initial states cannot be fed (leave them out for full lengths and zero states).";
    }

    private static void RequireFloat(string role, OnnxValueInfo value)
    {
        // A value info without a type (Undefined) says nothing; any declared type must be float.
        if (value.ElementType is not (OnnxDataType.Float or OnnxDataType.Undefined))
            throw new OnnxImportException($"{role} '{value.Name}' holds {value.ElementType}; the runtime computes in Float (float32).");
    }
}
