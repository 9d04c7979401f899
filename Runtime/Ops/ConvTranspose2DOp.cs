using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// 2-D transposed convolution over samples [C, H, W] (ONNX <c>ConvTranspose</c>, PyTorch <c>ConvTranspose2d</c>) with
/// weights [C, M/groups, kH, kW] and bias [M]: the input gradient of the convolution that maps [M, outH, outW] back to
/// [C, H, W] with the same window, outH = strideH·(H − 1) + outputPaddingH + dilationH·(kH − 1) + 1 − padTop −
/// padBottom (alike for the width). That convolution's weights are laid out as ONNX's ConvTranspose weights, so
/// forward is <see cref="Conv2D.BackwardData(in Conv2DGeometry, int, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, int)"/>,
/// the input gradient is that convolution's forward of dY, and the weight gradient its weight gradient with dY as
/// its input and X as its output gradient: the three products and their kernels are Conv2D's, at every width.
/// Output padding adds rows and columns at the bottom and right that only the bias reaches (it must be below the stride).
/// </summary>
public sealed class ConvTranspose2DOp : Op
{
    public const string Name = "conv-transpose2d";
    private const int WeightsIndex = 0, BiasIndex = 1;
    private const int ScratchWorkspace = 0;

    // The convolution whose input gradient this op is: its input is this op's output, its output this op's input.
    private Conv2DGeometry _geometry;

    public ConvTranspose2DOp(int channels, Window2D window, int groups = 1, bool bias = true, int outputPaddingHeight = 0, int outputPaddingWidth = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        if (window.KernelHeight == 0) throw new ArgumentException("The transposed convolution's window is empty; create it with a kernel size.", nameof(window));
        if (window.AutoPad != AutoPad.NotSet)
            throw new ArgumentException($"{Name} takes explicit padding; resolve automatic padding ({window}) into pads first.", nameof(window));
        if (channels % groups != 0) throw new ArgumentException($"{Name}: {channels} output channels do not divide into {groups} groups.");
        if (outputPaddingHeight < 0 || outputPaddingHeight >= Math.Max(window.StrideHeight, window.DilationHeight)
            || outputPaddingWidth < 0 || outputPaddingWidth >= Math.Max(window.StrideWidth, window.DilationWidth))
            throw new ArgumentException($"{Name}: output padding ({outputPaddingHeight}, {outputPaddingWidth}) must be at least 0 and below the stride or the dilation ({window}).");
        OutputChannels = channels;
        Window = window;
        Groups = groups;
        HasBias = bias;
        OutputPaddingHeight = outputPaddingHeight;
        OutputPaddingWidth = outputPaddingWidth;
    }

    public override string Kind => Name;

    public int OutputChannels { get; }

    public Window2D Window { get; }

    public int Groups { get; }

    public bool HasBias { get; }

    public int OutputPaddingHeight { get; }

    public int OutputPaddingWidth { get; }

