using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Fully connected: Y = act(X·W + b), W stored [Inputs × Outputs] row-major so the forward product is NN and bias
/// and activation run in GEMM's epilogue while each tile of Y is in cache. A sample of more than one dimension
/// ([tokens, features]) is multiplied over its last axis: its leading axes are rows too, so one GEMM covers
/// batch × tokens rows (PyTorch's Linear on [N, T, D]).
/// Backward: dZ = act'(·)⊙dY, dW = Xᵀ·dZ (TN), db = column sums of dZ, dX = dZ·Wᵀ (NT).
/// Frozen, W is packed once into the micro-kernel's panel layout, and any activation runs in the epilogue.
/// </summary>
public sealed class DenseOp : Op
{
    public const string Name = "dense";
    private const int WeightsIndex = 0, BiasIndex = 1;

    private GemmPackedB? _packed;
    private int _rowsPerSample = 1;

    public DenseOp(int outputs, ActivationKind activation = ActivationKind.Identity, float activationAlpha = float.NaN,
        WeightInitializer initializer = WeightInitializer.Default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        if (!Enum.IsDefined(activation)) throw new ArgumentOutOfRangeException(nameof(activation), activation, "Not an activation.");
        Outputs = outputs;
        Activation = activation;
        ActivationAlpha = float.IsNaN(activationAlpha) ? Activations.DefaultAlpha(activation) : activationAlpha;
        InitializerChoice = initializer;
        Initializer = WeightInitialization.Resolve(initializer, activation);
    }

    public override string Kind => Name;

    /// <summary>Features per input row (known once the op is in a graph).</summary>
    public int Inputs { get; private set; }

    /// <summary>Rows of features in one sample: the product of the sample's axes before the last (1 for rows of features).</summary>
    public int RowsPerSample => _rowsPerSample;

    public int Outputs { get; }

    /// <summary>Activation fused into the op (Identity for none).</summary>
    public ActivationKind Activation { get; }

    /// <summary>The activation's parameter (LeakyReLU slope, ELU alpha).</summary>
    public float ActivationAlpha { get; }

    /// <summary>The initializer the weights are drawn with (Default resolved by the activation).</summary>
    public WeightInitializer Initializer { get; }

    private WeightInitializer InitializerChoice { get; }

    /// <summary>[Inputs × Outputs], row-major.</summary>
    public Span<float> Weights => Data(WeightsIndex);

    public Span<float> Bias => Data(BiasIndex);

    public Span<float> WeightGradients => Gradient(WeightsIndex);

    public Span<float> BiasGradients => Gradient(BiasIndex);

    /// <summary>True when GEMM may write Y directly: backward needs only Y (<see cref="FusedActivation.NeedsOnlyOutput"/>).</summary>
    internal bool FusesIntoEpilogue => FusedActivation.NeedsOnlyOutput(Activation, ActivationAlpha);

    internal static Op Create(OpAttributes a) => new DenseOp(a.GetInt32("outputs", 1, 1 << 24), OpNames.ParseActivation(a, "activation"),
        (float)a.GetDouble("alpha", float.NaN), OpNames.ParseInitializer(a, "initializer"));

    public override void WriteAttributes(OpAttributes attributes) => attributes
        .Set("outputs", Outputs)
        .Set("activation", OpNames.Activation(Activation))
        .Set("alpha", ActivationAlpha)
        .Set("initializer", OpNames.Initializer(InitializerChoice));

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        TensorShape x = inputs[0];
        if (x.Rank == 0) throw new ArgumentException("dense takes samples of at least one dimension (features last); got a scalar.");
        Inputs = x[x.Rank - 1];
        if (Inputs == 0) throw new ArgumentException("dense takes at least one input feature.");
        var dims = x.ToArray();
        _rowsPerSample = x.Length / Inputs;
        dims[^1] = Outputs;
        return [new TensorShape(dims)];
    }

    protected override OpTensor[] DeclareTensors() =>
        [new("weights", new TensorShape(Inputs, Outputs), Trainable: true), new("bias", new TensorShape(Outputs), Trainable: true)];

    internal override int[] ScratchLengths(int maxBatch, bool training) =>
        training && !FusesIntoEpilogue ? [checked(maxBatch * _rowsPerSample * Outputs)] : [];

    // A frozen op always runs the packed path, whose epilogue applies any activation: no scratch there.

    internal override void Initialize(DeterministicRandom random)
    {
        WeightInitialization.Fill(Initializer, Weights, Inputs, Outputs, random);
        Bias.Clear();
    }

    internal override void Forward(in OpContext context)
    {
        int rows = context.Rows * _rowsPerSample;
        ReadOnlySpan<float> x = context.Input(0);
        Span<float> y = context.Output(0);
        if (_packed is not null)
        {
            Gemm.Multiply(rows, 1f, x, Inputs, _packed, 0f, y, Outputs, new GemmEpilogue(Bias, Activation, ActivationAlpha), context.Threads);
            return;
        }
        if (FusesIntoEpilogue)
        {
            Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows, Outputs, Inputs, 1f, x, Inputs, Weights, Outputs, 0f, y, Outputs,
                new GemmEpilogue(Bias, Activation, ActivationAlpha), context.Threads);
            return;
        }
        Span<float> z = context.Scratch(0)[..(rows * Outputs)];
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows, Outputs, Inputs, 1f, x, Inputs, Weights, Outputs, 0f, z, Outputs,
            new GemmEpilogue(Bias), context.Threads);
        Activations.Forward(Activation, z, y, ActivationAlpha);
    }

    internal override void Backward(in OpContext context)
    {
        int rows = context.Rows * _rowsPerSample;
        ReadOnlySpan<float> x = context.Input(0), y = context.Output(0);
        // dZ overwrites dY in place: nothing reads dY after this node.
        Span<float> dz = context.OutputGradient(0);
        if (Activation != ActivationKind.Identity)
        {
            ReadOnlySpan<float> z = FusesIntoEpilogue ? y : context.Scratch(0)[..(rows * Outputs)];
            Activations.Backward(Activation, z, y, dz, dz, ActivationAlpha);
        }
        Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, Inputs, Outputs, rows, 1f, x, Inputs, dz, Outputs, 0f, WeightGradients, Outputs,
            default, context.Threads);
        Reductions.ColumnSums(dz, rows, Outputs, BiasGradients);
        if (context.NeedsInputGradient(0))
        {
            Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, rows, Inputs, Outputs, 1f, dz, Outputs, Weights, Outputs, 0f, context.InputGradient(0), Inputs,
                default, context.Threads);
        }
    }

    internal override void Prepare() => _packed ??= Gemm.PackB(MatrixOp.None, Inputs, Outputs, Weights, Outputs);

    internal override void ReleasePrepared()
    {
        _packed?.Dispose();
        _packed = null;
    }

    public override string ToString() => $"Dense({Inputs}→{Outputs}, {Activation})";
}
