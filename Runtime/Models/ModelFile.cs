using System.Buffers.Binary;
using Simd.Runtime.Graphs;
using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Serialization;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Models;

/// <summary>
/// The graph and its tensors in a <see cref="ModelContainer"/> (format version 2): <c>model.*</c> entries describe
/// the model, <c>input.{i}.*</c> the graph inputs, <c>node.{i}.op</c> each node by registry name with its input value
/// numbers, <c>node.{i}.attr.{name}</c> its settings by stable names and <c>node.{i}.tensor.{name}</c> its tensors;
/// <c>graph.outputs</c> the output values. Values are numbered inputs first, then each node's outputs in node
/// order. Version-1 files (a chain of layers) still load. Checkpoints add their own entries beside these.
/// </summary>
public sealed partial class Model
{
    /// <summary>Value of the <c>model.format</c> entry this code writes.</summary>
    public const string FormatName = "simd.graph";

    /// <summary>Value of the <c>model.version</c> entry this code writes.</summary>
    public const int FormatVersion = 2;

    private const int MaxNodes = 1 << 16;
    private const int MaxGraphInputsOrOutputs = 1 << 10;
    internal const int MaxFeatures = 1 << 24;

    /// <summary>Writes architecture and weights to <paramref name="path"/> (atomically: temporary file, then rename).</summary>
    public void Save(string path)
    {
        var container = new ModelContainer();
        WriteTo(container);
        container.Save(path);
    }

    /// <summary>Loads a model saved by <see cref="Save"/>, planned for batches of up to <paramref name="maxBatch"/> rows.</summary>
    public static Model Load(string path, int maxBatch = 64) => ReadFrom(ModelContainer.Load(path), maxBatch);

    /// <summary>Adds the graph, parameters, running statistics and dropout stream to a container.</summary>
    public void WriteTo(ModelContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        container.SetString("model.format", FormatName);
        container.SetInt64("model.version", FormatVersion);
        container.SetInt64("model.seed", Seed);
        container.SetInt64("graph.inputs", Graph.Inputs.Count);
        for (int i = 0; i < Graph.Inputs.Count; i++)
        {
            container.SetString($"input.{i}.name", Graph.Inputs[i].Name);
            container.SetBytes($"input.{i}.shape", Int64s(Array.ConvertAll(Graph.Inputs[i].SampleShape.ToArray(), d => (long)d)));
        }
        container.SetInt64("graph.nodes", _nodes.Length);
        for (int n = 0; n < _nodes.Length; n++)
        {
            var node = _nodes[n];
            string p = $"node.{n}.";
            container.SetString(p + "op", node.Op.Kind);
            container.SetBytes(p + "inputs", Int64s([.. node.Inputs.Select(v => (long)v.Id)]));
            var attributes = new OpAttributes(node.Op.Kind);
            node.Op.WriteAttributes(attributes);
            foreach (string name in attributes.Names)
            {
                switch (attributes[name])
                {
                    case long l: container.SetInt64(p + "attr." + name, l); break;
                    case double d: container.SetDouble(p + "attr." + name, d); break;
                    case string s: container.SetString(p + "attr." + name, s); break;
                    case long[] list: container.SetBytes(p + "attr." + name, Int64s(list)); break;
                }
            }
            for (int t = 0; t < node.Op.Tensors.Count; t++)
                container.SetTensor(p + "tensor." + node.Op.Tensors[t].Name, node.Op.Tensors[t].Shape.ToArray(), node.Op.TensorData(t));
        }
        container.SetBytes("graph.outputs", Int64s([.. Graph.Outputs.Select(v => (long)v.Id)]));
        Span<ulong> state = stackalloc ulong[DeterministicRandom.StateLength];
        DropoutRandom.GetState(state);
        container.SetBytes("model.dropout_random", StateBytes(state));
    }

