using Simd.Runtime.Graphs;
using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Models;

/// <summary>
/// A trainable network: a <see cref="Graph"/> with one or more inputs and outputs (most models have one of each,
/// which the members without an index address; a recurrent layer's sequence lengths or initial states, say, come as
/// further inputs: <see cref="InputBuffer(int, int)"/>, <see cref="Output(int, int)"/>). Parameters, gradients, running
/// statistics and optimizer state live in one aligned <see cref="ParameterBlock"/>; every activation, activation
/// gradient and node scratch lives in one arena laid out from their lifetimes (<see cref="ArenaLayout"/>) for
/// <see cref="MaxBatch"/> rows, which any smaller batch reuses, and allocated when first used (a model loaded only to
/// be frozen never allocates it). After the first step at a given batch size, forward and backward allocate nothing.
/// </summary>
public sealed partial class Model : IDisposable
{
    private readonly Node[] _nodes;
    private readonly Value[] _inputs, _outputs;
    private AlignedBuffer? _arena;
    private ArenaLayout _layout = null!;
    private int _forwardRows;
    private bool _forwardTraining;
    private int _threads = 1;
    private bool _computeInputGradient;

    /// <param name="trainable">
    /// False for a model that is only ever frozen (<see cref="Inference.InferenceModel.LoadOnnx"/>): its block holds
    /// no gradients or optimizer state, a quarter of a trainable one's, and it cannot train.
    /// </param>
    internal Model(Graph graph, long seed, int maxBatch, bool trainable = true)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (graph.Nodes.Count == 0) throw new ArgumentException("A model needs at least one node.", nameof(graph));
        Isa.ThrowIfMisconfigured();
        Graph = graph;
        _nodes = [.. graph.Nodes];
        _inputs = [.. graph.Inputs];
        _outputs = [.. graph.Outputs];
        Seed = seed;
        Parameters = new ParameterBlock(trainable);
        foreach (var node in _nodes) node.Op.ReserveTensors(Parameters);
        Parameters.Allocate();
        foreach (var node in _nodes) node.Op.BindTensors(Parameters);
        DropoutRandom = new DeterministicRandom(seed, stream: 1);
        PlanArena(maxBatch);
    }

    /// <summary>The network's graph: nodes in the order forward runs them.</summary>
    public Graph Graph { get; }

    /// <summary>The nodes in forward order.</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>The nodes' ops in forward order (<c>model.Ops.OfType&lt;DenseOp&gt;()</c>).</summary>
    public IReadOnlyList<Op> Ops => [.. _nodes.Select(n => n.Op)];

    /// <summary>Values per input sample (a model of one input; else <see cref="Graph"/>'s <c>Inputs[k].SampleLength</c>).</summary>
    public int InputSize => Only(_inputs, "input").SampleLength;

    /// <summary>Shape of one input sample (a model of one input).</summary>
    public TensorShape InputShape => Only(_inputs, "input").SampleShape;

    /// <summary>Values per output sample (a model of one output).</summary>
    public int OutputSize => Only(_outputs, "output").SampleLength;

    /// <summary>How many inputs each sample has: the graph's inputs, in the order they were declared.</summary>
    public int InputCount => _inputs.Length;

    /// <summary>How many outputs a forward call computes, in the order the graph declared them.</summary>
    public int OutputCount => _outputs.Length;

    /// <summary>Rows the arena holds; a larger batch re-plans it once (an allocation, then none again).</summary>
    public int MaxBatch { get; private set; }

    /// <summary>
    /// Bytes of the activation arena for <see cref="MaxBatch"/> rows: values, the gradients backward reads (those
    /// downstream of a node with parameters) and node scratch, and, once <see cref="ComputeInputGradient"/> was set,
    /// the gradients only the input's gradient needs.
    /// </summary>
    public long ArenaBytes => (long)(_arena?.Length ?? PlannedLength) * sizeof(float);

    /// <summary>The seed the weights and the dropout stream were drawn from.</summary>
    public long Seed { get; }

    /// <summary>Parameters, gradients, running statistics and optimizer state.</summary>
    public ParameterBlock Parameters { get; }

    /// <summary>Real trainable parameters (without alignment padding).</summary>
    public int ParameterCount => Parameters.ParameterCount;

    /// <summary>Stream that draws dropout masks; its state is part of a checkpoint.</summary>
    public DeterministicRandom DropoutRandom { get; }

    /// <summary>Threads for the matrix products. Results are bitwise identical for any count.</summary>
    public int Threads
    {
        get => _threads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _threads = value;
        }
    }

    /// <summary>
    /// When set, backward also computes the gradient with respect to the input (gradient checks, saliency). The
    /// gradients only it needs live in a region of the arena of their own: setting it the first time grows the arena
    /// once (the last forward call's values are kept, so it may be set between forward and backward).
    /// </summary>
    public bool ComputeInputGradient
    {
        get => _computeInputGradient;
        set
        {
            if (value && _arena is not null && _arena.Length < _layout.Length) Allocate(_layout.Length, keep: true);
            _computeInputGradient = value;
        }
    }

    /// <summary>True when some node is a BatchNorm (which cannot train on batches of one sample).</summary>
    public bool HasBatchNorm => _nodes.Any(n => n.Op is BatchNormOp);

    /// <summary>
    /// True when some BatchNorm normalizes each feature over the batch alone (rows of features, or 1×1 images): a
    /// batch of one sample has no statistics there. Over images the statistics also span height and width.
    /// </summary>
    public bool NeedsBatchesOfTwo => _nodes.Any(n => n.Op is BatchNormOp { Plane: 1 });

    /// <summary>Makes room for batches of <paramref name="rows"/>; allocates only when that is more than <see cref="MaxBatch"/>.</summary>
    public void EnsureBatchCapacity(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        if (rows > MaxBatch) PlanArena(rows);
    }

    /// <summary>The staging rows the next <see cref="Forward(int, bool)"/> reads: fill them, then call it.</summary>
    public Span<float> InputBuffer(int rows) => StagingRows(Only(_inputs, "input"), rows);

    /// <summary>The staging rows of input <paramref name="input"/> [rows × its sample length] that the next forward call reads.</summary>
    public Span<float> InputBuffer(int input, int rows) => StagingRows(At(_inputs, input, "input"), rows);

    private Span<float> StagingRows(Value value, int rows)
    {
        EnsureBatchCapacity(rows);
        return ValueRows(value, rows);
    }

    /// <summary>Copies the batch in, runs every node and returns the output rows (valid until the next call).</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> input, int rows, bool training)
    {
        CheckBatch(input.Length, rows, InputSize, "input");
        input.CopyTo(InputBuffer(rows));
        return Forward(rows, training);
    }

    /// <summary>
    /// Runs every node on the rows already in the input buffers and returns output 0's rows (every output:
    /// <see cref="Output(int, int)"/>). With several outputs, a training call also zeroes their gradients, so
    /// backward after a loss on some of them gives the others' zero gradient, as an output the loss never read has.
    /// </summary>
    public ReadOnlySpan<float> Forward(int rows, bool training)
    {
        EnsureBatchCapacity(rows);
        Span<float> arena = Arena;
        foreach (var node in _nodes)
            node.Op.Forward(new OpContext(arena, default, default, _layout, node, rows, training, _threads, DropoutRandom));
        _forwardRows = rows;
        _forwardTraining = training;
        if (training && _outputs.Length > 1)
            foreach (var output in _outputs) GradientRows(output, rows).Clear();
        return ValueRows(_outputs[0], rows);
    }

    /// <summary>Output <paramref name="output"/>'s rows from the last forward call (valid until the next call).</summary>
    public ReadOnlySpan<float> Output(int output, int rows)
    {
        var value = At(_outputs, output, "output");
        CheckForwardRows(rows);
        return ValueRows(value, rows);
    }

    /// <summary>Output 0 of node <paramref name="index"/> from the last forward call (inspection, tests).</summary>
    public ReadOnlySpan<float> NodeOutput(int index, int rows) => ValueRows(NodeAt(index).Outputs[0], rows);

    /// <summary>Where the loss writes dLoss/dOutput for the rows of the last forward call.</summary>
    public Span<float> OutputGradient(int rows) => GradientRows(Only(_outputs, "output"), rows);

    /// <summary>Where the loss writes dLoss/d(output <paramref name="output"/>) for the rows of the last forward call.</summary>
    public Span<float> OutputGradient(int output, int rows) => GradientRows(At(_outputs, output, "output"), rows);

    /// <summary>
    /// Back-propagates the output gradients (<see cref="OutputGradient(int, int)"/>) through the nodes in reverse order. The first node to write a
    /// value's gradient overwrites it and later ones add to it, so fan-out (a residual connection) is exact and a
    /// chain costs no additions.
    /// </summary>
    public void Backward(int rows)
    {
        if (rows != _forwardRows)
            throw new InvalidOperationException($"Backward for {rows} rows, but the last forward call ran {_forwardRows} rows.");
        Span<float> arena = Arena;
        for (int i = _nodes.Length - 1; i >= 0; i--)
        {
            // A node with no parameters whose inputs' gradients no one reads (the reshape of the graph input) has nothing to do.
            if (!_layout.RunsBackward(i, _computeInputGradient)) continue;
            var node = _nodes[i];
            node.Op.Backward(new OpContext(arena, default, default, _layout, node, rows, _forwardTraining, _threads, DropoutRandom, _computeInputGradient));
            foreach (var (from, to, sampleLength) in _layout.Accumulations(i, _computeInputGradient))
            {
                int length = rows * sampleLength;
                Elementwise.Axpy(1f, arena.Slice(from, length), arena.Slice(to, length));
            }
        }
    }

    /// <summary>dLoss/d(output 0 of node <paramref name="index"/>) from the last backward call, until the producer ran (diagnostics).</summary>
    internal ReadOnlySpan<float> NodeOutputGradient(int index, int rows) => GradientRows(NodeAt(index).Outputs[0], rows);

    /// <summary>dLoss/dInput of the last backward call; needs <see cref="ComputeInputGradient"/>.</summary>
    public ReadOnlySpan<float> InputGradient(int rows) => InputGradient(Only(_inputs, "input"), rows);

    /// <summary>
    /// dLoss/d(input <paramref name="input"/>) of the last backward call; needs <see cref="ComputeInputGradient"/>.
    /// Empty for an input no trainable path reads (a recurrent layer's lengths).
    /// </summary>
    public ReadOnlySpan<float> InputGradient(int input, int rows) => InputGradient(At(_inputs, input, "input"), rows);

    private ReadOnlySpan<float> InputGradient(Value value, int rows)
    {
        if (!ComputeInputGradient) throw new InvalidOperationException("Set ComputeInputGradient before backward to get the input gradient.");
        return GradientRows(value, rows);
    }

    /// <summary>Evaluation-mode outputs for any number of rows, run in chunks of at most <see cref="MaxBatch"/>.</summary>
    public void Predict(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        if (inputs.Length % InputSize != 0)
            throw new ArgumentException($"Input has {inputs.Length} floats, not a whole number of rows of {InputSize} features.", nameof(inputs));
        int rows = inputs.Length / InputSize;
        if (outputs.Length != rows * OutputSize)
            throw new ArgumentException($"Output has {outputs.Length} floats, expected {rows} rows × {OutputSize} = {rows * OutputSize}.", nameof(outputs));
        for (int start = 0; start < rows; start += MaxBatch)
        {
            int n = Math.Min(MaxBatch, rows - start);
            Forward(inputs.Slice(start * InputSize, n * InputSize), n, training: false)
                .CopyTo(outputs.Slice(start * OutputSize, n * OutputSize));
        }
    }

    /// <summary>
    /// Evaluation-mode outputs of a model of any number of inputs and outputs, for any number of rows (run in chunks of
    /// at most <see cref="MaxBatch"/>): one buffer per input [rows × its sample length] and per output, in the graph's
    /// order. Holding the buffer arrays, the caller calls this without allocating.
    /// </summary>
    public void Predict(ReadOnlySpan<ReadOnlyMemory<float>> inputs, ReadOnlySpan<Memory<float>> outputs)
    {
        int rows = SampleRows(inputs, outputs);
        for (int start = 0; start < rows; start += MaxBatch)
        {
            int n = Math.Min(MaxBatch, rows - start);
            for (int k = 0; k < _inputs.Length; k++)
            {
                int width = _inputs[k].SampleLength;
                inputs[k].Span.Slice(start * width, n * width).CopyTo(InputBuffer(k, n));
            }
            Forward(n, training: false);
            for (int k = 0; k < _outputs.Length; k++)
            {
                int width = _outputs[k].SampleLength;
                ValueRows(_outputs[k], n).CopyTo(outputs[k].Span.Slice(start * width, n * width));
            }
        }
    }

    /// <summary>Index of the largest output for one sample, as <see cref="Reductions.ArgMax"/> picks it.</summary>
    public int PredictClass(ReadOnlySpan<float> input) => Reductions.ArgMax(Forward(input, 1, training: false));

    /// <summary>The rows every buffer holds, checked: one buffer per input and output, all of the same number of rows.</summary>
    private int SampleRows(ReadOnlySpan<ReadOnlyMemory<float>> inputs, ReadOnlySpan<Memory<float>> outputs)
    {
        if (inputs.Length != _inputs.Length || outputs.Length != _outputs.Length)
            throw new ArgumentException($"The model takes {Describe(_inputs)} and computes {Describe(_outputs)}: expected {_inputs.Length} input " +
                $"buffer{(_inputs.Length == 1 ? "" : "s")} and {_outputs.Length} output buffer{(_outputs.Length == 1 ? "" : "s")}, got {inputs.Length} and {outputs.Length}.");
        int first = _inputs[0].SampleLength;
        if (inputs[0].Length % first != 0)
            throw new ArgumentException($"Input '{_inputs[0].Name}' has {inputs[0].Length} floats, not a whole number of samples of {first}.");
        int rows = inputs[0].Length / first;
        for (int k = 0; k < _inputs.Length; k++)
            CheckBuffer(inputs[k].Length, rows, _inputs[k], "input");
        for (int k = 0; k < _outputs.Length; k++)
            CheckBuffer(outputs[k].Length, rows, _outputs[k], "output");
        return rows;
    }

    private static void CheckBuffer(int length, int rows, Value value, string what)
    {
        if (length != (long)rows * value.SampleLength)
            throw new ArgumentException($"The {what} '{value.Name}' has {length} floats; expected {rows} sample{(rows == 1 ? "" : "s")} × " +
                $"{value.SampleLength} ({value.SampleShape}) = {(long)rows * value.SampleLength}.");
    }

    /// <summary>"input [6, 5] and lengths [1]": values by name and sample shape, for messages.</summary>
    internal static string Describe(IReadOnlyList<Value> values) =>
        values.Count == 1 ? $"'{values[0].Name}' {values[0].SampleShape}"
        : string.Join(", ", values.Take(values.Count - 1).Select(v => $"'{v.Name}' {v.SampleShape}")) + $" and '{values[^1].Name}' {values[^1].SampleShape}";

    /// <summary>The one input (or output) of a model that has one; a clear error naming them where it has several.</summary>
    private static Value Only(Value[] values, string what) => values.Length == 1 ? values[0]
        : throw new InvalidOperationException($"This model has {values.Length} {what}s ({Describe(values)}); " +
            $"address them by index ({(what == "input" ? "InputBuffer(input, rows)" : "Output(output, rows), OutputGradient(output, rows)")}, Predict with one buffer each).");

    private static Value At(Value[] values, int index, string what) => (uint)index < (uint)values.Length ? values[index]
        : throw new ArgumentOutOfRangeException(what, index, $"The model has {what}s 0..{values.Length - 1} ({Describe(values)}), not {what} {index}.");

    private void CheckForwardRows(int rows)
    {
        if (rows < 1 || rows > _forwardRows)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"The last forward call ran {_forwardRows} rows; ask for 1..{_forwardRows}.");
    }

    public void Dispose()
    {
        Parameters.Dispose();
        _arena?.Dispose();
    }

    public override string ToString() =>
        $"Model({string.Join(", ", _inputs.Select(v => v.SampleShape))} → {string.Join(" → ", _nodes.Select(n => n.Op.ToString()))}, {ParameterCount} parameters)";

    /// <summary>
    /// Fresh weights from the seed: every op in graph order (those <paramref name="only"/> picks, if given) draws
    /// from one stream (the order fixes the weights).
    /// </summary>
    internal void Initialize(Func<Op, bool>? only = null)
    {
        var random = new DeterministicRandom(Seed, stream: 0);
        foreach (var node in _nodes)
            if (only is null || only(node.Op)) node.Op.Initialize(random);
    }

    internal static void CheckBatch(int length, int rows, int width, string what)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "A batch needs at least one row.");
        if (length != (long)rows * width)
            throw new ArgumentException(
                $"The {what} batch has {length} floats, expected {rows} rows × {width} features = {(long)rows * width}.");
    }

    private Node NodeAt(int index) => (uint)index < (uint)_nodes.Length
        ? _nodes[index]
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"The model has nodes 0..{_nodes.Length - 1}.");

    private Span<float> ValueRows(Value value, int rows) => Arena.Slice(_layout.ValueOffsets[value.Id], rows * value.SampleLength);

    private Span<float> GradientRows(Value value, int rows)
    {
        int offset = _layout.GradientOffsets[value.Id];
        return offset == ArenaLayout.None ? default : Arena.Slice(offset, rows * value.SampleLength);
    }

    private void PlanArena(int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        var layout = ArenaLayout.ForTraining(Graph, maxBatch);
        _arena?.Dispose();
        _arena = null;
        _layout = layout;
        MaxBatch = maxBatch;
        _forwardRows = 0;
    }

    /// <summary>Floats the arena needs as planned: with the input gradient's region while it is asked for.</summary>
    private int PlannedLength => _computeInputGradient ? _layout.Length : _layout.LengthWithoutInputGradient;

    /// <summary>The arena, allocated as planned on first use.</summary>
    private Span<float> Arena
    {
        get
        {
            if (_arena is null) Allocate(PlannedLength, keep: false);
            return _arena!.Span;
        }
    }

    /// <summary>A new arena of <paramref name="length"/> floats, with the old one's contents when <paramref name="keep"/>.</summary>
    private void Allocate(int length, bool keep)
    {
        var arena = new AlignedBuffer(length);
        if (keep && _arena is not null) _arena.Span.CopyTo(arena.Span);
        _arena?.Dispose();
        _arena = arena;
    }
}
