using Simd.Runtime.Tensors;

namespace Simd.Runtime.Layers;

/// <summary>
/// One step of a sequential model over rows of features. Forward and backward are a pair of plain functions over
/// spans the model hands in (llm.c style): a layer owns views into the model's blocks, never memory of its own.
/// </summary>
public abstract class Layer
{
    private protected Layer(int inputSize, int outputSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize);
        InputSize = inputSize;
        OutputSize = outputSize;
    }

    /// <summary>Features per input row.</summary>
    public int InputSize { get; }

    /// <summary>Features per output row.</summary>
    public int OutputSize { get; }

    /// <summary>Trainable parameters in this layer.</summary>
    public virtual int ParameterCount => 0;

    internal virtual void ReserveParameters(ParameterBlock block) { }

    internal virtual void BindParameters(ParameterBlock block) { }

    /// <summary>Reserves per-batch scratch (pre-activations, masks, batch statistics) for up to maxBatch rows.</summary>
    internal virtual void ReserveScratch(BufferPlan plan, int maxBatch) { }

    internal virtual void BindScratch(BufferPlan plan) { }

    /// <summary>y[rows×OutputSize] from x[rows×InputSize].</summary>
    internal abstract void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, in LayerContext context);

    /// <summary>
    /// Given dy, writes this layer's parameter gradients (overwriting) and dx. x and y are the forward call's
    /// tensors, still intact; dy may be overwritten.
    /// </summary>
    internal abstract void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dy, Span<float> dx, int rows, in LayerContext context);

    public override string ToString() => $"{GetType().Name}({InputSize}→{OutputSize})";
}
