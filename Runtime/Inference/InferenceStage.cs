namespace Simd.Runtime.Inference;

/// <summary>One frozen step, ready to run: immutable, so any number of threads may run it at once.</summary>
internal abstract class InferenceStage : IDisposable
{
    protected InferenceStage(int inputSize, int outputSize)
    {
        InputSize = inputSize;
        OutputSize = outputSize;
    }

    public int InputSize { get; }

    public int OutputSize { get; }

    /// <summary>y[rows×OutputSize] from x[rows×InputSize]; x and y never overlap.</summary>
    public abstract void Run(ReadOnlySpan<float> x, Span<float> y, int rows, int threads);

    public virtual void Dispose() { }

    public static InferenceStage Create(InferenceStep step, int width) => step switch
    {
        DenseStep d => new DenseStage(d),
        AffineStep a => new AffineStage(a),
        ActivationStep act => new ActivationStage(width, act),
        _ => throw new NotSupportedException($"No inference stage runs {step}; fold the plan first."),
    };
}
