using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// 2-D convolution over samples [C, H, W] (ONNX <c>Conv</c>, PyTorch <c>Conv2d</c>): Y = act(conv(X, W) + b) with
/// weights [M, C/groups, kH, kW], bias [M], the activation fused into the kernel. Backward: dZ = act'(·)⊙dY in
/// place, then db (sums over N·outH·outW), dW and, where asked for, dX. The kernel's workspace is scratch (the same
/// length at every batch); an activation whose backward reads the pre-activation keeps Z in scratch too.
/// </summary>
public sealed class Conv2DOp : Op
{
    public const string Name = "conv2d";
    private const int WeightsIndex = 0, BiasIndex = 1;
    private const int ScratchWorkspace = 0, ScratchPreActivation = 1;

    private Conv2DGeometry _geometry;

    public Conv2DOp(int channels, Window2D window, int groups = 1, bool bias = true,
        ActivationKind activation = ActivationKind.Identity, float activationAlpha = float.NaN,
        WeightInitializer initializer = WeightInitializer.Default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        if (!Enum.IsDefined(activation)) throw new ArgumentOutOfRangeException(nameof(activation), activation, "Not an activation.");
        if (window.KernelHeight == 0) throw new ArgumentException("The convolution's window is empty; create it with a kernel size.", nameof(window));
        if (channels % groups != 0) throw new ArgumentException($"conv2d: {channels} output channels do not divide into {groups} groups.");
        OutputChannels = channels;
        Window = window;
        Groups = groups;
        HasBias = bias;
        Activation = activation;
        ActivationAlpha = float.IsNaN(activationAlpha) ? Activations.DefaultAlpha(activation) : activationAlpha;
        InitializerChoice = initializer;
        Initializer = WeightInitialization.Resolve(initializer, activation);
    }

    public override string Kind => Name;

    public int OutputChannels { get; }

    public Window2D Window { get; }

    public int Groups { get; }

    public bool HasBias { get; }

    public ActivationKind Activation { get; }

    public float ActivationAlpha { get; }

    public WeightInitializer Initializer { get; }

    private WeightInitializer InitializerChoice { get; }

    /// <summary>The convolution's shape (known once the op is in a graph).</summary>
    public Conv2DGeometry Geometry => _geometry;

    /// <summary>[M, C/groups, kH, kW], row-major.</summary>
    public Span<float> Weights => Data(WeightsIndex);

    /// <summary>[M]; empty without a bias.</summary>
    public Span<float> Bias => HasBias ? Data(BiasIndex) : default;

    public Span<float> WeightGradients => Gradient(WeightsIndex);

    public Span<float> BiasGradients => HasBias ? Gradient(BiasIndex) : default;

    /// <summary>True when the kernel writes Y directly in training as well (backward needs only Y).</summary>
    internal bool FusesIntoEpilogue => FusedActivation.NeedsOnlyOutput(Activation, ActivationAlpha);

    internal static Op Create(OpAttributes a)
    {
        int channels = a.GetInt32("channels", 1, 1 << 24), groups = a.GetInt32("groups", 1, 1 << 24);
        if (channels % groups != 0) throw a.Bad("groups", $"is {groups}, which does not divide the {channels} output channels");
        long bias = a.GetInt64("bias", 1);
        if (bias is not (0 or 1)) throw a.Bad("bias", $"is {bias}, expected 0 (none) or 1");
        return new Conv2DOp(channels, Window2D.Read(a), groups, bias == 1, OpNames.ParseActivation(a, "activation"),
            (float)a.GetDouble("alpha", float.NaN), OpNames.ParseInitializer(a, "initializer"));
    }

