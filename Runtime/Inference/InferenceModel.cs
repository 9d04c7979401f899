using System.Diagnostics;
using System.Numerics;
using Microsoft.Extensions.ObjectPool;
using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Passes;
using Simd.Runtime.Serialization;

namespace Simd.Runtime.Inference;

/// <summary>
/// A frozen network for serving: a graph of any shape, rewritten by the inference
/// passes (batch norm folded into the Dense nodes, dropout gone, activations fused into the GEMM epilogues), its
/// weights copied once and packed for the GEMM kernels. One instance serves any number of threads at once; each
/// call borrows an activation arena (laid out from value lifetimes for <see cref="MaxBatch"/> rows) from a pool
/// and allocates nothing after the first calls. The caller owns the input and output buffers; with one input and
/// one output the first and last nodes read and write them directly, and a graph of several inputs or outputs
/// (a recurrent layer's lengths, say) takes one buffer each (<see cref="Predict(ReadOnlySpan{ReadOnlyMemory{float}}, int, ReadOnlySpan{Memory{float}})"/>),
/// copied into and out of its arena. Dispose only when no call is in flight.
/// </summary>
public sealed class InferenceModel : IDisposable
{
    private readonly FrozenGraph _frozen;
    private readonly Node[] _nodes;
    private readonly ArenaLayout _layout;
    private readonly ObjectPool<InferenceScratch> _scratchPool;
    private readonly int _threads;
    private readonly bool _rejectNonFinite;
    private readonly Value[] _inputs, _outputs;
    private readonly bool _staged;
    private volatile bool _disposed;

    private InferenceModel(FrozenGraph frozen, InferenceOptions? options)
    {
        Options = options ?? InferenceOptions.Default;
        var graph = frozen.Graph;
        _frozen = frozen;
        _nodes = [.. graph.Nodes];
        _inputs = [.. graph.Inputs];
        _outputs = [.. graph.Outputs];
        _staged = _inputs.Length != 1 || _outputs.Length != 1;
        MaxBatch = Options.MaxBatch;
        _threads = Options.IntraOpThreads;
        _rejectNonFinite = Options.NonFiniteInput == NonFiniteInput.Reject;
        try
        {
            _layout = ArenaLayout.ForInference(graph, MaxBatch);
        }
        catch (ArgumentException e)
        {
            frozen.Dispose();
            throw new ArgumentException($"MaxBatch {MaxBatch}: {e.Message}", nameof(options), e);
        }
        // The pool creates scratch only when calls overlap and keeps what it made: a generous retention limit costs
        // nothing by itself, and a tight one would drop and re-create scratch (allocations) under bursts of callers.
        // Scratch is disposable, so the provider's pool frees what it holds when the model is disposed.
        _scratchPool = new DefaultObjectPoolProvider { MaximumRetained = Math.Max(64, Environment.ProcessorCount * 4) }
            .Create(new InferenceScratch.Policy(_layout.Length, _outputs[0].SampleLength));
    }

    /// <summary>Features per input sample (a model of one input).</summary>
    public int InputSize => Only(_inputs, "input").SampleLength;

    /// <summary>Values per output sample (logits for a classifier; a model of one output).</summary>
    public int OutputSize => Only(_outputs, "output").SampleLength;

    /// <summary>The graph's inputs, in order: one buffer each for <see cref="Predict(ReadOnlySpan{ReadOnlyMemory{float}}, int, ReadOnlySpan{Memory{float}})"/>.</summary>
    public int InputCount => _inputs.Length;

    /// <summary>The graph's outputs, in order.</summary>
    public int OutputCount => _outputs.Length;

    /// <summary>Most samples one call may pass.</summary>
    public int MaxBatch { get; }

    public InferenceOptions Options { get; }

    /// <summary>Bytes of one call's activation arena at <see cref="MaxBatch"/> (values only; the caller holds input and output).</summary>
    public long ArenaBytes => (long)_layout.Length * sizeof(float);

    /// <summary>The nodes that run, after the passes: what the network became.</summary>
    public string Describe() => $"{string.Join(", ", _inputs.Select(v => v.SampleLength))} → {string.Join(" → ", _nodes.Select(n => n.Op.ToString()))}";

    /// <summary>The frozen graph (inspection, export).</summary>
    public Graph Graph => _frozen.Graph;

    /// <summary>
    /// Freezes a trained model as it evaluates (running batch-norm statistics, no dropout). The weights are copied:
    /// training the model further does not change the frozen one. Subnormal weights are frozen as +0.
    /// </summary>
    public static InferenceModel Freeze(Model model, InferenceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new(FrozenGraph.Freeze(model.Graph), options);
    }

