using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// ConvTranspose3D against a plain scatter over ONNX's definition (each input value adds its kernel, times the
/// weights, into the output at stride steps, the padding cut from the edges): strides, dilation, padding, output
/// padding, groups, with and without bias; forward, backward against finite differences, evaluation and frozen.
/// </summary>
public sealed class ConvTranspose3DOpTests
{
    private static readonly int[] Batches = [1, 7];

    public sealed record Shape(string Name, int Channels, int Depth, int Height, int Width, int Outputs, Window3D Window, int Groups = 1,
        bool Bias = true, int PadD = 0, int PadH = 0, int PadW = 0)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Shape> Shapes() => new()
    {
        new("1→2 3×3×3", 1, 2, 3, 3, 2, Window3D.Cube(3)),
        new("2→3 3×3×3 stride 2 pad 1 output padding 1", 2, 2, 3, 2, 3, Window3D.Cube(3, stride: 2, pad: 1), PadD: 1, PadH: 1, PadW: 1),
        new("2→2 2×3×2 strides 1,2,3 pads 0,1,1,1,0,0 no bias", 2, 3, 2, 3, 2, new Window3D(new(2, 1, 0, 1), new(3, 2, 1, 0), new(2, 3, 1, 0)), Bias: false, PadW: 2),
        new("4→6 groups 2 dilation 2", 4, 2, 2, 3, 6, Window3D.Cube(2, dilation: 2), Groups: 2),
        new("depthwise 3→3 2×2×2 stride 2", 3, 2, 2, 2, 3, Window3D.Cube(2, stride: 2), Groups: 3),
        new("pointwise 5→3", 5, 2, 3, 2, 3, Window3D.Cube(1)),
    };

    private static OpCase Case(Shape s, bool training = true, bool prepared = false, int[]? batches = null) =>
        new($"conv-transpose3d {s.Name} {(prepared ? "frozen" : training ? "training" : "evaluation")}",
            () => new ConvTranspose3DOp(s.Outputs, s.Window, s.Groups, s.Bias, s.PadD, s.PadH, s.PadW),
            [new TensorShape(s.Channels, s.Depth, s.Height, s.Width)], Reference)
        {
            Training = training,
            Prepared = prepared,
            CheckBackward = training,
            Batches = batches ?? Batches,
        };

    /// <summary>y[n, g·M/G + m, i·s − p + k·d (each axis)] += x[n, g·C/G + c, i]·w[g·C/G + c, m, k], then + b.</summary>
    private static double[][] Reference(OpReferenceArgs a)
    {
        var op = (ConvTranspose3DOp)a.Op;
        var win = op.Window;
        WindowAxis[] axes = [win.Depth, win.Height, win.Width];
        int[] padding = [op.OutputPaddingDepth, op.OutputPaddingHeight, op.OutputPaddingWidth];
        double[] x = a.Inputs[0], w = a.Tensor("weights");
        double[]? b = op.HasBias ? a.Tensor("bias") : null;
        int channels = a.InputShapes[0][0], outputs = op.OutputChannels;
        int[] input = [a.InputShapes[0][1], a.InputShapes[0][2], a.InputShapes[0][3]];
        var output = new int[3];
        for (int i = 0; i < 3; i++)
            output[i] = axes[i].Stride * (input[i] - 1) + padding[i] + axes[i].Dilation * (axes[i].Kernel - 1) + 1 - axes[i].PadBegin - axes[i].PadEnd;
        int inVolume = input[0] * input[1] * input[2], outVolume = output[0] * output[1] * output[2];
        int taps = axes[0].Kernel * axes[1].Kernel * axes[2].Kernel, cin = channels / op.Groups, cout = outputs / op.Groups;
        var y = new double[a.Rows * outputs * outVolume];
        for (int n = 0; n < a.Rows; n++)
        {
            for (int m = 0; m < outputs; m++)
                for (int k = 0; k < outVolume; k++) y[(n * outputs + m) * outVolume + k] = b is null ? 0 : b[m];
            for (int c = 0; c < channels; c++)
                for (int i = 0; i < input[0]; i++)
                    for (int j = 0; j < input[1]; j++)
                        for (int l = 0; l < input[2]; l++)
                        {
                            double v = x[(n * channels + c) * inVolume + (i * input[1] + j) * input[2] + l];
                            for (int m = 0; m < cout; m++)
                                for (int p = 0; p < axes[0].Kernel; p++)
                                    for (int q = 0; q < axes[1].Kernel; q++)
                                        for (int r = 0; r < axes[2].Kernel; r++)
                                        {
                                            int od = i * axes[0].Stride - axes[0].PadBegin + p * axes[0].Dilation;
                                            int oh = j * axes[1].Stride - axes[1].PadBegin + q * axes[1].Dilation;
                                            int ow = l * axes[2].Stride - axes[2].PadBegin + r * axes[2].Dilation;
                                            if (od < 0 || od >= output[0] || oh < 0 || oh >= output[1] || ow < 0 || ow >= output[2]) continue;
                                            int tap = (p * axes[1].Kernel + q) * axes[2].Kernel + r;
                                            y[(n * outputs + c / cin * cout + m) * outVolume + (od * output[1] + oh) * output[2] + ow] += v * w[(c * cout + m) * taps + tap];
                                        }
                        }
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
        OpTester.Check(Case(new("2→3 3×3×3 stride 2 output padding 1", 2, 2, 2, 3, 3, Window3D.Cube(3, stride: 2), PadD: 1, PadW: 1), batches: OpTester.Batches));

    [Fact]
    public void BadSettingsNameWhatIsWrong()
    {
        var e = Assert.Throws<ArgumentException>(() => new ConvTranspose3DOp(2, Window3D.Cube(3, stride: 2), outputPaddingHeight: 2));
        Assert.Contains("output padding (0, 2, 0) must be at least 0 and below the stride or the dilation", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ConvTranspose3DOp(3, Window3D.Cube(3), groups: 2));
        Assert.Contains("3 output channels do not divide into 2 groups", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ConvTranspose3DOp(3, new Window3D(new(2), new(2), new(2), AutoPad.SameUpper)));
        Assert.Contains("takes explicit padding; resolve automatic padding", e.Message);
        var op = new ConvTranspose3DOp(2, Window3D.Cube(3, pad: 3));
        e = Assert.Throws<ArgumentException>(() => op.InferShapes([new TensorShape(1, 2, 2, 2)]));
        Assert.Contains("gives an output of -2×-2×-2; expected at least 1×1×1", e.Message);
    }

    [Fact]
    public void SavesAndLoadsItsSettings()
    {
        var op = new ConvTranspose3DOp(4, new Window3D(new(3, 2, 1, 0, 2), new(2, 1, 0, 1), new(1, 3, 0, 0)), groups: 2, bias: false,
            outputPaddingDepth: 1, outputPaddingWidth: 2);
        var back = (ConvTranspose3DOp)OpRegistry.Clone(op);
        Assert.Equal((op.OutputChannels, op.Window, op.Groups, op.HasBias, op.OutputPaddingDepth, op.OutputPaddingHeight, op.OutputPaddingWidth),
            (back.OutputChannels, back.Window, back.Groups, back.HasBias, back.OutputPaddingDepth, back.OutputPaddingHeight, back.OutputPaddingWidth));
    }
}
