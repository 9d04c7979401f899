using System.Diagnostics;
using System.Numerics;
using Microsoft.Extensions.ObjectPool;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Serialization;

namespace Simd.Runtime.Inference;

/// <summary>
/// A frozen network for serving: immutable weights laid out once for the GEMM kernels, batch norm folded into the
/// Dense layers, dropout gone, activations fused into the GEMM epilogues. One instance serves any number of threads
/// at once; each call borrows its scratch from a pool and allocates nothing after the first calls. The caller owns
/// the input and output buffers. Dispose only when no call is in flight.
/// </summary>
public sealed class InferenceModel : IDisposable
{
    private readonly InferenceStage[] stages;
    private readonly DefaultObjectPool<InferenceScratch> scratchPool;
    private readonly int threads;
    private readonly bool rejectNonFinite;
    private volatile bool disposed;

    internal InferenceModel(InferencePlan plan, InferenceOptions? options)
    {
        Options = options ?? InferenceOptions.Default;
        var folded = InferencePlanFlushing.Flush(InferencePlanFolding.Fold(plan));
        InputSize = folded.InputSize;
        OutputSize = folded.OutputSize;
        MaxBatch = Options.MaxBatch;
        threads = Options.IntraOpThreads;
        rejectNonFinite = Options.NonFiniteInput == NonFiniteInput.Reject;

        stages = new InferenceStage[folded.Steps.Count];
        int width = InputSize, widestHidden = 1;
        for (int i = 0; i < stages.Length; i++)
        {
            stages[i] = InferenceStage.Create(folded.Steps[i], width);
            width = stages[i].OutputSize;
            if (i < stages.Length - 1) widestHidden = Math.Max(widestHidden, width);
        }
        long activationFloats = (long)MaxBatch * widestHidden;
        if (activationFloats > Array.MaxLength - 64)
            throw new ArgumentException($"MaxBatch {MaxBatch} × widest layer {widestHidden} needs {activationFloats} floats of scratch; lower MaxBatch.", nameof(options));
        // The pool creates scratch only when calls overlap and keeps what it made: a generous retention limit costs
        // nothing by itself, and a tight one would drop and re-create scratch (allocations) under bursts of callers.
        scratchPool = new DefaultObjectPool<InferenceScratch>(
            new InferenceScratch.Policy((int)activationFloats, OutputSize), Math.Max(64, Environment.ProcessorCount * 4));
    }

    /// <summary>Features per input sample.</summary>
    public int InputSize { get; }

    /// <summary>Values per output sample (logits for a classifier).</summary>
    public int OutputSize { get; }

    /// <summary>Most samples one call may pass.</summary>
    public int MaxBatch { get; }

    public InferenceOptions Options { get; }

    /// <summary>The stages that run, after folding: what the network became.</summary>
    public string Describe() => $"{InputSize} → {string.Join(" → ", stages.Select(s => s.ToString()))}";

    internal IReadOnlyList<InferenceStage> Stages => stages;

    /// <summary>
    /// Freezes a trained model as it evaluates (running batch-norm statistics, no dropout). The weights are copied:
    /// training the model further does not change the frozen one. Subnormal weights are frozen as +0.
    /// </summary>
    public static InferenceModel Freeze(Model model, InferenceOptions? options = null) =>
        new(InferencePlanFromModel.Create(model), options);

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
        using Model model = Model.ReadFrom(container, maxBatch: 1);
        return Freeze(model, options);
    }

    /// <summary>Freezes a plan (tests and adapters build plans directly).</summary>
    internal static InferenceModel Freeze(InferencePlan plan, InferenceOptions? options = null) => new(plan, options);

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
        if (stages.Length == 1)
        {
            stages[0].Run(inputs, outputs, batch, threads);
        }
        else
        {
            var scratch = scratchPool.Get();
            try
            {
                Run(inputs, batch, outputs, scratch);
            }
            finally
            {
                scratchPool.Return(scratch);
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
        var scratch = scratchPool.Get();
        int best;
        try
        {
            var logits = scratch.Row;
            Run(input, 1, logits, scratch);
            best = Reductions.ArgMax(logits);
        }
        finally
        {
            scratchPool.Return(scratch);
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
        if (disposed) return;
        disposed = true;
        foreach (var stage in stages) stage.Dispose();
    }

    public override string ToString() => $"InferenceModel({Describe()})";

    private void Run(ReadOnlySpan<float> input, int batch, Span<float> output, InferenceScratch scratch)
    {
        ReadOnlySpan<float> x = input;
        for (int i = 0; i < stages.Length; i++)
        {
            var stage = stages[i];
            Span<float> y = i == stages.Length - 1 ? output : ((i & 1) == 0 ? scratch.Ping : scratch.Pong)[..(batch * stage.OutputSize)];
            stage.Run(x, y, batch, threads);
            x = y;
        }
    }

    /// <summary>Validates a call's input and starts its clock (only when someone listens to the latency).</summary>
    private long Begin(ReadOnlySpan<float> inputs, int batch)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (batch < 1 || batch > MaxBatch)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"Batch must lie in 1..{MaxBatch} (InferenceOptions.MaxBatch), got {batch}.");
        CheckLength(inputs.Length, batch, InputSize, "input", nameof(inputs));
        if (rejectNonFinite) RejectNonFinite(inputs, nameof(inputs));
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
