using Simd.Runtime.Graphs;
using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// Conv2D against a plain loop over ONNX's definition: strides, explicit and automatic padding, dilation, groups
/// (depthwise among them), odd sizes, with and without bias, activations fused in the kernel or kept in scratch,
/// and shapes that take the direct kernel as well as the GEMM columns.
/// </summary>
public sealed class Conv2DOpTests
{
    private static readonly int[] Batches = [1, 7];

    public sealed record Shape(string Name, int Channels, int Height, int Width, int Outputs, Window2D Window, int Groups = 1,
        bool Bias = true, ActivationKind Activation = ActivationKind.Identity, float Alpha = float.NaN)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Shape> Shapes() => new()
    {
        new("3→4 3×3 pad 1", 3, 5, 5, 4, Window2D.Square(3, pad: 1)),
        new("2→6 3×2 stride 2 pads 1,0,2,1 no bias relu", 2, 7, 6, 6, new Window2D(3, 2, 2, 2, 1, 0, 2, 1), Bias: false, Activation: ActivationKind.Relu),
        new("4→4 groups 2 dilation 2 pad 1 tanh", 4, 7, 7, 4, Window2D.Square(3, pad: 1, dilation: 2), Groups: 2, Activation: ActivationKind.Tanh),
        new("depthwise 3→3 stride 3 same-upper gelu", 3, 8, 7, 3, new Window2D(3, 3, 3, 3, autoPad: AutoPad.SameUpper), Groups: 3, Activation: ActivationKind.GeluErf),
        new("depthwise ×2 3→6 same-lower 4×4 stride 2 leaky -0.1", 3, 8, 7, 6, new Window2D(4, 4, 2, 2, autoPad: AutoPad.SameLower), Groups: 3,
            Activation: ActivationKind.LeakyRelu, Alpha: -0.1f),
        new("pointwise 5→3 valid", 5, 4, 6, 3, new Window2D(1, 1, autoPad: AutoPad.Valid)),
        new("2→3 2×3 stride 2×1 dilation 2×1 odd", 2, 9, 5, 3, new Window2D(2, 3, 2, 1, 0, 1, 1, 0, 2, 1), Activation: ActivationKind.Sigmoid),
        new("17→8 3×3 pad 1 (columns)", 17, 6, 5, 8, Window2D.Square(3, pad: 1), Activation: ActivationKind.Relu),
        new("6→4 5×5 stride 3 pad 2 groups 2 no bias", 6, 11, 10, 4, Window2D.Square(5, stride: 3, pad: 2), Groups: 2, Bias: false),
        new("1→2 3×3 stride 1×3 same-upper dilation 1×2", 1, 5, 9, 2, new Window2D(3, 3, 1, 3, dilationWidth: 2, autoPad: AutoPad.SameUpper), Activation: ActivationKind.Silu),
    };

    private static OpCase Case(Shape s, bool training = true, bool prepared = false, int[]? batches = null) =>
        new($"conv2d {s.Name} {(prepared ? "frozen" : training ? "training" : "evaluation")}",
            () => new Conv2DOp(s.Outputs, s.Window, s.Groups, s.Bias, s.Activation, s.Alpha), [new TensorShape(s.Channels, s.Height, s.Width)], Reference)
        {
            Training = training,
            Prepared = prepared,
            CheckBackward = training,
            NonSmooth = DenseOpTests.Kinked(s.Activation),
            Batches = batches ?? Batches,
        };

