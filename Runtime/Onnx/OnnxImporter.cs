using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx.Folding;
using Simd.Runtime.Onnx.Mapping;
using Simd.Runtime.Ops;
using Simd.Runtime.Passes;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx;

/// <summary>
/// Imports an ONNX graph into a trainable <see cref="Model"/>: every node is mapped, through a table keyed by op
/// type, to graph nodes over the values named so far, so residual joins and branches import as they are. A node
/// whose inputs are all constant is folded at import (<see cref="ConstantFolding"/>) into a constant that later
/// nodes read as an initializer. Weights come from the graph's initializers and are copied in once the whole graph
/// has been checked. A graph without a batch axis imports as one sample (<see cref="OnnxBatchMode.OneSample"/>). An op, domain,
/// opset, attribute value or element type the runtime has no op for raises an <see cref="OnnxImportException"/>
/// naming the node, its op, domain and opset.
/// </summary>
public static class OnnxImporter
{
    /// <summary>The ONNX op types the importer maps (default domain).</summary>
    public static IReadOnlyList<string> SupportedOps => OnnxOpTable.OpTypes;

    public static OnnxImportResult Load(string path, long seed = 1, int maxBatch = 64, OnnxBatchMode batchMode = OnnxBatchMode.FirstAxis)
    {
        // The file's bytes are needed only until the weights are copied into the model, at the end of the import.
        using var file = OnnxFileBuffer.Read(path);
        return Import(OnnxModel.Read(file.Memory), seed, maxBatch, batchMode);
    }

    /// <summary>
    /// The import behind <see cref="InferenceModel.LoadOnnx"/>: the graph mapped as for <see cref="Load"/>, then frozen
    /// straight from the file. No trainable model is built: the inference passes read the file's tensors, and the
    /// freeze writes each one (Gemm's transpose included) once, into the frozen model's block. A graph with an op
    /// whose tensors the file does not all give (initial values drawn) goes through a model built to be frozen.
    /// </summary>
    internal static InferenceModel LoadFrozen(string path, InferenceOptions? options, OnnxBatchMode batchMode)
    {
        using var file = OnnxFileBuffer.Read(path);
        var (context, results, inputAxes) = MapChecked(OnnxModel.Read(file.Memory), batchMode);
        Graph graph = context.Builder.BuildGraph();
        if (graph.Nodes.All(n => n.Op.TensorSpecs().Length == 0 || context.SetsEveryTensorOf(n.Op)))
            return InferenceModel.Freeze(new PassGraph(graph, context.Source), options);
        // Only frozen: no gradients or optimizer state, and the freeze flushes the subnormals it copies.
        using var model = new Model(graph, seed: 1, maxBatch: 1, trainable: false);
        model.Initialize(op => !context.SetsEveryTensorOf(op));
        context.CopyTensors();
        return InferenceModel.Freeze(model, options);
    }

    public static OnnxImportResult Import(ReadOnlySpan<byte> bytes, long seed = 1, int maxBatch = 64, OnnxBatchMode batchMode = OnnxBatchMode.FirstAxis) =>
        Import(OnnxModel.Read(bytes), seed, maxBatch, batchMode);

