namespace Simd.Runtime.Tensors;

/// <summary>
/// A model's persistent memory in one aligned block: trainable parameters, their gradients (same layout, so
/// parameter i's gradient is at the same index), non-trainable buffers (BatchNorm running statistics) and two
/// parameter-sized slots of optimizer state (Adam's m and v; SGD, Adagrad and RMSprop use one or two). Optimizers
/// then update the whole parameter region in one call.
/// </summary>
public sealed class ParameterBlock : IDisposable
{
    /// <summary>Parameter-sized slots reserved for optimizer state: the most any optimizer here needs.</summary>
    public const int OptimizerSlots = 2;

    private const int AlignmentFloats = AlignedBuffer.Alignment / sizeof(float);

    private readonly List<(int Offset, TensorShape Shape)> _parameters = new();
    private readonly List<(int Offset, TensorShape Shape)> _buffers = new();
    private readonly bool _trainable;
    private AlignedBuffer? _block;
    private int _parameterLength, _bufferLength;

    /// <summary>A block for training: parameters, gradients, buffers and optimizer state.</summary>
    public ParameterBlock() : this(trainable: true) { }

    /// <param name="trainable">False for a frozen model: parameters and buffers only, no gradients or optimizer state.</param>
    internal ParameterBlock(bool trainable) => _trainable = trainable;

    /// <summary>True when the block holds gradients and optimizer state beside the parameters.</summary>
    public bool IsTrainable => _trainable;

    /// <summary>Floats in the parameter region (each tensor padded to 64 bytes; the padding stays zero).</summary>
    public int ParameterLength => _parameterLength;

    /// <summary>Floats in the buffer region.</summary>
    public int BufferLength => _bufferLength;

    /// <summary>Number of real (unpadded) trainable parameters.</summary>
    public int ParameterCount { get; private set; }

    internal int ReserveParameter(TensorShape shape)
    {
        EnsurePlanning();
        _parameters.Add((_parameterLength, shape));
        _parameterLength = checked(_parameterLength + Pad(shape.Length));
        ParameterCount += shape.Length;
        return _parameters.Count - 1;
    }

    internal int ReserveBuffer(TensorShape shape)
    {
        EnsurePlanning();
        _buffers.Add((_bufferLength, shape));
        _bufferLength = checked(_bufferLength + Pad(shape.Length));
        return _buffers.Count - 1;
    }

    /// <param name="zeroed">False for a caller that writes every tensor before anything reads the block (a freeze copies them all).</param>
    internal void Allocate(bool zeroed = true)
    {
        EnsurePlanning();
        _block = new AlignedBuffer(_trainable ? checked((2 + OptimizerSlots) * _parameterLength + _bufferLength) : checked(_parameterLength + _bufferLength), zeroed);
    }

    internal Tensor Parameter(int handle) => new(Block, _parameters[handle].Offset, _parameters[handle].Shape);

    internal Tensor Gradient(int handle) => _trainable ? new(Block, _parameterLength + _parameters[handle].Offset, _parameters[handle].Shape) : default;

    internal Tensor Buffer(int handle) => new(Block, BufferStart + _buffers[handle].Offset, _buffers[handle].Shape);

    public Span<float> Parameters => Block.Span.Slice(0, _parameterLength);

    public Span<float> Gradients => Trainable.Span.Slice(_parameterLength, _parameterLength);

    public Span<float> Buffers => Block.Span.Slice(BufferStart, _bufferLength);

    private int BufferStart => _trainable ? 2 * _parameterLength : _parameterLength;

    private AlignedBuffer Trainable => _trainable ? Block : throw new InvalidOperationException("A frozen model's parameters have no gradients or optimizer state.");

    /// <summary>Optimizer state slot 0 or 1, each as long as <see cref="Parameters"/>.</summary>
    public Span<float> OptimizerState(int slot)
    {
        if ((uint)slot >= OptimizerSlots)
            throw new ArgumentOutOfRangeException(nameof(slot), slot, $"Optimizer state has slots 0..{OptimizerSlots - 1}.");
        return Trainable.Span.Slice(2 * _parameterLength + _bufferLength + slot * _parameterLength, _parameterLength);
    }

    /// <summary>Both optimizer slots back to back.</summary>
    public Span<float> AllOptimizerState => Trainable.Span.Slice(2 * _parameterLength + _bufferLength, OptimizerSlots * _parameterLength);

    public void Dispose() => _block?.Dispose();

    private AlignedBuffer Block => _block ?? throw new InvalidOperationException("The parameter block has not been allocated.");

    private void EnsurePlanning()
    {
        if (_block is not null) throw new InvalidOperationException("The parameter block is already allocated.");
    }

    private static int Pad(int length) => (length + AlignmentFloats - 1) / AlignmentFloats * AlignmentFloats;
}
