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
/// A frozen network for serving: a graph of any shape with one input and one output, rewritten by the inference
/// passes (batch norm folded into the Dense nodes, dropout gone, activations fused into the GEMM epilogues), its
/// weights copied once and packed for the GEMM kernels. One instance serves any number of threads at once; each
/// call borrows an activation arena (laid out from value lifetimes for <see cref="MaxBatch"/> rows) from a pool
/// and allocates nothing after the first calls. The caller owns the input and output buffers, and the first and
/// last nodes read and write them directly. Dispose only when no call is in flight.
/// </summary>
public sealed class InferenceModel : IDisposable
{
    private readonly FrozenGraph _frozen;
    private readonly Node[] _nodes;
    private readonly ArenaLayout _layout;
    private readonly DefaultObjectPool<InferenceScratch> _scratchPool;
    private readonly int _threads;
    private readonly bool _rejectNonFinite;
    private volatile bool _disposed;

    private InferenceModel(FrozenGraph frozen, InferenceOptions? options)
    {
        Options = options ?? InferenceOptions.Default;
        var graph = frozen.Graph;
        if (graph.Inputs.Count != 1 || graph.Outputs.Count != 1)
        {
            frozen.Dispose();
            throw new ArgumentException($"InferenceModel serves graphs of one input and one output; this one has {graph.Inputs.Count} and {graph.Outputs.Count}.");
        }
        _frozen = frozen;
        _nodes = [.. graph.Nodes];
        InputSize = graph.Inputs[0].SampleLength;
        OutputSize = graph.Outputs[0].SampleLength;
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
        _scratchPool = new DefaultObjectPool<InferenceScratch>(
            new InferenceScratch.Policy(_layout.Length, OutputSize), Math.Max(64, Environment.ProcessorCount * 4));
    }

    /// <summary>Features per input sample.</summary>
    public int InputSize { get; }

    /// <summary>Values per output sample (logits for a classifier).</summary>
    public int OutputSize { get; }

    /// <summary>Most samples one call may pass.</summary>
    public int MaxBatch { get; }

    public InferenceOptions Options { get; }

    /// <summary>Bytes of one call's activation arena at <see cref="MaxBatch"/> (values only; the caller holds input and output).</summary>
    public long ArenaBytes => (long)_layout.Length * sizeof(float);

    /// <summary>The nodes that run, after the passes: what the network became.</summary>
    public string Describe() => $"{InputSize} → {string.Join(" → ", _nodes.Select(n => n.Op.ToString()))}";

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
    }

    public override string ToString() => $"InferenceModel({Describe()})";

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
        CheckLength(inputs.Length, batch, InputSize, "input", nameof(inputs));
        if (_rejectNonFinite) RejectNonFinite(inputs, nameof(inputs));
        return InferenceMetrics.Latency.Enabled ? Stopwatch.GetTimestamp() : 0;
    }

    private static void End(int batch, long start)
    {
        if (InferenceMetrics.Calls.Enabled) InferenceMetrics.Calls.Add(1);
        if (InferenceMetrics.BatchSize.Enabled) InferenceMetrics.BatchSize.Record(batch);
        if (start != 0) InferenceMetrics.Latency.Record(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
    }

    private static void CheckLength(int length, int batch, int width, string what, string paramName)
    {
        if (length != (long)batch * width)
            throw new ArgumentException(
                $"The {what} has {length} floats; expected {batch} sample{(batch == 1 ? "" : "s")} × {width} = {(long)batch * width}.", paramName);
    }

    private void RejectNonFinite(ReadOnlySpan<float> inputs, string paramName)
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
                throw new NonFiniteInputException(j / InputSize, j % InputSize, inputs[j], paramName);
    }
}