    /// <summary>
    /// Builds a model from a container written by <see cref="WriteTo"/> (or a version-1 file), validating every entry
    /// first, planned for batches of up to <paramref name="maxBatch"/> rows: its activations for them must stay within
    /// the container's <see cref="ModelFileLimits.MaxActivationBytes"/>.
    /// </summary>
    /// <exception cref="ModelFormatException">An entry is damaged, missing or of another type: the container does not
    /// hold a complete model, or one whose activations pass the limit.</exception>
    public static Model ReadFrom(ModelContainer container, int maxBatch = 64)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        return Read(container, new ModelFileActivations(container.Limits, maxBatch, serving: false), maxBatch);
    }

    /// <summary>
    /// A model to be frozen for serving batches of up to <paramref name="servingBatch"/> rows: its activations are
    /// bounded for serving them, and its training arena (one row) is never allocated.
    /// </summary>
    internal static Model ReadForServing(ModelContainer container, int servingBatch)
    {
        ArgumentNullException.ThrowIfNull(container);
        return Read(container, new ModelFileActivations(container.Limits, servingBatch, serving: true), maxBatch: 1);
    }

    private static Model Read(ModelContainer container, ModelFileActivations activations, int maxBatch)
    {
        try
        {
            string format = container.GetString("model.format");
            long version = container.GetInt64("model.version");
            bool versionOne = format == ModelFileV1.FormatName && version == 1;
            if (!versionOne && format != FormatName) throw Bad("model.format", $"is '{format}', expected '{FormatName}' (or '{ModelFileV1.FormatName}' of version 1)");
            if (!versionOne && version != FormatVersion) throw Bad("model.version", $"is {version}, this code reads version {FormatVersion} (and version 1)");
            var model = versionOne ? ModelFileV1.Build(container, maxBatch) : Build(container, maxBatch, activations);
            try
            {
                if (versionOne) activations.CheckPlan(model.Graph);
                model.ReadStateFrom(container);
            }
            catch
            {
                model.Dispose();
                throw;
            }
            return model;
        }
        // A sound container that lacks an entry or holds one of another type is, for a model, a bad file.
        catch (ModelEntryNotFoundException e)
        {
            throw new ModelFormatException($"entry '{e.EntryName}'", null, "is missing: the file does not hold a complete model", container.SourcePath);
        }
        catch (ModelEntryTypeException e)
        {
            throw new ModelFormatException($"entry '{e.EntryName}'", null, e.Detail, container.SourcePath);
        }
        catch (ModelFormatException e) when (container.SourcePath is string path)
        {
            throw e.WithPath(path);
        }
    }

    /// <summary>
    /// The graph from its entries: every op through the registry, every size through shape inference, every tensor's
    /// declared shape against the file's and every node's values against the activation bound before anything the
    /// sizes would allocate is allocated.
    /// </summary>
    private static Model Build(ModelContainer container, int maxBatch, ModelFileActivations activations)
    {
        var builder = new GraphBuilder();
        var values = new List<Value>();
        int inputs = Range(container.GetInt64("graph.inputs"), 1, MaxGraphInputsOrOutputs, "graph.inputs");
        for (int i = 0; i < inputs; i++)
        {
            string field = $"input.{i}.shape";
            long[] dims = ReadInt64s(container.GetBytes(field), field);
            if (dims.Length is 0 or > TensorShape.MaxRank) throw Bad(field, $"has {dims.Length} dimensions, expected 1 to {TensorShape.MaxRank}");
            int[] shape = Array.ConvertAll(dims, d => Range(d, 1, MaxFeatures, field));
            if (shape.Aggregate(1L, (p, d) => p * d) > MaxFeatures) throw Bad(field, $"holds more than {MaxFeatures} values per sample");
            values.Add(builder.Input(new TensorShape(shape), container.GetString($"input.{i}.name")));
            activations.AddInput(values[^1]);
        }
        int count = Range(container.GetInt64("graph.nodes"), 1, MaxNodes, "graph.nodes");
        var producers = new List<int>(values.Select(_ => -1));   // the file's node number of each value, for messages
        for (int n = 0; n < count; n++)
        {
            string p = $"node.{n}.";
            var op = ReadOp(container, p);
            long[] inputIds = ReadInt64s(container.GetBytes(p + "inputs"), p + "inputs");
            var nodeInputs = new Value[inputIds.Length];
            for (int i = 0; i < inputIds.Length; i++)
                nodeInputs[i] = inputIds[i] >= 0 && inputIds[i] < values.Count
                    ? values[(int)inputIds[i]]
                    : throw Bad(p + "inputs", $"names value {inputIds[i]}, but only values 0..{values.Count - 1} exist before this node");
            IReadOnlyList<Value> outputs;
            try
            {
                outputs = builder.Node(op, nodeInputs);
            }
            catch (ArgumentException e)
            {
                // The builder's message names its own node names; the file numbers its nodes, so say what the op said.
                string why = Plain(e.InnerException as ArgumentException ?? e);
                throw Bad(p + "inputs", $"(values {string.Join(", ", inputIds)}) do not fit the {op.Kind} op: {why}");
            }
            values.AddRange(outputs);
            producers.AddRange(outputs.Select(_ => n));
            foreach (var spec in op.TensorSpecs()) ExpectShape(container, p + "tensor." + spec.Name, spec.Shape);
            activations.CheckNode(outputs[0].Producer!, p + "op");
        }
        long[] outputIds = ReadInt64s(container.GetBytes("graph.outputs"), "graph.outputs");
        if (outputIds.Length is 0 or > MaxGraphInputsOrOutputs)
            throw Bad("graph.outputs", $"names {outputIds.Length} values, expected 1 to {MaxGraphInputsOrOutputs}");
        foreach (long id in outputIds)
        {
            if (id < 0 || id >= values.Count) throw Bad("graph.outputs", $"names value {id}, but the graph has values 0..{values.Count - 1}");
            if (values[(int)id].IsGraphOutput) throw Bad("graph.outputs", $"names value {id} twice");
            builder.Output(values[(int)id]);
        }
        for (int v = 0; v < inputs; v++)
        {
            if (values[v].Consumers.Count == 0 && !values[v].IsGraphOutput)
                throw Bad("graph.inputs", $"is {inputs}, but input {v} ('{values[v].Name}') is read by no node");
        }
        // The one input feeds node 0 (every op takes an input); a node's output may feed nothing.
        for (int v = (int)inputs; v < values.Count; v++)
        {
            if (values[v].Consumers.Count == 0 && !values[v].IsGraphOutput)
                throw Bad($"node.{producers[v]}.op", $"({values[v].Producer!.Op.Kind}) computes value {v}, which no node uses and graph.outputs does not name");
        }
        Graph graph;
        try
        {
            graph = builder.BuildGraph();
        }
        catch (InvalidOperationException e)
        {
            throw Bad("graph.outputs", e.Message);
        }
        long seed = container.GetInt64("model.seed");
        activations.CheckPlan(graph);
        try
        {
            return new Model(graph, seed, maxBatch);
        }
        catch (ArgumentException e)
        {
            throw Bad("graph.nodes", Plain(e));
        }
        catch (OverflowException)
        {
            throw Bad("graph.nodes", "the sizes overflow memory");
        }
    }

    /// <summary>
    /// An argument message as a detail of a file's entry: without what .NET appends (the parameter name, which a
    /// file's reader has none of, and the actual value) and the closing full stop (the other details have none).
    /// </summary>
    internal static string Plain(ArgumentException e)
    {
        int appended = e.Message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return (appended >= 0 ? e.Message[..appended] : e.Message).TrimEnd('.');
    }

    private static Op ReadOp(ModelContainer container, string p)
    {
        string kind = container.GetString(p + "op");
        if (!OpRegistry.IsKnown(kind)) throw Bad(p + "op", $"is '{kind}', which is not an op; expected one of {string.Join(", ", OpRegistry.Kinds)}");
        var attributes = new OpAttributes(kind);
        string prefix = p + "attr.";
        foreach (string name in container.Names)
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            string attribute = name[prefix.Length..];
            switch (container.TypeOf(name))
            {
                case ModelEntryType.Int64: attributes.Set(attribute, container.GetInt64(name)); break;
                case ModelEntryType.Double: attributes.Set(attribute, container.GetDouble(name)); break;
                case ModelEntryType.String: attributes.Set(attribute, container.GetString(name)); break;
                case ModelEntryType.Bytes: attributes.Set(attribute, ReadInt64s(container.GetBytes(name), name)); break;
                default: throw Bad(name, "is a tensor, but op settings are numbers, strings or lists of integers");
            }
        }
        Op op;
        try
        {
            op = OpRegistry.Create(attributes);
        }
        catch (OpAttributeException e)
        {
            throw Bad(prefix + e.Attribute, e.Detail);
        }
        catch (ArgumentException e)
        {
            throw Bad(p + "op", $"({kind}) cannot be made from the settings {attributes}: {Plain(e)}");
        }
        // A misspelt optional setting would otherwise be ignored silently and the op built with its default.
        var known = new OpAttributes(kind);
        op.WriteAttributes(known);
        foreach (string name in attributes.Names)
        {
            if (!known.Contains(name))
                throw Bad(prefix + name, $"is not a setting of {kind}; its settings are {(known.Names.Count == 0 ? "none" : string.Join(", ", known.Names))}");
        }
        return op;
    }

    /// <summary>
    /// Copies parameters, running statistics and the dropout stream from a container into this model, after
    /// checking that the container describes the same graph. Subnormal values are read as +0.
    /// </summary>
    public void ReadStateFrom(ModelContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        CheckSameGraph(container);
        if (container.GetString("model.format") == ModelFileV1.FormatName)
        {
            ModelFileV1.ReadState(this, container);
        }
        else
        {
            for (int n = 0; n < _nodes.Length; n++)
            {
                var op = _nodes[n].Op;
                for (int t = 0; t < op.Tensors.Count; t++)
                    CopyTensor(container, $"node.{n}.tensor.{op.Tensors[t].Name}", op.Tensors[t].Shape, op.TensorData(t));
            }
        }
        DropoutRandom.SetState(ReadState(container.GetBytes("model.dropout_random"), "model.dropout_random"));
        // Subnormal weights or statistics would slow every product they enter (no flush-to-zero mode in .NET).
        Subnormals.FlushToZero(Parameters.Parameters);
        Subnormals.FlushToZero(Parameters.Buffers);
    }

    /// <summary>
    /// Checks, changing nothing, that a container holds this model's graph: the same nodes, wired the same way, with
    /// the same settings and tensor shapes, and a valid dropout stream. <see cref="ReadStateFrom"/> and checkpoint
    /// loading call it before they copy anything, so a mismatch leaves the model as it was.
    /// </summary>
    internal void CheckSameGraph(ModelContainer container)
    {
        if (container.GetString("model.format") != ModelFileV1.FormatName)
        {
            long count = container.GetInt64("graph.nodes");
            if (count != _nodes.Length) throw Bad("graph.nodes", $"is {count}, this model has {_nodes.Length} nodes");
            for (int n = 0; n < _nodes.Length; n++)
            {
                string p = $"node.{n}.";
                string kind = container.GetString(p + "op");
                var op = _nodes[n].Op;
                if (kind != op.Kind) throw Bad(p + "op", $"is '{kind}', this model has '{op.Kind}' there");
                ExpectSameNode(container, p, _nodes[n]);
                for (int t = 0; t < op.Tensors.Count; t++) ExpectShape(container, p + "tensor." + op.Tensors[t].Name, op.Tensors[t].Shape);
            }
        }
        ReadState(container.GetBytes("model.dropout_random"), "model.dropout_random");
    }

    /// <summary>
    /// Same inputs and settings: a checkpoint of a graph wired otherwise, or with another dropout rate, would
    /// otherwise fill this model's tensors and train on as if nothing had changed.
    /// </summary>
    private static void ExpectSameNode(ModelContainer container, string p, Node node)
    {
        long[] inputs = ReadInt64s(container.GetBytes(p + "inputs"), p + "inputs");
        long[] expected = [.. node.Inputs.Select(v => (long)v.Id)];
        if (!inputs.AsSpan().SequenceEqual(expected))
            throw Bad(p + "inputs", $"are values {List(inputs)}, this model's node reads values {List(expected)}");
        // Compared as the ops write them, so that a setting the file leaves out reads as its default.
        var stored = new OpAttributes(node.Op.Kind);
        ReadOp(container, p).WriteAttributes(stored);
        var attributes = new OpAttributes(node.Op.Kind);
        node.Op.WriteAttributes(attributes);
        foreach (string name in attributes.Names)
        {
            object value = attributes[name], file = stored[name];
            bool same = value is long[] list ? ((long[])file).AsSpan().SequenceEqual(list) : file.Equals(value);
            if (!same) throw Bad(p + "attr." + name, $"is {Describe(file)}, this model has {Describe(value)}");
        }
    }

    private static string List(long[] values) => values.Length == 0 ? "none" : string.Join(", ", values);

    private static string Describe(object value) => value switch
    {
        long[] list => "[" + string.Join(", ", list) + "]",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        string text => $"'{text}'",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    internal static byte[] StateBytes(ReadOnlySpan<ulong> state)
    {
        var bytes = new byte[state.Length * sizeof(ulong)];
        for (int i = 0; i < state.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)), state[i]);
        return bytes;
    }

    internal static ulong[] ReadState(byte[] bytes, string field)
    {
        if (bytes.Length != DeterministicRandom.StateLength * sizeof(ulong))
            throw Bad(field, $"has {bytes.Length} bytes, expected {DeterministicRandom.StateLength * sizeof(ulong)}");
        var state = new ulong[DeterministicRandom.StateLength];
        for (int i = 0; i < state.Length; i++) state[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)));
        if ((state[0] | state[1] | state[2] | state[3]) == 0) throw Bad(field, "is all zero, which no generator state can be");
        return state;
    }

    internal static ModelFormatException Bad(string field, string detail) => new(field, null, detail);

    internal static void CopyTensor(ModelContainer container, string name, TensorShape expected, Span<float> destination)
    {
        ExpectShape(container, name, expected);
        container.GetTensor(name, out _).CopyTo(destination);
    }

    private static void ExpectShape(ModelContainer container, string name, TensorShape expected)
    {
        var shape = container.GetTensorShape(name);
        bool same = shape.Length == expected.Rank;
        for (int d = 0; same && d < shape.Length; d++) same = shape[d] == expected[d];
        if (!same)
            throw Bad(name, $"has shape [{string.Join(", ", shape.ToArray())}], but the graph's sizes make it [{string.Join(", ", expected.ToArray())}]");
    }

    /// <summary>A list of integers as the file stores it: 8-byte little-endian values.</summary>
    private static byte[] Int64s(ReadOnlySpan<long> values)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        return bytes;
    }

    private static long[] ReadInt64s(byte[] bytes, string field)
    {
        if (bytes.Length % sizeof(long) != 0) throw Bad(field, $"has {bytes.Length} bytes, not a whole number of 8-byte integers");
        var values = new long[bytes.Length / sizeof(long)];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * sizeof(long)));
        return values;
    }

    internal static int Range(long value, int min, int max, string field) =>
        value >= min && value <= max ? (int)value : throw Bad(field, $"is {value}, expected a value in [{min}, {max}]");
}