    /// <summary>
    /// Loads an ONNX file for serving: the import of <see cref="Onnx.OnnxImporter.Load"/> (same ops, same refusals,
    /// same outputs: the logits before a trailing Softmax, which <see cref="PredictProbabilities"/> applies), built only
    /// to be frozen, so that no gradients or optimizer state are allocated and the file's weights are copied straight
    /// into the frozen model. For whether the graph ended in a Softmax and where its batch axes are, import with
    /// <see cref="Onnx.OnnxImporter.Load"/> instead.
    /// </summary>
    /// <exception cref="Onnx.OnnxFormatException">The file is not a readable ONNX model.</exception>
    /// <exception cref="Onnx.OnnxImportException">The graph holds what the runtime cannot run; names the node, op, domain and opset.</exception>
    public static InferenceModel LoadOnnx(string path, InferenceOptions? options = null, Onnx.OnnxBatchMode batchMode = Onnx.OnnxBatchMode.FirstAxis)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Onnx.OnnxImporter.LoadFrozen(path, options, batchMode);
    }

    /// <summary>Freezes a graph whose passes read its tensors from their source (an import straight from the file).</summary>
    internal static InferenceModel Freeze(Passes.PassGraph passes, InferenceOptions? options) => new(FrozenGraph.Freeze(passes), options);

    /// <summary>Loads a model file written by <see cref="Model.Save"/> and freezes it.</summary>
    /// <exception cref="ModelFormatException">The file is damaged or does not hold a complete model.</exception>
    public static InferenceModel Load(string path, InferenceOptions? options = null, ModelFileLimits? limits = null) =>
        FromContainer(ModelContainer.Load(path, limits), options);

    /// <summary>Reads a model written by <see cref="Model.WriteTo"/> and a container's WriteTo, and freezes it.</summary>
    /// <exception cref="ModelFormatException">The data is damaged or does not hold a complete model.</exception>
    public static InferenceModel Load(Stream stream, InferenceOptions? options = null, ModelFileLimits? limits = null) =>
        FromContainer(ModelContainer.ReadFrom(stream, limits), options);

    private static InferenceModel FromContainer(ModelContainer container, InferenceOptions? options)
    {
        using Model model = Model.ReadForServing(container, (options ?? InferenceOptions.Default).MaxBatch);
        return Freeze(model, options);
    }

    /// <summary>One sample: <paramref name="output"/>[OutputSize] from <paramref name="input"/>[InputSize].</summary>
    public void Predict(ReadOnlySpan<float> input, Span<float> output) => Predict(input, 1, output);

    /// <summary>
    /// <paramref name="batch"/> samples, row-major: <paramref name="outputs"/>[batch × OutputSize] from
    /// <paramref name="inputs"/>[batch × InputSize], 1 ≤ batch ≤ <see cref="MaxBatch"/>.
    /// </summary>
    public void Predict(ReadOnlySpan<float> inputs, int batch, Span<float> outputs)
    {
        long start = Begin(inputs, batch);
        CheckLength(outputs.Length, batch, OutputSize, "output", nameof(outputs));
        if (_layout.Length == 0)
        {
            Run(inputs, batch, outputs, default);
        }
        else
        {
            var scratch = _scratchPool.Get();
            try
            {
                Run(inputs, batch, outputs, scratch.Arena);
            }
            finally
            {
                _scratchPool.Return(scratch);
            }
        }
        End(batch, start);
    }

    /// <summary>
    /// <paramref name="batch"/> samples of a model of any number of inputs and outputs: one buffer per input
    /// [batch × its sample length] and per output, in the graph's order (<see cref="Graph"/>'s Inputs and Outputs).
    /// With the arrays of buffers held by the caller, a call allocates nothing.
    /// </summary>
    public void Predict(ReadOnlySpan<ReadOnlyMemory<float>> inputs, int batch, ReadOnlySpan<Memory<float>> outputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (inputs.Length != _inputs.Length || outputs.Length != _outputs.Length)
            throw new ArgumentException($"The model takes {Model.Describe(_inputs)} and computes {Model.Describe(_outputs)}: expected {_inputs.Length} input " +
                $"buffer{(_inputs.Length == 1 ? "" : "s")} and {_outputs.Length} output buffer{(_outputs.Length == 1 ? "" : "s")}, got {inputs.Length} and {outputs.Length}.");
        if (!_staged)
        {
            Predict(inputs[0].Span, batch, outputs[0].Span);
            return;
        }
        if (batch < 1 || batch > MaxBatch)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"Batch must lie in 1..{MaxBatch} (InferenceOptions.MaxBatch), got {batch}.");
        for (int k = 0; k < _inputs.Length; k++)
        {
            CheckLength(inputs[k].Length, batch, _inputs[k], "input", nameof(inputs));
            if (_rejectNonFinite) RejectNonFinite(inputs[k].Span, _inputs[k].SampleLength, nameof(inputs));
        }
        for (int k = 0; k < _outputs.Length; k++) CheckLength(outputs[k].Length, batch, _outputs[k], "output", nameof(outputs));
        long start = InferenceMetrics.Latency.Enabled ? Stopwatch.GetTimestamp() : 0;
        var scratch = _scratchPool.Get();
        try
        {
            Span<float> arena = scratch.Arena;
            for (int k = 0; k < _inputs.Length; k++)
                inputs[k].Span.CopyTo(arena.Slice(_layout.ValueOffsets[_inputs[k].Id], batch * _inputs[k].SampleLength));
            Run(default, batch, default, arena);
            for (int k = 0; k < _outputs.Length; k++)
                arena.Slice(_layout.ValueOffsets[_outputs[k].Id], batch * _outputs[k].SampleLength).CopyTo(outputs[k].Span);
        }
        finally
        {
            _scratchPool.Return(scratch);
        }
        End(batch, start);
    }

    /// <summary>
    /// Index of the largest output for one sample, as <see cref="Reductions.ArgMax"/> picks it: the first one on ties,
    /// and the first NaN's index when an output is NaN (as PyTorch's argmax).
    /// </summary>
    public int PredictClass(ReadOnlySpan<float> input)
    {
        long start = Begin(input, 1);
        var scratch = _scratchPool.Get();
        int best;
        try
        {
            var logits = scratch.Row;
            Run(input, 1, logits, scratch.Arena);
            best = Reductions.ArgMax(logits);
        }
        finally
        {
            _scratchPool.Return(scratch);
        }
        End(1, start);
        return best;
    }

    /// <summary>Softmax of the outputs for one sample: <paramref name="probabilities"/>[OutputSize].</summary>
    public void PredictProbabilities(ReadOnlySpan<float> input, Span<float> probabilities)
    {
        Predict(input, 1, probabilities);
        Softmax.Forward(probabilities, probabilities, 1, OutputSize);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _frozen.Dispose();
        (_scratchPool as IDisposable)?.Dispose();
    }

    public override string ToString() => $"InferenceModel({Describe()})";

    /// <summary>The one input (or output) of a model that has one; a clear error naming them where it has several.</summary>
    private static Value Only(Value[] values, string what) => values.Length == 1 ? values[0]
        : throw new InvalidOperationException($"This model has {values.Length} {what}s ({Model.Describe(values)}); " +
            "pass one buffer per input and output to Predict(inputs, batch, outputs).");

    private void Run(ReadOnlySpan<float> input, int batch, Span<float> output, Span<float> arena)
    {
        foreach (var node in _nodes)
            node.Op.Forward(new OpContext(arena, input, output, _layout, node, batch, training: false, _threads, random: null));
    }

    /// <summary>Validates a call's input and starts its clock (only when someone listens to the latency).</summary>
    private long Begin(ReadOnlySpan<float> inputs, int batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (batch < 1 || batch > MaxBatch)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"Batch must lie in 1..{MaxBatch} (InferenceOptions.MaxBatch), got {batch}.");
        if (_staged)
            throw new InvalidOperationException($"This model takes {Model.Describe(_inputs)} and computes {Model.Describe(_outputs)}; " +
                "pass one buffer per input and output to Predict(inputs, batch, outputs).");
        CheckLength(inputs.Length, batch, InputSize, "input", nameof(inputs));
        if (_rejectNonFinite) RejectNonFinite(inputs, InputSize, nameof(inputs));
        return InferenceMetrics.Latency.Enabled ? Stopwatch.GetTimestamp() : 0;
    }

    private static void End(int batch, long start)
    {
        if (InferenceMetrics.Calls.Enabled) InferenceMetrics.Calls.Add(1);
        if (InferenceMetrics.BatchSize.Enabled) InferenceMetrics.BatchSize.Record(batch);
        if (start != 0) InferenceMetrics.Latency.Record(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
    }

    /// <summary>The buffer of one of several inputs or outputs, named in the message (built only when it is wrong).</summary>
    private static void CheckLength(int length, int batch, Value value, string what, string paramName)
    {
        if (length != (long)batch * value.SampleLength) CheckLength(length, batch, value.SampleLength, $"{what} '{value.Name}'", paramName);
    }

    private static void CheckLength(int length, int batch, int width, string what, string paramName)
    {
        if (length != (long)batch * width)
            throw new ArgumentException(
                $"The {what} has {length} floats; expected {batch} sample{(batch == 1 ? "" : "s")} × {width} = {(long)batch * width}.", paramName);
    }

    private static void RejectNonFinite(ReadOnlySpan<float> inputs, int width, string paramName)
    {
        // x − x is 0 for every finite x and NaN for NaN and ±∞: one subtraction and one add per element finds both.
        var acc = Vector<float>.Zero;
        int i = 0;
        for (; i <= inputs.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var v = new Vector<float>(inputs[i..]);
            acc += v - v;
        }
        float tail = 0;
        for (; i < inputs.Length; i++) tail += inputs[i] - inputs[i];
        if (Vector.EqualsAll(acc, Vector<float>.Zero) && tail == 0) return;
        for (int j = 0; j < inputs.Length; j++)
            if (!float.IsFinite(inputs[j]))
                throw new NonFiniteInputException(j / width, j % width, inputs[j], paramName);
    }
}
