using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Graphs;

/// <summary>
/// Builds any DAG of ops, checking every size as each node is added (shape inference is the one place sizes are
/// checked, for built, loaded and imported graphs alike):
/// <code>
/// var g = new GraphBuilder();
/// var x = g.Input(new TensorShape(64));
/// var h = g.Dense(x, 64, ActivationKind.Relu);
/// var y = g.Dense(g.Add(x, g.Dense(h, 64)), 10);   // a residual block, then the classifier
/// g.Output(y);
/// using Model model = g.Build(seed: 1);
/// </code>
/// </summary>
public sealed partial class GraphBuilder
{
    private readonly List<Value> _values = [];
    private readonly List<Node> _nodes = [];
    private readonly List<Value> _inputs = [];
    private readonly List<Value> _outputs = [];
    private readonly Dictionary<string, int> _nameCounts = new(StringComparer.Ordinal);
    private bool _built;

    /// <summary>The graph inputs declared so far, in order.</summary>
    public IReadOnlyList<Value> Inputs => _inputs;

    /// <summary>A graph input: batches of samples of <paramref name="sampleShape"/>.</summary>
    public Value Input(TensorShape sampleShape, string? name = null)
    {
        EnsureOpen();
        if (sampleShape.Rank == 0 || sampleShape.Length == 0)
            throw new ArgumentException($"An input sample needs at least one value, got shape {sampleShape}.");
        var value = new Value(_values.Count, name ?? (_inputs.Count == 0 ? "input" : $"input{_inputs.Count}"), sampleShape, DataType.Float32, null);
        _values.Add(value);
        _inputs.Add(value);
        return value;
    }

