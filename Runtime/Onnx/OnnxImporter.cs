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
            throw new OnnxImportException($"expected one data input; found {data.Count} ({string.Join(", ", data.Select(d => $"'{d.Name}'"))}).");
        if (graph.Outputs.Count != 1)
            throw new OnnxImportException($"expected one output; found {graph.Outputs.Count} ({string.Join(", ", graph.Outputs.Select(o => $"'{o.Name}'"))}).");
        OnnxValueInfo input = data[0], output = graph.Outputs[0];
        RequireFloat("input", input);
        RequireFloat("output", output);

        var context = new ImportContext(graph, initializers, model.Opset(""), output.Name);
        context.BindInput(input.Name, context.Builder.Input(InputShape(input, graph, initializers), input.Name));
        foreach (OnnxNode node in graph.Nodes) Map(context, model, node);

        if (!context.TryGetValue(output.Name, out Value result))
            throw new OnnxImportException($"the output '{output.Name}' is not computed by any node.");
        if (result.Producer is null)
            throw new OnnxImportException("the graph has no node to import (its output is its input).");
        if (result.Consumers.Count > 0)
            throw new OnnxImportException($"the output '{output.Name}' is also read by a node; the model's output must be the graph's last value.");
        context.RequireAllUsed(result);
        context.Builder.Output(result);

        Model imported = context.Builder.Build(seed, maxBatch);
        context.CopyTensors();
        // Subnormal initializers would slow every product they enter (no flush-to-zero mode in .NET).
        Subnormals.FlushToZero(imported.Parameters.Parameters);
        Subnormals.FlushToZero(imported.Parameters.Buffers);
        return new OnnxImportResult(imported, context.EndsWithSoftmax);
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
    private static TensorShape InputShape(OnnxValueInfo input, OnnxGraph graph, Dictionary<string, OnnxTensor> initializers)
    {
        IReadOnlyList<long?>? shape = input.Shape;
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

    private static void RequireFloat(string role, OnnxValueInfo value)
    {
        // A value info without a type (Undefined) says nothing; any declared type must be float.
        if (value.ElementType is not (OnnxDataType.Float or OnnxDataType.Undefined))
            throw new OnnxImportException($"{role} '{value.Name}' holds {value.ElementType}; the runtime computes in Float (float32).");
    }
}
