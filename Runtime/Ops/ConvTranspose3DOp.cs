using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// 3-D transposed convolution over samples [C, D, H, W] (ONNX <c>ConvTranspose</c> with three spatial axes, PyTorch
/// <c>ConvTranspose3d</c>) with weights [C, M/groups, kD, kH, kW] and bias [M]: along each axis
/// out = stride·(in − 1) + outputPadding + dilation·(k − 1) + 1 − padBegin − padEnd. Forward, the input gradient and
/// the weight gradient are GEMM products over columns (<see cref="ConvTranspose3D"/>: col2im forward, im2col
/// backward), the workspace one sample's columns of one group in scratch. Output padding adds planes, rows and
/// columns at the end that only the bias reaches (it must be below the stride or the dilation).
/// </summary>
public sealed class ConvTranspose3DOp : Op
{
    public const string Name = "conv-transpose3d";
    private const int WeightsIndex = 0, BiasIndex = 1;
    private const int ScratchWorkspace = 0;

    private ConvTranspose3DGeometry _geometry;

    public ConvTranspose3DOp(int channels, Window3D window, int groups = 1, bool bias = true,
        int outputPaddingDepth = 0, int outputPaddingHeight = 0, int outputPaddingWidth = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        if (window.Depth.Kernel == 0) throw new ArgumentException("The transposed convolution's window is empty; create it with a kernel size.", nameof(window));
        if (window.AutoPad != AutoPad.NotSet)
            throw new ArgumentException($"{Name} takes explicit padding; resolve automatic padding ({window}) into pads first.", nameof(window));
        if (channels % groups != 0) throw new ArgumentException($"{Name}: {channels} output channels do not divide into {groups} groups.");
        foreach (var (padding, axis) in (ReadOnlySpan<(int, WindowAxis)>)[(outputPaddingDepth, window.Depth), (outputPaddingHeight, window.Height), (outputPaddingWidth, window.Width)])
            if (padding < 0 || padding >= Math.Max(axis.Stride, axis.Dilation))
                throw new ArgumentException($"{Name}: output padding ({outputPaddingDepth}, {outputPaddingHeight}, {outputPaddingWidth}) must be at least 0 and below the stride or the dilation ({window}).");
        OutputChannels = channels;
        Window = window;
        Groups = groups;
        HasBias = bias;
        (OutputPaddingDepth, OutputPaddingHeight, OutputPaddingWidth) = (outputPaddingDepth, outputPaddingHeight, outputPaddingWidth);
    }

    public override string Kind => Name;

    public int OutputChannels { get; }

    public Window3D Window { get; }

    public int Groups { get; }

    public bool HasBias { get; }

    public int OutputPaddingDepth { get; }

    public int OutputPaddingHeight { get; }

    public int OutputPaddingWidth { get; }

    /// <summary>[C, M/groups, kD, kH, kW], row-major (ONNX's and PyTorch's layout).</summary>
    public Span<float> Weights => Data(WeightsIndex);

    /// <summary>[M]; empty without a bias.</summary>
    public Span<float> Bias => HasBias ? Data(BiasIndex) : default;

    public Span<float> WeightGradients => Gradient(WeightsIndex);

    public Span<float> BiasGradients => HasBias ? Gradient(BiasIndex) : default;

    internal static Op Create(OpAttributes a)
    {
        int channels = a.GetInt32("channels", 1, 1 << 24), groups = a.GetInt32("groups", 1, 1 << 24);
        if (channels % groups != 0) throw a.Bad("groups", $"is {groups}, which does not divide the {channels} output channels");
        long bias = a.GetInt64("bias", 1);
        if (bias is not (0 or 1)) throw a.Bad("bias", $"is {bias}, expected 0 (none) or 1");
        var window = Window3D.Read(a);
        if (window.AutoPad != AutoPad.NotSet) throw a.Bad("auto_pad", $"is '{Window2D.AutoPadName(window.AutoPad)}', expected 'explicit'");
        long[] padding = Window2D.List(a, "output_padding", 3, 0);
        WindowAxis[] axes = [window.Depth, window.Height, window.Width];
        for (int i = 0; i < 3; i++)
            if (padding[i] >= Math.Max(axes[i].Stride, axes[i].Dilation))
                throw a.Bad("output_padding", $"is [{string.Join(", ", padding)}], expected each value below its axis's stride or dilation");
        return new ConvTranspose3DOp(channels, window, groups, bias == 1, (int)padding[0], (int)padding[1], (int)padding[2]);
    }