    /// <summary>y[n, m, i, j] = act(b[m] + Σ_c Σ_kh Σ_kw x[n, g·C/G + c, i·sh − pt + kh·dh, j·sw − pl + kw·dw]·w[m, c, kh, kw]), zero outside.</summary>
    private static double[][] Reference(OpReferenceArgs a)
    {
        var op = (Conv2DOp)a.Op;
        var win = op.Window;
        double[] x = a.Inputs[0], w = a.Tensor("weights");
        double[]? b = op.HasBias ? a.Tensor("bias") : null;
        int channels = a.InputShapes[0][0], h = a.InputShapes[0][1], width = a.InputShapes[0][2], outputs = op.OutputChannels;
        var (top, left, bottom, right) = WindowReference.Pads(win, h, width);
        int oh = WindowReference.Outputs(h, win.KernelHeight, win.StrideHeight, top, bottom, win.DilationHeight);
        int ow = WindowReference.Outputs(width, win.KernelWidth, win.StrideWidth, left, right, win.DilationWidth);
        int cin = channels / op.Groups, cout = outputs / op.Groups, kh = win.KernelHeight, kw = win.KernelWidth;
        var y = new double[a.Rows * outputs * oh * ow];
        for (int n = 0; n < a.Rows; n++)
            for (int m = 0; m < outputs; m++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double z = b is null ? 0 : b[m];
                        int group = m / cout;
                        for (int c = 0; c < cin; c++)
                            for (int p = 0; p < kh; p++)
                                for (int q = 0; q < kw; q++)
                                {
                                    int r = i * win.StrideHeight - top + p * win.DilationHeight, col = j * win.StrideWidth - left + q * win.DilationWidth;
                                    if (r < 0 || r >= h || col < 0 || col >= width) continue;
                                    z += x[((n * channels + group * cin + c) * h + r) * width + col] * w[((m * cin + c) * kh + p) * kw + q];
                                }
                        y[((n * outputs + m) * oh + i) * ow + j] = ActivationReference.Forward(op.Activation, z, op.ActivationAlpha);
                    }
        return [y];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Trains(Shape s) => OpTester.Check(Case(s));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Evaluates(Shape s) => OpTester.Check(Case(s, training: false));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Frozen(Shape s) => OpTester.Check(Case(s, training: false, prepared: true));

    /// <summary>OpTester's whole sweep of batch sizes (1, 2, 7, 32) on one layer.</summary>
    [Fact]
    public void EveryBatchSizeOfTheSweep() =>
        OpTester.Check(Case(new("2→3 3×3 same-upper stride 2 relu", 2, 6, 5, 3, new Window2D(3, 3, 2, 2, autoPad: AutoPad.SameUpper),
            Activation: ActivationKind.Relu), batches: OpTester.Batches));

    [Theory]
    [InlineData(AutoPad.SameUpper, 7, 3, 2, 4, 1, 1)]
    [InlineData(AutoPad.SameUpper, 8, 4, 1, 8, 1, 2)]   // an odd total: the extra row at the end
    [InlineData(AutoPad.SameLower, 8, 4, 1, 8, 2, 1)]   // ... or at the start
    [InlineData(AutoPad.SameLower, 8, 3, 3, 3, 1, 0)]
    [InlineData(AutoPad.Valid, 8, 3, 2, 3, 0, 0)]
    public void AutomaticPaddingGivesOnnxsOutputSize(AutoPad mode, int size, int kernel, int stride, int outputs, int begin, int end)
    {
        var op = new Conv2DOp(2, new Window2D(kernel, kernel, stride, stride, autoPad: mode));
        var shapes = op.InferShapes([new TensorShape(1, size, size)]);
        Assert.Equal(new TensorShape(2, outputs, outputs), shapes[0]);
        Assert.Equal((begin, end), (op.Geometry.PadTop, op.Geometry.PadBottom));
        Assert.Equal((begin, end), (op.Geometry.PadLeft, op.Geometry.PadRight));
        var reference = WindowReference.Pads(op.Window, size, size);
        Assert.Equal((begin, end), (reference.Top, reference.Bottom));
    }

    [Fact]
    public void WeightsAreDrawnWithTheFanInOfOneOutputChannel()
    {
        var builder = new GraphBuilder();
        var x = builder.Input(new TensorShape(6, 10, 10));
        var relu = new Conv2DOp(8, Window2D.Square(3), groups: 2, activation: ActivationKind.Relu);
        var plain = new Conv2DOp(4, Window2D.Square(3), initializer: WeightInitializer.XavierUniform);
        builder.Output(builder.Single(plain, builder.Single(relu, x)));
        using var model = builder.Build(seed: 3);
        Assert.Equal(WeightInitializer.HeUniform, relu.Initializer);
        double heLimit = Math.Sqrt(6.0 / (3 * 3 * 3)), xavierLimit = Math.Sqrt(6.0 / (8 * 9 + 4 * 9));
        Assert.Equal(8 * 3 * 3 * 3, relu.Weights.Length);
        Assert.InRange(MaxAbs(relu.Weights), 0.9 * heLimit, heLimit);
        Assert.InRange(MaxAbs(plain.Weights), 0.9 * xavierLimit, xavierLimit);
        Assert.All(relu.Bias.ToArray(), b => Assert.Equal(0f, b));
    }

    private static double MaxAbs(ReadOnlySpan<float> values)
    {
        double max = 0;
        foreach (float v in values) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    [Fact]
    public void SettingsSurviveTheRegistry()
    {
        var op = new Conv2DOp(6, new Window2D(3, 2, 2, 1, 1, 0, 2, 1, 2, 1), groups: 3, bias: false, ActivationKind.LeakyRelu, 0.2f,
            WeightInitializer.HeNormal);
        var clone = (Conv2DOp)OpRegistry.Clone(op);
        Assert.Equal(op.Window, clone.Window);
        Assert.Equal((6, 3, false, ActivationKind.LeakyRelu, 0.2f, WeightInitializer.HeNormal),
            (clone.OutputChannels, clone.Groups, clone.HasBias, clone.Activation, clone.ActivationAlpha, clone.Initializer));
        var auto = (Conv2DOp)OpRegistry.Clone(new Conv2DOp(2, new Window2D(3, 3, autoPad: AutoPad.SameLower)));
        Assert.Equal(AutoPad.SameLower, auto.Window.AutoPad);
    }

    private static OpAttributes Settings() => new OpAttributes("conv2d").Set("channels", 4).Set("kernel", [3L, 3L]).Set("stride", [1L, 1L])
        .Set("pads", [0L, 0L, 0L, 0L]).Set("auto_pad", "explicit").Set("dilation", [1L, 1L]).Set("groups", 1).Set("bias", 1).Set("activation", "relu");

    [Theory]
    [InlineData("auto_pad", "same", "conv2d attribute 'auto_pad' is 'same', expected one of explicit, same-upper, same-lower, valid.")]
    [InlineData("kernel", "3", "conv2d attribute 'kernel' has 1 values, expected 2.")]
    [InlineData("stride", "0,1", "conv2d attribute 'stride' holds 0, expected values in [1, 16777216].")]
    [InlineData("pads", "1,1,1,-1", "conv2d attribute 'pads' holds -1, expected values in [0, 16777216].")]
    [InlineData("groups", "3", "conv2d attribute 'groups' is 3, which does not divide the 4 output channels.")]
    [InlineData("bias", "2", "conv2d attribute 'bias' is 2, expected 0 (none) or 1.")]
    public void BadSettingsAreRefusedNamingThem(string name, string value, string message)
    {
        var a = Settings();
        if (name is "auto_pad") a.Set(name, value);
        else if (name is "groups" or "bias") a.Set(name, long.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        else a.Set(name, value.Split(',').Select(v => long.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        var e = Assert.ThrowsAny<ArgumentException>(() => OpRegistry.Create(a));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void PaddingBothExplicitAndAutomaticIsRefused()
    {
        var a = Settings().Set("auto_pad", "same-upper").Set("pads", [1L, 1L, 1L, 1L]);
        var e = Assert.ThrowsAny<ArgumentException>(() => OpRegistry.Create(a));
        Assert.Equal("conv2d attribute 'pads' is [1, 1, 1, 1] with auto_pad 'same-upper', expected [0, 0, 0, 0] (or auto_pad 'explicit').", e.Message);
    }

    [Theory]
    [InlineData(new[] { 3, 2, 2 }, 1, "kernel height 3 exceeds the padded input height 2")]
    [InlineData(new[] { 3, 5, 5 }, 2, "3 channels do not divide into 2 groups")]
    [InlineData(new[] { 75 }, 1, "images [channels, height, width]: each sample must have 3 dimensions, got [75]")]
    public void ShapesThatDoNotFitAreRefusedNamingTheNode(int[] shape, int groups, string detail)
    {
        var builder = new GraphBuilder();
        var x = builder.Input(new TensorShape(shape));
        var e = Assert.Throws<ArgumentException>(() => builder.Single(new Conv2DOp(4, Window2D.Square(3), groups), x));
        Assert.StartsWith("Node 'conv2d", e.Message);
        Assert.Contains(detail, e.Message);
    }
}