    public override void WriteAttributes(OpAttributes attributes)
    {
        attributes.Set("channels", OutputChannels);
        Window.Write(attributes);
        attributes.Set("groups", Groups)
            .Set("bias", HasBias ? 1 : 0)
            .Set("activation", OpNames.Activation(Activation))
            .Set("alpha", ActivationAlpha)
            .Set("initializer", OpNames.Initializer(InitializerChoice));
    }

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        OpChecks.Rank(this, inputs[0], 3, "images [channels, height, width]");
        int channels = inputs[0][0];
        if (channels % Groups != 0)
            throw new ArgumentException($"conv2d: the input's {channels} channels do not divide into {Groups} groups.");
        _geometry = Window.Convolution(channels, inputs[0][1], inputs[0][2], OutputChannels, Groups);
        return [new TensorShape(OutputChannels, _geometry.OutputHeight, _geometry.OutputWidth)];
    }

    protected override OpTensor[] DeclareTensors()
    {
        var weights = new OpTensor("weights", new TensorShape(OutputChannels, _geometry.InputChannelsPerGroup, _geometry.KernelHeight, _geometry.KernelWidth), Trainable: true);
        return HasBias ? [weights, new("bias", new TensorShape(OutputChannels), Trainable: true)] : [weights];
    }

    internal override int[] ScratchLengths(int maxBatch, bool training)
    {
        int workspace = Conv2D.WorkspaceLength(_geometry);
        return training && !FusesIntoEpilogue ? [workspace, checked(maxBatch * _geometry.OutputLength)] : [workspace];
    }

    /// <summary>Fan-in C/groups·kH·kW and fan-out M·kH·kW, as PyTorch counts them; the bias starts at zero.</summary>
    internal override void Initialize(DeterministicRandom random)
    {
        int taps = _geometry.KernelHeight * _geometry.KernelWidth;
        WeightInitialization.Fill(Initializer, Weights, _geometry.ColumnRows, checked(OutputChannels * taps), random);
        Bias.Clear();
    }

    internal override void Forward(in OpContext context)
    {
        int rows = context.Rows;
        ReadOnlySpan<float> x = context.Input(0);
        Span<float> y = context.Output(0), workspace = context.Scratch(ScratchWorkspace);
        // Evaluation never runs backward, so the activation fuses whatever it is.
        if (FusesIntoEpilogue || !context.Training)
        {
            Conv2D.Forward(_geometry, rows, x, Weights, Bias, y, workspace, Activation, ActivationAlpha, context.Threads);
            return;
        }
        Span<float> z = context.Scratch(ScratchPreActivation)[..(rows * _geometry.OutputLength)];
        Conv2D.Forward(_geometry, rows, x, Weights, Bias, z, workspace, threads: context.Threads);
        Activations.Forward(Activation, z, y, ActivationAlpha);
    }

    internal override void Backward(in OpContext context)
    {
        int rows = context.Rows;
        ReadOnlySpan<float> x = context.Input(0), y = context.Output(0);
        Span<float> workspace = context.Scratch(ScratchWorkspace);
        // dZ overwrites dY in place: nothing reads dY after this node.
        Span<float> dz = context.OutputGradient(0);
        if (Activation != ActivationKind.Identity)
        {
            ReadOnlySpan<float> z = FusesIntoEpilogue ? y : context.Scratch(ScratchPreActivation)[..(rows * _geometry.OutputLength)];
            Activations.Backward(Activation, z, y, dz, dz, ActivationAlpha);
        }
        if (HasBias) Conv2D.BackwardBias(_geometry, rows, dz, BiasGradients);
        Conv2D.BackwardWeights(_geometry, rows, x, dz, WeightGradients, workspace, context.Threads);
        if (context.NeedsInputGradient(0))
            Conv2D.BackwardData(_geometry, rows, dz, Weights, context.InputGradient(0), workspace, context.Threads);
    }

    public override string ToString() =>
        $"Conv2D({_geometry.InputChannels}→{OutputChannels}, {Window}{(Groups == 1 ? "" : $", groups {Groups}")}{(HasBias ? "" : ", no bias")}, {Activation})";
}
