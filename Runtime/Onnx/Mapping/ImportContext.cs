using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;
using Simd.Runtime.Passes;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// The state of one import: the graph being built, the ONNX value names bound to graph values so far (an alias
/// such as Identity binds a second name to the same value; each binding also says where ONNX's batch axis is, see
/// <see cref="BoundTensor"/>), the shapes and fills evaluated at import, the initializers (and Constant nodes'
/// values), and the weights each op receives once the graph is built. Mappers read their inputs and bind their outputs only through it, so every message
/// names the ONNX node, op, domain and opset.
/// </summary>
internal sealed class ImportContext
{
    private readonly Dictionary<string, BoundTensor> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ShapeTensor> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FilledTensor> _fills = new(StringComparer.Ordinal);
    private readonly List<RecurrentOutputsMade> _recurrent = [];
    private readonly Dictionary<string, OnnxTensor> _initializers;
    private readonly Dictionary<string, int> _consumers = new(StringComparer.Ordinal);
    private readonly List<(Op Op, string Tensor, int Length, TensorWriter Write)> _tensors = [];
    private readonly Dictionary<string, float[]> _openBiases = new(StringComparer.Ordinal);
    private readonly List<(Value Value, OnnxNode Node)> _produced = [];

    private readonly HashSet<string> _outputNames;

    public ImportContext(OnnxGraph graph, Dictionary<string, OnnxTensor> initializers, long opset, IReadOnlyList<string> outputNames,
        IReadOnlySet<(OnnxNode, int)> unusedOutputs, bool oneSample = false)
    {
        OneSample = oneSample;
        // Constant nodes add initializers: each import starts from the graph's own.
        _initializers = new(initializers, StringComparer.Ordinal);
        UnusedOutputs = unusedOutputs;
        Opset = opset;
        _outputNames = new(outputNames, StringComparer.Ordinal);
        OutputName = outputNames.Count == 1 ? outputNames[0] : null;
        foreach (OnnxNode node in graph.Nodes)
            foreach (string input in node.Inputs)
                if (input.Length > 0) _consumers[input] = _consumers.GetValueOrDefault(input) + 1;
    }

    public GraphBuilder Builder { get; } = new();

    /// <summary>
    /// True when the graph is imported as one sample (<see cref="OnnxBatchMode.OneSample"/>): its tensors have no
    /// batch axis, every ONNX axis is a sample axis, and the values carry the runtime's batch of 1 in front.
    /// </summary>
    public bool OneSample { get; }

    /// <summary>The default domain's opset the model imports.</summary>
    public long Opset { get; }

    /// <summary>The ONNX name of the graph's output where it has one (a trailing Softmax may then be left out); else null.</summary>
    public string? OutputName { get; }

    /// <summary>True for a name among the graph's outputs.</summary>
    public bool IsGraphOutput(string name) => _outputNames.Contains(name);

    /// <summary>Set when the graph's output is a Softmax over features that the import left out.</summary>
    public bool EndsWithSoftmax { get; set; }

    /// <summary>
    /// Recurrent outputs (node, output index) that an earlier pass made but nothing read: a Y read only through a
    /// Gather of its last step (which reads Y_h instead), or the Y_h made for such a Gather that none came.
    /// </summary>
    public IReadOnlySet<(OnnxNode Node, int Output)> UnusedOutputs { get; }

    public void BindInput(string name, BoundTensor tensor) => _values[name] = tensor;

    public bool TryGetTensor(string name, out BoundTensor tensor) => _values.TryGetValue(name, out tensor!);

    /// <summary>Input <paramref name="index"/> as a computed value (the graph input or an earlier node's output), batch first.</summary>
    public Value Data(OnnxNode node, int index)
    {
        BoundTensor t = Tensor(node, index);
        Require(node, t.BatchAxis <= 0,
            $"input {index} '{node.Inputs[index]}' is {t.Shape}, with the batch N on axis {t.BatchAxis} (time-first); {node.OpType} reads it with the batch on axis 0: transpose it there first.");
        return Materialize(node, t, t.Dims);
    }