    /// <summary>[C, M/groups, kH, kW], row-major (ONNX's and PyTorch's layout).</summary>
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
        var window = Window2D.Read(a);
        int ph = (int)a.GetInt64("output_padding_height", 0), pw = (int)a.GetInt64("output_padding_width", 0);
        if (ph < 0 || ph >= Math.Max(window.StrideHeight, window.DilationHeight))
            throw a.Bad("output_padding_height", $"is {ph}, expected at least 0 and below the stride or the dilation");
        if (pw < 0 || pw >= Math.Max(window.StrideWidth, window.DilationWidth))
            throw a.Bad("output_padding_width", $"is {pw}, expected at least 0 and below the stride or the dilation");
        return new ConvTranspose2DOp(channels, window, groups, bias == 1, ph, pw);
    }

    public override void WriteAttributes(OpAttributes attributes)
    {
        attributes.Set("channels", OutputChannels);
        Window.Write(attributes);
        attributes.Set("groups", Groups)
            .Set("bias", HasBias ? 1 : 0)
            .Set("output_padding_height", OutputPaddingHeight)
            .Set("output_padding_width", OutputPaddingWidth);
    }

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        OpChecks.Rank(this, inputs[0], 3, "images [channels, height, width]");
        int channels = inputs[0][0], height = inputs[0][1], width = inputs[0][2];
        if (channels % Groups != 0)
            throw new ArgumentException($"{Name}: the input's {channels} channels do not divide into {Groups} groups.");
        var w = Window;
        long outH = (long)w.StrideHeight * (height - 1) + OutputPaddingHeight + (long)w.DilationHeight * (w.KernelHeight - 1) + 1 - w.PadTop - w.PadBottom;
        long outW = (long)w.StrideWidth * (width - 1) + OutputPaddingWidth + (long)w.DilationWidth * (w.KernelWidth - 1) + 1 - w.PadLeft - w.PadRight;
        if (outH < 1 || outW < 1 || outH > 1 << 24 || outW > 1 << 24)
            throw new ArgumentException($"{Name}: an input of {height}×{width} with {w} gives an output of {outH}×{outW}; expected at least 1×1.");
        _geometry = new Conv2DGeometry(OutputChannels, (int)outH, (int)outW, channels, w.KernelHeight, w.KernelWidth, w.StrideHeight, w.StrideWidth,
            w.PadTop, w.PadLeft, w.PadBottom, w.PadRight, w.DilationHeight, w.DilationWidth, Groups);
        if (_geometry.OutputHeight != height || _geometry.OutputWidth != width)
            throw new ArgumentException($"{Name}: the output of {outH}×{outW} does not map back onto the input's {height}×{width} with {w}.");
        return [new TensorShape(OutputChannels, (int)outH, (int)outW)];
    }

    protected override OpTensor[] DeclareTensors()
    {
        var weights = new OpTensor("weights", new TensorShape(_geometry.OutputChannels, OutputChannels / Groups, _geometry.KernelHeight, _geometry.KernelWidth), Trainable: true);
        return HasBias ? [weights, new("bias", new TensorShape(OutputChannels), Trainable: true)] : [weights];
    }

    internal override int[] ScratchLengths(int maxBatch, bool training) => [Conv2D.WorkspaceLength(_geometry)];

    /// <summary>PyTorch's fan-in for ConvTranspose2d: the weights' second axis times the kernel (M/groups·kH·kW); the bias starts at zero.</summary>
    internal override void Initialize(DeterministicRandom random)
    {
        int taps = _geometry.KernelHeight * _geometry.KernelWidth;
        WeightInitialization.Fill(WeightInitialization.Resolve(WeightInitializer.Default, ActivationKind.Identity), Weights, checked(OutputChannels / Groups * taps), checked(_geometry.OutputChannels * taps), random);
        Bias.Clear();
    }

    internal override void Forward(in OpContext context)
    {
        int rows = context.Rows;
        Span<float> y = context.Output(0);
        Conv2D.BackwardData(_geometry, rows, context.Input(0), Weights, y, context.Scratch(ScratchWorkspace), context.Threads);
        if (!HasBias) return;
        int plane = _geometry.InputPlane;
        ReadOnlySpan<float> bias = Bias;
        for (int n = 0; n < rows; n++)
        {
            for (int c = 0; c < OutputChannels; c++)
            {
                Span<float> channel = y.Slice((n * OutputChannels + c) * plane, plane);
                float b = bias[c];
                for (int i = 0; i < channel.Length; i++) channel[i] += b;
            }
        }
    }

    internal override void Backward(in OpContext context)
    {
        int rows = context.Rows, plane = _geometry.InputPlane;
        ReadOnlySpan<float> dy = context.OutputGradient(0);
        Span<float> workspace = context.Scratch(ScratchWorkspace);
        if (HasBias)
        {
            Span<float> db = BiasGradients;
            db.Clear();
            for (int n = 0; n < rows; n++)
                for (int c = 0; c < OutputChannels; c++) db[c] += Reductions.Sum(dy.Slice((n * OutputChannels + c) * plane, plane));
        }
        Conv2D.BackwardWeights(_geometry, rows, dy, context.Input(0), WeightGradients, workspace, context.Threads);
        if (context.NeedsInputGradient(0))
            Conv2D.Forward(_geometry, rows, dy, Weights, default, context.InputGradient(0), workspace, threads: context.Threads);
    }

    public override string ToString() =>
        $"ConvTranspose2D({_geometry.OutputChannels}→{OutputChannels}, {Window}{(Groups == 1 ? "" : $", groups {Groups}")}{(HasBias ? "" : ", no bias")})";
}