    public override void WriteAttributes(OpAttributes attributes)
    {
        attributes.Set("channels", OutputChannels);
        Window.Write(attributes);
        attributes.Set("groups", Groups)
            .Set("bias", HasBias ? 1 : 0)
            .Set("output_padding", [OutputPaddingDepth, OutputPaddingHeight, OutputPaddingWidth]);
    }

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        OpChecks.Rank(this, inputs[0], 4, "volumes [channels, depth, height, width]");
        int channels = inputs[0][0];
        if (channels % Groups != 0)
            throw new ArgumentException($"{Name}: the input's {channels} channels do not divide into {Groups} groups.");
        var w = Window;
        long Size(int input, WindowAxis axis, int padding) => (long)axis.Stride * (input - 1) + padding + axis.Span - axis.PadBegin - axis.PadEnd;
        long outD = Size(inputs[0][1], w.Depth, OutputPaddingDepth), outH = Size(inputs[0][2], w.Height, OutputPaddingHeight), outW = Size(inputs[0][3], w.Width, OutputPaddingWidth);
        if (outD < 1 || outH < 1 || outW < 1 || outD > 1 << 24 || outH > 1 << 24 || outW > 1 << 24)
            throw new ArgumentException($"{Name}: an input of {inputs[0][1]}×{inputs[0][2]}×{inputs[0][3]} with {w} gives an output of {outD}×{outH}×{outW}; expected at least 1×1×1.");
        _geometry = new ConvTranspose3DGeometry(channels, inputs[0][1], inputs[0][2], inputs[0][3], OutputChannels, w.Depth, w.Height, w.Width, Groups,
            OutputPaddingDepth, OutputPaddingHeight, OutputPaddingWidth);
        return [new TensorShape(OutputChannels, _geometry.OutputDepth, _geometry.OutputHeight, _geometry.OutputWidth)];
    }

    protected override OpTensor[] DeclareTensors()
    {
        var weights = new OpTensor("weights", new TensorShape([_geometry.Channels, OutputChannels / Groups, Window.Depth.Kernel, Window.Height.Kernel, Window.Width.Kernel]), Trainable: true);
        return HasBias ? [weights, new("bias", new TensorShape(OutputChannels), Trainable: true)] : [weights];
    }

    internal override int[] ScratchLengths(int maxBatch, bool training) => [_geometry.WorkspaceLength];

    /// <summary>PyTorch's fan-in for ConvTranspose3d: the weights' second axis times the kernel (M/groups·kD·kH·kW); the bias starts at zero.</summary>
    internal override void Initialize(DeterministicRandom random)
    {
        int taps = _geometry.Taps;
        WeightInitialization.Fill(WeightInitialization.Resolve(WeightInitializer.Default, ActivationKind.Identity), Weights,
            checked(OutputChannels / Groups * taps), checked(_geometry.Channels * taps), random);
        Bias.Clear();
    }

    internal override void Forward(in OpContext context) =>
        ConvTranspose3D.Forward(_geometry, context.Rows, context.Input(0), Weights, Bias, context.Output(0), context.Scratch(ScratchWorkspace), context.Threads);

    internal override void Backward(in OpContext context) =>
        ConvTranspose3D.Backward(_geometry, context.Rows, context.Input(0), Weights, context.OutputGradient(0),
            context.NeedsInputGradient(0) ? context.InputGradient(0) : default, WeightGradients, BiasGradients, context.Scratch(ScratchWorkspace), context.Threads);

    public override string ToString() =>
        $"ConvTranspose3D({_geometry.Channels}→{OutputChannels}, {Window}{(Groups == 1 ? "" : $", groups {Groups}")}{(HasBias ? "" : ", no bias")})";
}