    /// <summary>Input <paramref name="index"/> as a computed tensor, in whatever layout it has.</summary>
    public BoundTensor Tensor(OnnxNode node, int index)
    {
        Require(node, node.HasInput(index), $"input {index} is missing.");
        string name = node.Inputs[index];
        if (_values.TryGetValue(name, out BoundTensor? value)) return value;
        if (_shapes.ContainsKey(name) || _fills.ContainsKey(name))
            throw Fail(node, $"input {index} '{name}' is computed from shapes; the importer evaluates such tensors only into Gather, Unsqueeze, Concat, ConstantOfShape and, filled with zeros, the initial states of LSTM, GRU and RNN.");
        if (_initializers.ContainsKey(name))
            throw Fail(node, $"input {index} '{name}' is a constant; the importer maps {node.OpType} of a computed value here, and the runtime has no op that makes a constant a computed value.");
        throw Fail(node, $"input {index} '{name}' is neither the graph input nor the output of an earlier node.");
    }

    /// <summary>
    /// The tensor's value with per-sample shape <paramref name="sample"/> (a reshape, which is a view, where the value's
    /// differs). A scalar (rank 0, a graph input imported as one sample) is its value of shape [1], which broadcasts
    /// against any tensor of rank 1 or more as the scalar does.
    /// </summary>
    public Value Materialize(OnnxNode node, BoundTensor t, int[] sample)
    {
        Value value = t.Value ?? throw new InvalidOperationException($"The import left out '{node.Inputs[0]}', which node '{node.DisplayName}' reads.");
        if (sample.Length == 0 && value.SampleShape.Rank == 1 && value.SampleShape.Length == 1) return value;
        return value.SampleShape.ToArray().AsSpan().SequenceEqual(sample) ? value : Add(node, new ReshapeOp(sample), value);
    }

    /// <summary>True when the ONNX value is read by a node or is the graph output.</summary>
    public bool IsUsed(string name) => name.Length > 0 && (_consumers.GetValueOrDefault(name) > 0 || IsGraphOutput(name));

    public void BindTensor(OnnxNode node, string name, BoundTensor tensor)
    {
        Require(node, !_values.ContainsKey(name) && !_initializers.ContainsKey(name) && !_shapes.ContainsKey(name) && !_fills.ContainsKey(name),
            $"output '{name}' is already defined earlier in the graph.");
        _values[name] = tensor;
    }

    public void BindShape(OnnxNode node, ShapeTensor shape)
    {
        BindTensorName(node);
        _shapes[node.Outputs[0]] = shape;
    }

    public void BindFill(OnnxNode node, FilledTensor fill)
    {
        BindTensorName(node);
        _fills[node.Outputs[0]] = fill;
    }

    public void BindConstant(OnnxNode node, OnnxTensor value)
    {
        BindTensorName(node);
        _initializers[node.Outputs[0]] = value;
    }

    private void BindTensorName(OnnxNode node)
    {
        Require(node, node.Outputs.Count >= 1 && node.Outputs[0].Length > 0, "the node has no output.");
        string name = node.Outputs[0];
        Require(node, !_values.ContainsKey(name) && !_initializers.ContainsKey(name) && !_shapes.ContainsKey(name) && !_fills.ContainsKey(name),
            $"output '{name}' is already defined earlier in the graph.");
        Require(node, !IsGraphOutput(name), $"output '{name}' is a graph output, but it is computed from shapes or constants only; the model's output must depend on its input.");
    }

    /// <summary>Input <paramref name="index"/> as a shape computation, or an int64 constant of rank 0 or 1; null otherwise.</summary>
    public ShapeTensor? Shape(OnnxNode node, int index)
    {
        if (!node.HasInput(index)) return null;
        string name = node.Inputs[index];
        if (_shapes.TryGetValue(name, out ShapeTensor? shape)) return shape;
        if (!_values.ContainsKey(name) && _initializers.TryGetValue(name, out OnnxTensor? t)
            && t.DataType is OnnxDataType.Int64 && t.Dims.Count <= 1)
            return new ShapeTensor([.. t.Int64s.ToArray().Select(v => (long?)v)], t.Dims.Count == 0);
        return null;
    }