    /// <param name="seed">Seeds the model's dropout stream (the weights all come from the graph).</param>
    /// <param name="maxBatch">Rows the model's activation buffers are first sized for.</param>
    /// <param name="batchMode">Where the batch is: each input's first axis, or none (the graph's tensors are one sample).</param>
    public static OnnxImportResult Import(OnnxModel model, long seed = 1, int maxBatch = 64, OnnxBatchMode batchMode = OnnxBatchMode.FirstAxis)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        var (context, results, inputAxes) = MapChecked(model, batchMode);
        return Build(context, results, inputAxes, batchMode, seed, maxBatch);
    }

    /// <summary>Every node mapped and the graph's inputs and outputs checked and bound; nothing built yet.</summary>
    private static (ImportContext Context, BoundTensor[] Results, int[] InputAxes) MapChecked(OnnxModel model, OnnxBatchMode batchMode)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Enum.IsDefined(batchMode)) throw new ArgumentOutOfRangeException(nameof(batchMode), batchMode, "expected FirstAxis or OneSample.");
        bool oneSample = batchMode == OnnxBatchMode.OneSample;
        OnnxGraph graph = model.Graph;
        var initializers = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        foreach (OnnxTensor t in graph.Initializers) initializers[t.Name] = t;

        // Before IR version 4 the inputs also list the initializers.
        var data = graph.Inputs.Where(i => !initializers.ContainsKey(i.Name)).ToList();
        if (data.Count == 0) throw new OnnxImportException("the graph has no data input (every input is an initializer).");
        if (graph.Outputs.Count == 0) throw new OnnxImportException("the graph has no output.");
        foreach (OnnxValueInfo input in data)
            if (!IsUpdateCount(input, graph) && (oneSample || !IsLengths(input, graph))) RequireFloat("input", input);
        foreach (OnnxValueInfo output in graph.Outputs) RequireFloat("output", output);
        if (graph.Outputs.Select(o => o.Name).Distinct(StringComparer.Ordinal).Count() != graph.Outputs.Count)
            throw new OnnxImportException("the graph names one value as two of its outputs.");
        if (data.GroupBy(i => i.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new OnnxImportException($"the graph declares the input '{twice.Key}' {twice.Count()} times.");

        // A recurrent node's Y read only through a Gather of its last step needs only its Y_h: the first pass makes
        // both, the second leaves out what nothing read.
        // One sample: no ONNX axis is the batch (-1 in the bindings, see BoundTensor).
        int[] inputAxes = [.. data.Select(i => oneSample ? -1 : InputBatchAxis(i, graph))];
        var (context, results) = MapGraph(model, data, initializers, inputAxes, new HashSet<(OnnxNode, int)>(), oneSample);
        IReadOnlySet<(OnnxNode, int)> unread = context.UnreadRecurrentOutputs([.. results.Select(r => r.Value!)]);
        if (unread.Count > 0) (context, results) = MapGraph(model, data, initializers, inputAxes, unread, oneSample);

        Value[] values = [.. results.Select(r => r.Value!)];
        context.RequireAllUsed(values);
        foreach (Value input in context.Builder.Inputs)
        {
            if (input.Consumers.Count == 0 && !values.Contains(input))
                throw new OnnxImportException($"the input '{input.Name}' is read by no node; a model's every input must feed it.");
        }
        for (int k = 0; k < values.Length; k++)
        {
            if (values.Take(k).Contains(values[k]))
                throw new OnnxImportException($"the outputs '{graph.Outputs[values.Take(k).ToList().IndexOf(values[k])].Name}' and '{graph.Outputs[k].Name}' are one value; a model outputs each value once.");
            context.Builder.Output(values[k]);
        }
        return (context, results, inputAxes);
    }

    private static OnnxImportResult Build(ImportContext context, BoundTensor[] results, int[] inputAxes, OnnxBatchMode batchMode, long seed, int maxBatch)
    {
        Model imported;
        try
        {
            // Ops whose every tensor comes from the file skip drawing initial values (most of a warm load's time).
            imported = context.Builder.Build(seed, maxBatch, op => !context.SetsEveryTensorOf(op));
        }
        catch (ArgumentException e)
        {
            // The activation plan for maxBatch rows: sizes the graph declares that no arena can hold.
            throw new OnnxImportException($"the graph cannot be planned for batches of {maxBatch}: {e.Message}");
        }
        context.CopyTensors();
        // Subnormal initializers would slow every product they enter (no flush-to-zero mode in .NET).
        Subnormals.FlushToZero(imported.Parameters.Parameters);
        Subnormals.FlushToZero(imported.Parameters.Buffers);
        return new OnnxImportResult(imported, context.EndsWithSoftmax, [.. inputAxes.Select(a => Math.Max(a, 0))],
            [.. results.Select(r => Math.Max(r.BatchAxis, 0))], batchMode);
    }

    private static (ImportContext Context, BoundTensor[] Outputs) MapGraph(OnnxModel model, List<OnnxValueInfo> inputs,
        Dictionary<string, OnnxTensor> initializers, int[] inputAxes, IReadOnlySet<(OnnxNode, int)> unread, bool oneSample)
    {
        OnnxGraph graph = model.Graph;
        var context = new ImportContext(graph, initializers, model.Opset(""), [.. graph.Outputs.Select(o => o.Name)], unread, oneSample);
        for (int k = 0; k < inputs.Count; k++)
        {
            OnnxValueInfo input = inputs[k];
            if (oneSample)
            {
                int[] dims = WholeShape(input);
                // A scalar (rank 0) is one value: the model takes it as [1], the ONNX tensor keeps no axis.
                context.BindInput(input.Name, new BoundTensor(context.Builder.Input(dims.Length == 0 ? new TensorShape(1) : new TensorShape(dims), input.Name), dims, -1));
                continue;
            }
            if (IsLengths(input, graph))
            {
                // sequence_lens [N]: one length per sample, which the model takes as a float.
                context.BindInput(input.Name, new BoundTensor(context.Builder.Input(new TensorShape(1), input.Name), [], 0));
                continue;
            }
            TensorShape sample = InputShape(input, graph, initializers, inputAxes[k]);
            context.BindInput(input.Name, new BoundTensor(context.Builder.Input(sample, input.Name), sample.ToArray(), inputAxes[k]));
        }
        foreach (OnnxNode node in graph.Nodes) Map(context, model, node);

        var results = new BoundTensor[graph.Outputs.Count];
        for (int k = 0; k < results.Length; k++)
        {
            string name = graph.Outputs[k].Name;
            if (!context.TryGetTensor(name, out BoundTensor result))
                throw new OnnxImportException($"the output '{name}' is not computed by any node.");
            // Inside the graph a scalar is a value of shape [1]; an output must keep ONNX's shape.
            if (oneSample && (graph.Outputs[k].Shape is { Count: 0 } || result.Dims.Length == 0) && result.Value is { SampleShape.Rank: > 0 })
                throw new OnnxImportException($"output '{name}' is a scalar (rank 0); imported as one sample, an output needs 1 to {TensorShape.MaxRank} dimensions (a scalar input is read as one value of shape [1]).");
            // An output keeps ONNX's dimensions per sample (a reshape, which is a view); its batch moves to the front.
            // A graph input named as an output (an Identity, a Transpose that moves nothing) gets a reshape to its own
            // shape: a model's output is computed by a node.
            if (result.Value is { Producer: null } input)
                results[k] = result with { Value = context.Builder.Single(new ReshapeOp(result.Dims), input) };
            else
                results[k] = result.Value is null ? result : result with { Value = context.Materialize(OutputNode(graph, name), result, result.Dims) };
        }
        return (context, results);
    }

    /// <summary>The node that computes the graph output, for messages about it.</summary>
    private static OnnxNode OutputNode(OnnxGraph graph, string name) => graph.Nodes.Last(n => n.Outputs.Contains(name));

    /// <summary>
    /// 1 when the input is time-first: rank 3 and read only by recurrent nodes of layout 0 as their X ([steps, N,
    /// features]) or initial state ([directions, N, hidden]), and by Shape: the model then takes the ONNX input with
    /// its first two axes swapped. Else 0.
    /// </summary>
    private static int InputBatchAxis(OnnxValueInfo input, OnnxGraph graph)
    {
        if (input.Shape is not { Count: 3 }) return 0;
        bool recurrent = false;
        foreach (OnnxNode n in graph.Nodes.Where(n => n.Inputs.Contains(input.Name)))
        {
            if (n.OpType == "Shape") continue;
            if (n.OpType is not ("LSTM" or "GRU" or "RNN") || n.Attribute("layout") is { Type: OnnxAttributeType.Int, I: not 0 }) return 0;
            for (int i = 0; i < n.Inputs.Count; i++)
                if (n.Inputs[i] == input.Name && i is not (0 or 5 or 6)) return 0;
            recurrent = true;
        }
        return recurrent ? 1 : 0;
    }

    /// <summary>
    /// An int64 scalar read only as the update count T (input 1) of the training domain's optimizers: the model takes
    /// it as a float, which holds every count below 2²⁴ exactly.
    /// </summary>
    private static bool IsUpdateCount(OnnxValueInfo input, OnnxGraph graph)
    {
        if (input.Shape is not { Count: 0 } || input.ElementType != OnnxDataType.Int64) return false;
        var readers = graph.Nodes.Where(n => n.Inputs.Contains(input.Name)).ToList();
        return readers.Count > 0 && readers.All(n => OptimizerMapping.IsOptimizer(n)
            && Enumerable.Range(0, n.Inputs.Count).All(i => n.Inputs[i] != input.Name || i == 1));
    }

    /// <summary>An input of rank 1 read only as the sequence_lens of recurrent nodes: the model takes it as [1] per sample.</summary>
    private static bool IsLengths(OnnxValueInfo input, OnnxGraph graph)
    {
        if (input.Shape is not { Count: 1 }) return false;
        var readers = graph.Nodes.Where(n => n.Inputs.Contains(input.Name)).ToList();
        return readers.Count > 0 && readers.All(n => n.OpType is "LSTM" or "GRU" or "RNN"
            && Enumerable.Range(0, n.Inputs.Count).All(i => n.Inputs[i] != input.Name || i == 4));
    }

    private static void Map(ImportContext context, OnnxModel model, OnnxNode node)
    {
        if (node.Domain is not ("" or "ai.onnx") && !OptimizerMapping.IsOptimizer(node))
            throw new OnnxImportException(node, model.Opset(node.Domain), "the domain is not supported; the importer maps the default ai.onnx domain, and Adam, Adagrad and Momentum of ai.onnx.preview.training.");
        try
        {
            if (ConstantFolding.TryFold(context, node)) return;
        }
        catch (OnnxFormatException e)
        {
            throw context.Fail(node, e.Detail);
        }
        OnnxOpMapping mapping = OnnxOpTable.Find(node.OpType)
            ?? throw context.Fail(node, $"op is not supported; the importer maps {string.Join(", ", SupportedOps)}.");
        if (context.OneSample) OneSampleOps.Require(context, node);
        if (OptimizerMapping.IsOptimizer(node))
            context.Require(node, model.Opset(node.Domain) == 1, $"the importer maps {node.OpType} of {node.Domain} opset 1.");
        else
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

    /// <summary>An input imported as one sample: its declared shape, every dimension static and positive.</summary>
    private static int[] WholeShape(OnnxValueInfo input)
    {
        IReadOnlyList<long?>? shape = input.Shape;
        string text = shape is null ? "" : $"[{string.Join(", ", shape.Select(s => s?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"))}]";
        if (shape is null || shape.Any(d => d is null))
            throw new OnnxImportException($"input '{input.Name}' has {(shape is null ? "no declared shape" : $"shape {text}")}; imported as one sample, every dimension must be given.") { OneSampleOnly = true };
        if (shape.Count > TensorShape.MaxRank)
            throw new OnnxImportException($"input '{input.Name}' has rank {shape.Count}; imported as one sample, at most {TensorShape.MaxRank} dimensions are supported.");
        long length = 1;
        foreach (long? d in shape)
        {
            length *= Math.Max(d!.Value, 1);
            if (d <= 0 || length > int.MaxValue)
                throw new OnnxImportException($"input '{input.Name}' has shape {text}; a sample needs positive sizes of at most {int.MaxValue} values in all.");
        }
        return [.. shape.Select(d => (int)d!.Value)];
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
            throw new OnnxImportException($"input '{input.Name}' has rank {shape.Count}; expected [batch, features…] (a graph without a batch axis imports as one sample).");
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
