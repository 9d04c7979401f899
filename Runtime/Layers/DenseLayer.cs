using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Layers;

/// <summary>
/// Fully connected layer Y = act(X·W + b), W stored [Inputs × Outputs] row-major so the forward product is NN and
/// bias and activation run in GEMM's epilogue while each tile of Y is in cache.
/// Backward: dZ = act'(·)⊙dY, dW = Xᵀ·dZ (TN), db = column sums of dZ, dX = dZ·Wᵀ (NT).
/// </summary>
public sealed class DenseLayer : Layer
{
    private int _weightsHandle, _biasHandle, _preActivationHandle = -1;
    private Tensor _weights, _bias, _weightGradients, _biasGradients, _preActivation;

    internal DenseLayer(int inputs, int outputs, ActivationKind activation, float activationAlpha, WeightInitializer initializer)
        : base(inputs, outputs)
    {
        Activation = activation;
        ActivationAlpha = float.IsNaN(activationAlpha) ? Activations.DefaultAlpha(activation) : activationAlpha;
        Initializer = WeightInitialization.Resolve(initializer, activation);
    }

    public int Inputs => InputSize;

    public int Outputs => OutputSize;

    /// <summary>Activation fused into the layer (Identity for none).</summary>
    public ActivationKind Activation { get; }

    /// <summary>The activation's parameter (LeakyReLU slope, ELU alpha).</summary>
    public float ActivationAlpha { get; }

    public WeightInitializer Initializer { get; }

    public override int ParameterCount => Inputs * Outputs + Outputs;

    /// <summary>[Inputs × Outputs], row-major.</summary>
    public Span<float> Weights => _weights.Span;

    public Span<float> Bias => _bias.Span;

    public Span<float> WeightGradients => _weightGradients.Span;

    public Span<float> BiasGradients => _biasGradients.Span;

    /// <summary>
    /// True when backward needs only Y, so GEMM may write Y directly: the activation's backward kernel reads its
    /// output, or (LeakyReLU with a non-negative slope) Y has the sign of Z, which is all its derivative reads.
    /// Other activations keep the pre-activation Z for backward.
    /// </summary>
    internal bool FusesIntoEpilogue =>
        Activation == ActivationKind.Identity || Activations.ReadsOutput(Activation) ||
        (Activation == ActivationKind.LeakyRelu && ActivationAlpha >= 0);

    internal override void ReserveParameters(ParameterBlock block)
    {
        _weightsHandle = block.ReserveParameter(new TensorShape(Inputs, Outputs));
        _biasHandle = block.ReserveParameter(new TensorShape(Outputs));
    }

    internal override void BindParameters(ParameterBlock block)
    {
        _weights = block.Parameter(_weightsHandle);
        _bias = block.Parameter(_biasHandle);
        _weightGradients = block.Gradient(_weightsHandle);
        _biasGradients = block.Gradient(_biasHandle);
    }

    internal override void ReserveScratch(BufferPlan plan, int maxBatch)
    {
        _preActivationHandle = FusesIntoEpilogue ? -1 : plan.Reserve(new TensorShape(maxBatch, Outputs));
    }

    internal override void BindScratch(BufferPlan plan)
    {
        _preActivation = _preActivationHandle < 0 ? default : plan.Tensor(_preActivationHandle);
    }

    internal override void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, in LayerContext context)
    {
        if (FusesIntoEpilogue)
        {
            Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows, Outputs, Inputs, 1f, x, Inputs, Weights, Outputs, 0f, y, Outputs,
                new GemmEpilogue(Bias, Activation, ActivationAlpha), context.Threads);
            return;
        }
        Span<float> z = _preActivation.Rows(rows);
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows, Outputs, Inputs, 1f, x, Inputs, Weights, Outputs, 0f, z, Outputs,
            new GemmEpilogue(Bias), context.Threads);
        Activations.Forward(Activation, z, y, ActivationAlpha);
    }

    internal override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dy, Span<float> dx, int rows, in LayerContext context)
    {
        // dZ overwrites dY in place: nothing reads dY after this layer.
        Span<float> dz = dy;
        if (Activation != ActivationKind.Identity)
        {
            ReadOnlySpan<float> z = FusesIntoEpilogue ? y : _preActivation.Rows(rows);
            Activations.Backward(Activation, z, y, dy, dz, ActivationAlpha);
        }
        Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, Inputs, Outputs, rows, 1f, x, Inputs, dz, Outputs, 0f, WeightGradients, Outputs,
            default, context.Threads);
        Reductions.ColumnSums(dz, rows, Outputs, BiasGradients);
        if (context.NeedInputGradient)
        {
            Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, rows, Inputs, Outputs, 1f, dz, Outputs, Weights, Outputs, 0f, dx, Inputs,
                default, context.Threads);
        }
    }

    internal void Initialize(DeterministicRandom random)
    {
        WeightInitialization.Fill(Initializer, Weights, Inputs, Outputs, random);
        Bias.Clear();
    }
}