    /// <summary>
    /// Input <paramref name="index"/> as a constant: an initializer, a Constant node's or a folded value, or a shape
    /// computation whose every entry is known (as an int64 tensor); null for a computed value or a shape with the batch in it.
    /// </summary>
    public OnnxTensor? KnownConstant(OnnxNode node, int index)
    {
        if (Initializer(node, index) is OnnxTensor t) return t;
        if (node.HasInput(index) && _shapes.TryGetValue(node.Inputs[index], out ShapeTensor? shape) && shape.Entries.All(e => e is not null))
            return OnnxTensor.FromInt64s(node.Inputs[index], shape.Scalar ? [] : [shape.Entries.Length], OnnxDataType.Int64, [.. shape.Entries.Select(e => e!.Value)]);
        return null;
    }

    public FilledTensor? Fill(OnnxNode node, int index) =>
        node.HasInput(index) && _fills.TryGetValue(node.Inputs[index], out FilledTensor? fill) ? fill : null;

    /// <summary>An initializer (or Constant node output) by the name input <paramref name="index"/> gives; null for any other input.</summary>
    public OnnxTensor? Initializer(OnnxNode node, int index) =>
        node.HasInput(index) && !_values.ContainsKey(node.Inputs[index]) && _initializers.TryGetValue(node.Inputs[index], out OnnxTensor? t) ? t : null;

    /// <summary>Adds a node with several outputs (a recurrent op's), each checked by <see cref="RequireAllUsed"/>.</summary>
    public IReadOnlyList<Value> AddNode(OnnxNode node, Op op, params Value[] inputs)
    {
        IReadOnlyList<Value> values;
        try
        {
            values = Builder.Node(op, inputs);
        }
        catch (ArgumentException e)
        {
            throw Fail(node, (e.InnerException ?? e).Message);
        }
        foreach (Value v in values) _produced.Add((v, node));
        return values;
    }

    /// <summary>Which output of a recurrent node each made value is, so that a second pass can leave out the unread ones.</summary>
    public void RecordRecurrent(OnnxNode node, Value? sequence, Value? lastStepOnly) => _recurrent.Add(new(node, sequence, lastStepOnly));

    /// <summary>The recurrent outputs made but read by nothing (except as graph outputs).</summary>
    public IReadOnlySet<(OnnxNode, int)> UnreadRecurrentOutputs(IReadOnlyCollection<Value> outputs)
    {
        var unread = new HashSet<(OnnxNode, int)>();
        foreach (var (node, sequence, lastStep) in _recurrent)
        {
            if (sequence is not null && !outputs.Contains(sequence) && sequence.Consumers.Count == 0) unread.Add((node, 0));
            if (lastStep is not null && !outputs.Contains(lastStep) && lastStep.Consumers.Count == 0) unread.Add((node, 1));
        }
        return unread;
    }

    private sealed record RecurrentOutputsMade(OnnxNode Node, Value? Sequence, Value? LastStepOnly);

    public bool IsConstant(OnnxNode node, int index) =>
        node.HasInput(index) && !_values.ContainsKey(node.Inputs[index]) && _initializers.ContainsKey(node.Inputs[index]);

    /// <summary>Input <paramref name="index"/> as a float initializer, of rank <paramref name="rank"/> when given.</summary>
    public OnnxTensor Weight(OnnxNode node, int index, int? rank) => Constant(node, index, OnnxDataType.Float, rank);

    public OnnxTensor Constant(OnnxNode node, int index, OnnxDataType type, int? rank)
    {
        Require(node, node.HasInput(index), $"input {index} is missing.");
        string name = node.Inputs[index];
        if (_values.ContainsKey(name) || !_initializers.TryGetValue(name, out OnnxTensor? t))
            throw Fail(node, $"input {index} '{name}' is not an initializer; {(type == OnnxDataType.Float ? "weights" : "it")} must be constant.");
        Require(node, t.DataType == type, $"initializer '{name}' holds {t.DataType}; expected {type}.");
        if (rank is int r)
            Require(node, t.Dims.Count == r, $"initializer '{name}' has shape {Dims(t)}; expected rank {r}.");
        return t;
    }