    /// <summary>Adds a node running <paramref name="op"/> on <paramref name="inputs"/> and returns its outputs.</summary>
    /// <exception cref="ArgumentException">The inputs' shapes do not fit the op (the message says how).</exception>
    public IReadOnlyList<Value> Node(Op op, params Value[] inputs)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(inputs);
        EnsureOpen();
        foreach (var v in inputs)
        {
            ArgumentNullException.ThrowIfNull(v, nameof(inputs));
            if (v.Id >= _values.Count || _values[v.Id] != v) throw new ArgumentException($"Value '{v.Name}' belongs to another graph.");
        }
        if (_nodes.Any(n => n.Op == op)) throw new ArgumentException($"This {op.Kind} op is already a node of the graph; create one op per node.");
        string name = NextName(op.Kind);
        TensorShape[] shapes;
        try
        {
            shapes = op.InferShapes(inputs.Select(v => v.SampleShape).ToArray());
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Node '{name}': {e.Message}", e);
        }
        catch (OverflowException e)
        {
            throw new ArgumentException($"Node '{name}': the sizes overflow memory ({e.Message}).", e);
        }
        var node = new Node(_nodes.Count, name, op, inputs);
        var outputs = new Value[shapes.Length];
        for (int i = 0; i < shapes.Length; i++)
        {
            outputs[i] = new Value(_values.Count, shapes.Length == 1 ? name : $"{name}:{i}", shapes[i], DataType.Float32, node);
            _values.Add(outputs[i]);
        }
        node.Outputs = outputs;
        foreach (var v in inputs) v.AddConsumer(node);
        _nodes.Add(node);
        return outputs;
    }

    /// <summary>Adds a node with one output and returns it.</summary>
    public Value Single(Op op, params Value[] inputs)
    {
        var outputs = Node(op, inputs);
        return outputs.Count == 1 ? outputs[0] : throw new ArgumentException($"{op.Kind} has {outputs.Count} outputs; use Node.");
    }

    public Value Dense(Value x, int outputs, ActivationKind activation = ActivationKind.Identity, float activationAlpha = float.NaN,
        WeightInitializer initializer = WeightInitializer.Default) => Single(new DenseOp(outputs, activation, activationAlpha, initializer), x);

    public Value Activation(Value x, ActivationKind kind, float alpha = float.NaN) => Single(new ActivationOp(kind, alpha), x);

    public Value BatchNorm(Value x, float epsilon = 1e-5f, float momentum = 0.1f) => Single(new BatchNormOp(epsilon, momentum), x);

    /// <summary>
    /// Layer normalization over the sample's axes from <paramref name="axis"/> on, counted over [batch, sample…] as in
    /// ONNX (−1: the last axis, as PyTorch's <c>LayerNorm(shape[-1])</c>), with an optional trainable scale and bias.
    /// </summary>
    public Value LayerNorm(Value x, int axis = -1, float epsilon = 1e-5f, bool scale = true, bool bias = true) =>
        Single(new LayerNormOp(axis, epsilon, scale, bias), x);

    public Value Dropout(Value x, float rate) => Single(new DropoutOp(rate), x);

    public Value Flatten(Value x) => Single(new FlattenOp(), x);

    public Value Reshape(Value x, params int[] sampleShape) => Single(new ReshapeOp(sampleShape), x);

    /// <summary>a + b elementwise (a residual join).</summary>
    public Value Add(Value a, Value b) => Single(new AddOp(), a, b);

    public Value Concat(int axis, params Value[] inputs) => Single(new ConcatOp(axis), inputs);

    public Value Softmax(Value x) => Single(new SoftmaxOp(), x);

    /// <summary>A square convolution over [channels, height, width] samples (see <see cref="Conv2DOp"/> for every option).</summary>
    public Value Conv2D(Value x, int channels, int kernel, int stride = 1, int pad = 0,
        ActivationKind activation = ActivationKind.Identity, int groups = 1, bool bias = true) =>
        Single(new Conv2DOp(channels, Window2D.Square(kernel, stride, pad), groups, bias, activation), x);

    /// <summary>Max pooling with a square window; the stride defaults to the window (PyTorch's default).</summary>
    public Value MaxPool(Value x, int kernel, int stride = 0, int pad = 0) =>
        Single(new MaxPool2DOp(Window2D.Square(kernel, stride == 0 ? kernel : stride, pad)), x);

    /// <summary>Average pooling with a square window; the stride defaults to the window.</summary>
    public Value AvgPool(Value x, int kernel, int stride = 0, int pad = 0) =>
        Single(new AvgPool2DOp(Window2D.Square(kernel, stride == 0 ? kernel : stride, pad)), x);

    /// <summary>The mean of each channel: [C, H, W] → [C, 1, 1].</summary>
    public Value GlobalAveragePool(Value x) => Single(new GlobalAveragePoolOp(), x);

    /// <summary>
    /// An LSTM over [steps, features] samples (see <see cref="LstmOp"/>), <paramref name="layers"/> deep: each layer reads
    /// the previous one's sequence, and the last gives the sequence [steps, directions·hidden] or, with
    /// <paramref name="returnSequence"/> false, its final state [directions·hidden] (ready for a Dense classifier).
    /// Initial states (one layer only) and lengths are optional inputs.
    /// </summary>
    public Value Lstm(Value x, int hidden, int layers = 1, RecurrentDirection direction = RecurrentDirection.Forward, bool returnSequence = true,
        Value? initialHidden = null, Value? initialCell = null, Value? lengths = null) =>
        Recurrent(x, layers, returnSequence, lengths, initialHidden is null && initialCell is null ? [] : [initialHidden!, initialCell!],
            (outputs, initial, hasLengths) => new LstmOp(hidden, direction, outputs, initial, hasLengths));

    /// <summary>A GRU, stacked like <see cref="Lstm"/>; linear before reset as PyTorch by default (see <see cref="GruOp"/>).</summary>
    public Value Gru(Value x, int hidden, int layers = 1, RecurrentDirection direction = RecurrentDirection.Forward, bool returnSequence = true, bool linearBeforeReset = true,
        Value? initialHidden = null, Value? lengths = null) =>
        Recurrent(x, layers, returnSequence, lengths, initialHidden is null ? [] : [initialHidden],
            (outputs, initial, hasLengths) => new GruOp(hidden, linearBeforeReset, direction, outputs, initial, hasLengths));

    /// <summary>A plain RNN (tanh, or ReLU), stacked like <see cref="Lstm"/> (see <see cref="RnnOp"/>).</summary>
    public Value Rnn(Value x, int hidden, int layers = 1, bool relu = false, RecurrentDirection direction = RecurrentDirection.Forward, bool returnSequence = true,
        Value? initialHidden = null, Value? lengths = null) =>
        Recurrent(x, layers, returnSequence, lengths, initialHidden is null ? [] : [initialHidden],
            (outputs, initial, hasLengths) => new RnnOp(hidden, relu, direction, outputs, initial, hasLengths));

    private Value Recurrent(Value x, int layers, bool returnSequence, Value? lengths, Value[] initial, Func<RecurrentOutputs, bool, bool, RecurrentOp> create)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (layers < 1) throw new ArgumentException($"A recurrent stack needs at least one layer, got {layers}.");
        if (initial.Any(v => v is null)) throw new ArgumentException("An LSTM's initial state needs both the hidden and the cell state.");
        if (initial.Length > 0 && layers > 1)
            throw new ArgumentException($"Initial states are taken by a single layer; build the {layers} layers one by one to give each its own.");
        for (int layer = 0; layer < layers; layer++)
        {
            var op = create(returnSequence || layer < layers - 1 ? RecurrentOutputs.Sequence : RecurrentOutputs.FinalState, initial.Length > 0, lengths is not null);
            Value[] inputs = [x, .. initial, .. lengths is null ? Array.Empty<Value>() : [lengths]];
            x = Single(op, inputs);
        }
        return x;
    }

    /// <summary>
    /// A basic residual block (He et al. 2016): conv 3×3 (stride) → BatchNorm → ReLU → conv 3×3 → BatchNorm, added to
    /// the shortcut, then ReLU. The shortcut is the input itself when stride and channels are unchanged, else a 1×1
    /// convolution with that stride and a BatchNorm (a projection). Convolutions carry no bias: BatchNorm's shift is one.
    /// </summary>
    public Value ResidualBlock(Value x, int channels, int stride = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        var f = Activation(BatchNorm(Conv2D(x, channels, kernel: 3, stride: stride, pad: 1, bias: false)), ActivationKind.Relu);
        f = BatchNorm(Conv2D(f, channels, kernel: 3, pad: 1, bias: false));
        bool identity = stride == 1 && x.SampleShape.Rank == 3 && x.SampleShape[0] == channels;
        var shortcut = identity ? x : BatchNorm(Conv2D(x, channels, kernel: 1, stride: stride, bias: false));
        return Activation(Add(f, shortcut), ActivationKind.Relu);
    }

    /// <summary>Marks a value as a graph output.</summary>
    public void Output(Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        EnsureOpen();
        if (_outputs.Contains(value)) throw new ArgumentException($"Value '{value.Name}' is already an output.");
        _outputs.Add(value);
        value.IsGraphOutput = true;
    }

    /// <summary>The finished graph; the builder cannot be used afterwards.</summary>
    public Graph BuildGraph()
    {
        EnsureOpen();
        if (_inputs.Count == 0) throw new InvalidOperationException("The graph has no input; call Input first.");
        if (_outputs.Count == 0) throw new InvalidOperationException("The graph has no output; call Output on the value it computes.");
        foreach (var v in _values)
        {
            if (v.Consumers.Count > 0 || v.IsGraphOutput) continue;
            throw new InvalidOperationException(v.Producer is null
                ? $"Input '{v.Name}' is not used by any node."
                : $"The output of node '{v.Producer.Name}' ({v.Producer.Op}) is used by nothing and is not a graph output.");
        }
        _built = true;
        return new Graph([.. _values], [.. _nodes], [.. _inputs], [.. _outputs]);
    }

    /// <summary>
    /// Allocates a trainable model and draws its weights from <paramref name="seed"/>. <paramref name="maxBatch"/>
    /// sizes the activation arena; a larger batch later re-plans it once.
    /// </summary>
    public Model Build(long seed = 1, int maxBatch = 64) => Build(seed, maxBatch, initializes: null);

    /// <summary><see cref="Build(long, int)"/>, drawing the weights only of the ops <paramref name="initializes"/>
    /// picks (null: all), for a caller that sets the others' tensors itself.</summary>
    internal Model Build(long seed, int maxBatch, Func<Op, bool>? initializes)
    {
        var model = new Model(BuildGraph(), seed, maxBatch);
        model.Initialize(initializes);
        return model;
    }

    private string NextName(string kind)
    {
        _nameCounts.TryGetValue(kind, out int count);
        _nameCounts[kind] = count + 1;
        return $"{kind}{count}";
    }

    private void EnsureOpen()
    {
        if (_built) throw new InvalidOperationException("The graph has been built; start a new GraphBuilder.");
    }
}
