using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Layers;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Models;

/// <summary>
/// A sequential network over rows of features. Parameters, gradients, running statistics and optimizer state live
/// in one aligned <see cref="ParameterBlock"/>; every layer's output and output gradient, plus the layers' scratch,
/// live in one activation block planned for <see cref="MaxBatch"/> rows that any smaller batch reuses. After the
/// first step at a given batch size, forward and backward allocate nothing.
/// </summary>
public sealed partial class Model : IDisposable
{
    private readonly Layer[] _layers;
    private AlignedBuffer? _activationBlock;
    private Tensor[] _values = [];
    private Tensor[] _gradients = [];
    private int _forwardRows;
    private bool _forwardTraining;
    private int _threads = 1;

    internal Model(Layer[] layers, int inputSize, long seed, int maxBatch)
    {
        if (layers.Length == 0) throw new ArgumentException("A model needs at least one layer.", nameof(layers));
        Isa.ThrowIfMisconfigured();
        _layers = layers;
        InputSize = inputSize;
        Seed = seed;
        Parameters = new ParameterBlock();
        foreach (var layer in layers) layer.ReserveParameters(Parameters);
        Parameters.Allocate();
        foreach (var layer in layers) layer.BindParameters(Parameters);
        DropoutRandom = new DeterministicRandom(seed, stream: 1);
        PlanActivations(maxBatch);
    }

    public IReadOnlyList<Layer> Layers => _layers;

    public int InputSize { get; }

    public int OutputSize => _layers[^1].OutputSize;

    /// <summary>Rows the activation block holds; a larger batch re-plans it once (an allocation, then none again).</summary>
    public int MaxBatch { get; private set; }

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

    /// <summary>When set, backward also computes the gradient with respect to the input (gradient checks, saliency).</summary>
    public bool ComputeInputGradient { get; set; }

    /// <summary>Makes room for batches of <paramref name="rows"/>; allocates only when that is more than <see cref="MaxBatch"/>.</summary>
    public void EnsureBatchCapacity(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        if (rows > MaxBatch) PlanActivations(rows);
    }

    /// <summary>The staging rows the next <see cref="Forward(int, bool)"/> reads: fill them, then call it.</summary>
    public Span<float> InputBuffer(int rows)
    {
        EnsureBatchCapacity(rows);
        return _values[0].Rows(rows);
    }

    /// <summary>Copies the batch in, runs every layer and returns the output rows (valid until the next call).</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> input, int rows, bool training)
    {
        CheckBatch(input.Length, rows, InputSize, "input");
        input.CopyTo(InputBuffer(rows));
        return Forward(rows, training);
    }

    /// <summary>Runs every layer on the rows already in <see cref="InputBuffer"/>.</summary>
    public ReadOnlySpan<float> Forward(int rows, bool training)
    {
        EnsureBatchCapacity(rows);
        var context = new LayerContext(training, _threads, DropoutRandom, needInputGradient: true);
        for (int i = 0; i < _layers.Length; i++)
            _layers[i].Forward(_values[i].Rows(rows), _values[i + 1].Rows(rows), rows, context);
        _forwardRows = rows;
        _forwardTraining = training;
        return _values[^1].Rows(rows);
    }

    /// <summary>Output rows of layer <paramref name="index"/> from the last forward call (inspection, tests).</summary>
    public ReadOnlySpan<float> LayerOutput(int index, int rows)
    {
        if ((uint)index >= (uint)_layers.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The model has layers 0..{_layers.Length - 1}.");
        return _values[index + 1].Rows(rows);
    }

    /// <summary>Where the loss writes dLoss/dOutput for the rows of the last forward call.</summary>
    public Span<float> OutputGradient(int rows) => _gradients[^1].Rows(rows);

    /// <summary>Back-propagates <see cref="OutputGradient"/> through every layer, overwriting all gradients.</summary>
    public void Backward(int rows)
    {
        if (rows != _forwardRows)
            throw new InvalidOperationException($"Backward for {rows} rows, but the last forward call ran {_forwardRows} rows.");
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            var context = new LayerContext(_forwardTraining, _threads, DropoutRandom, needInputGradient: i > 0 || ComputeInputGradient);
            _layers[i].Backward(_values[i].Rows(rows), _values[i + 1].Rows(rows), _gradients[i + 1].Rows(rows), _gradients[i].Rows(rows), rows, context);
        }
    }

    /// <summary>dLoss/d(output of layer <paramref name="index"/>) from the last backward call (diagnostics, tests).</summary>
    internal ReadOnlySpan<float> LayerOutputGradient(int index, int rows)
    {
        if ((uint)index >= (uint)_layers.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The model has layers 0..{_layers.Length - 1}.");
        return _gradients[index + 1].Rows(rows);
    }

    /// <summary>dLoss/dInput of the last backward call; needs <see cref="ComputeInputGradient"/>.</summary>
    public ReadOnlySpan<float> InputGradient(int rows)
    {
        if (!ComputeInputGradient) throw new InvalidOperationException("Set ComputeInputGradient before backward to get the input gradient.");
        return _gradients[0].Rows(rows);
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

    /// <summary>Index of the largest output for one sample, as <see cref="Reductions.ArgMax"/> picks it.</summary>
    public int PredictClass(ReadOnlySpan<float> input) => Reductions.ArgMax(Forward(input, 1, training: false));

    public void Dispose()
    {
        Parameters.Dispose();
        _activationBlock?.Dispose();
    }

    public override string ToString() =>
        $"Model({InputSize} → {string.Join(" → ", _layers.Select(l => l.ToString()))}, {ParameterCount} parameters)";

    internal void CheckBatch(int length, int rows, int width, string what)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "A batch needs at least one row.");
        if (length != (long)rows * width)
            throw new ArgumentException(
                $"The {what} batch has {length} floats, expected {rows} rows × {width} features = {(long)rows * width}.");
    }

    private void PlanActivations(int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        var plan = new BufferPlan();
        var values = new int[_layers.Length + 1];
        var gradients = new int[_layers.Length + 1];
        values[0] = plan.Reserve(new TensorShape(maxBatch, InputSize));
        gradients[0] = plan.Reserve(new TensorShape(maxBatch, InputSize));
        for (int i = 0; i < _layers.Length; i++)
        {
            values[i + 1] = plan.Reserve(new TensorShape(maxBatch, _layers[i].OutputSize));
            gradients[i + 1] = plan.Reserve(new TensorShape(maxBatch, _layers[i].OutputSize));
            _layers[i].ReserveScratch(plan, maxBatch);
        }
        var block = plan.Allocate();
        _values = Array.ConvertAll(values, plan.Tensor);
        _gradients = Array.ConvertAll(gradients, plan.Tensor);
        foreach (var layer in _layers) layer.BindScratch(plan);
        _activationBlock?.Dispose();
        _activationBlock = block;
        MaxBatch = maxBatch;
        _forwardRows = 0;
    }
}