    /// <summary>Dense takes rows of features: a value with more sample dimensions needs a Flatten.</summary>
    public void RequireFeatures(OnnxNode node, Value value) =>
        Require(node, value.SampleShape.Rank == 1,
            $"the input '{node.Inputs[0]}' has shape {FullShape(value)}; a Flatten (axis 1) must come before {node.OpType}.");

    /// <summary>Adds a node for <paramref name="op"/>; a shape that does not fit becomes this ONNX node's error.</summary>
    public Value Add(OnnxNode node, Op op, params Value[] inputs)
    {
        Value value;
        try
        {
            value = Builder.Single(op, inputs);
        }
        catch (ArgumentException e)
        {
            // The builder prefixes its own node name; the ONNX node's name is the one the user knows.
            throw Fail(node, (e.InnerException ?? e).Message);
        }
        _produced.Add((value, node));
        return value;
    }

    /// <summary>
    /// Binds the node's first output to <paramref name="value"/> (batch first; as one sample, its sample is the whole
    /// ONNX tensor); a further output that anything reads is refused.
    /// </summary>
    public void Bind(OnnxNode node, Value value) => Bind(node, Bound(value));

    /// <summary>A value batch first as the ONNX tensor it is: as one sample, its sample is the whole tensor (no batch axis).</summary>
    public BoundTensor Bound(Value value) => OneSample ? new BoundTensor(value, value.SampleShape.ToArray(), -1) : BoundTensor.Plain(value);

    public void Bind(OnnxNode node, BoundTensor tensor)
    {
        Require(node, node.Outputs.Count >= 1 && node.Outputs[0].Length > 0, "the node has no output.");
        for (int i = 1; i < node.Outputs.Count; i++)
        {
            string extra = node.Outputs[i];
            Require(node, !IsUsed(extra), $"output {i} '{extra}' is used, but only the node's first output is imported.");
        }
        BindTensor(node, node.Outputs[0], tensor);
    }

    /// <summary>Values for an op's named tensor, copied in once the graph is built.</summary>
    public void SetTensor(Op op, string tensor, float[] values) => _tensors.Add((op, tensor, values.Length, target => values.CopyTo(target)));

    /// <summary>An initializer's floats as they are, copied from the file into the model once it is built.</summary>
    public void SetTensor(Op op, string tensor, OnnxTensor values) => SetTensor(op, tensor, values.ElementCount, target => values.Floats.CopyTo(target));

    /// <summary>
    /// A tensor of <paramref name="length"/> floats that <paramref name="write"/> fills once the model is built:
    /// straight from the file's bytes into the model's memory (a transposed weight, say), with no array between.
    /// </summary>
    public void SetTensor(Op op, string tensor, int length, TensorWriter write) => _tensors.Add((op, tensor, length, write));

    /// <summary>A Dense output, by its ONNX name, whose bias a following Add of a constant may still join.</summary>
    public void OpenBias(OnnxNode node, float[] bias)
    {
        if (node.Outputs.Count >= 1 && node.Outputs[0].Length > 0) _openBiases[node.Outputs[0]] = bias;
    }

    /// <summary>
    /// The open bias behind input <paramref name="index"/> when that ONNX value feeds only this node and is not the
    /// graph output: the Add then joins the Dense instead of becoming a node. Keyed by name, not value, so a
    /// second name bound to the Dense's value (an Identity) never sees the bias change under it.
    /// </summary>
    public float[]? TakeOpenBias(OnnxNode node, int index)
    {
        string name = node.Inputs[index];
        if (_consumers.GetValueOrDefault(name) != 1 || IsGraphOutput(name)) return null;
        return _openBiases.Remove(name, out float[]? bias) ? bias : null;
    }

    /// <summary>Every node's output must reach a graph output: the model trains through its outputs.</summary>
    public void RequireAllUsed(IReadOnlyCollection<Value> outputs)
    {
        foreach (var (value, node) in _produced)
            if (!outputs.Contains(value) && value.Consumers.Count == 0)
                throw Fail(node, $"its output '{node.Outputs[0]}' is used by nothing and is not a graph output; remove the node before export.");
    }

    /// <summary>Whether the file gives every tensor of <paramref name="op"/> (its drawn initial values would be overwritten).</summary>
    public bool SetsEveryTensorOf(Op op)
    {
        int set = 0;
        foreach (var (o, _, _, _) in _tensors)
            if (ReferenceEquals(o, op)) set++;
        return set > 0 && set >= op.TensorSpecs().Length;
    }

    /// <summary>The tensors the file gives <paramref name="op"/>, for a freeze that reads them straight from the file.</summary>
    public TensorSource Source(Op op) => new ImportedTensors([.. _tensors.Where(t => ReferenceEquals(t.Op, op)).Select(t => (t.Tensor, t.Length, t.Write))]);

    private sealed class ImportedTensors((string Name, int Length, TensorWriter Write)[] tensors) : TensorSource
    {
        private (int Length, TensorWriter Write) Find(string name)
        {
            foreach (var t in tensors)
                if (t.Name == name) return (t.Length, t.Write);
            throw new InvalidOperationException($"The import gave no tensor '{name}'.");
        }

        public override int Length(string name) => Find(name).Length;

        public override void Write(string name, Span<float> target)
        {
            var (length, write) = Find(name);
            Fill(target, length, write, $"tensor '{name}'");
        }
    }

    /// <summary>Runs a tensor's writer on its target, which must be as long as the import prepared.</summary>
    private static void Fill(Span<float> target, int length, TensorWriter write, string what)
    {
        if (target.Length != length)
            throw new InvalidOperationException($"The {what} holds {target.Length} values, the import prepared {length}.");
        write(target);
    }

    /// <summary>Copies the collected weights into the built model's tensors.</summary>
    public void CopyTensors()
    {
        foreach (var (op, tensor, length, write) in _tensors) Fill(op.TensorData(op.TensorIndex(tensor)), length, write, $"{op.Kind} tensor '{tensor}'");
    }

    public void Require(OnnxNode node, bool condition, string detail)
    {
        if (!condition) throw Fail(node, detail);
    }

    /// <param name="oneSampleOnly">True where only the import as one sample refuses this (<see cref="OnnxImportException.OneSampleOnly"/>).</param>
    public void Require(OnnxNode node, bool condition, string detail, bool oneSampleOnly)
    {
        if (!condition) throw new OnnxImportException(node, Opset, detail) { OneSampleOnly = oneSampleOnly };
    }

    public OnnxImportException Fail(OnnxNode node, string detail) => new(node, Opset, detail);

    public static string Dims(OnnxTensor t) => $"[{string.Join(", ", t.Dims)}]";

    /// <summary>A value's shape as ONNX sees it: the batch first.</summary>
    public static string FullShape(Value value) => $"[N, {string.Join(", ", value.SampleShape.ToArray())}]";

    /// <summary>
    /// An ONNX axis over [batch, sample…], negative from the end, as an index into that full shape. In a graph
    /// imported as one sample the ONNX axes are the sample's: axis k is index k + 1, after the runtime's batch.
    /// </summary>
    public int FullAxis(OnnxNode node, long axis, TensorShape sample)
    {
        int rank = sample.Rank + (OneSample ? 0 : 1);
        Require(node, axis >= -rank && axis < rank, $"axis {axis} is outside the {rank} dimensions of the input.");
        return (int)(axis < 0 ? axis + rank : axis) + (OneSample ? 1 : 0);
    }
}

/// <summary>Fills a model tensor of the length it was registered with (<see cref="ImportContext.SetTensor(Op, string, int, TensorWriter)"/>).</summary>
internal delegate void TensorWriter(Span<float> target);
