using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// ConvTranspose2D against a plain scatter over ONNX's definition (each input value adds its kernel, times the
/// weights, into the output at stride steps, the padding cut from the edges): strides, dilation, padding, output
/// padding, groups, with and without bias, shapes that take Conv2D's direct kernel and its GEMM columns; forward,
/// backward against finite differences, evaluation and frozen.
/// </summary>
public sealed class ConvTranspose2DOpTests
{
    private static readonly int[] Batches = [1, 7];

    public sealed record Shape(string Name, int Channels, int Height, int Width, int Outputs, Window2D Window, int Groups = 1,
        bool Bias = true, int PadH = 0, int PadW = 0)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Shape> Shapes() => new()
    {
        new("1→2 3×3", 1, 3, 3, 2, Window2D.Square(3)),
        new("3→4 3×3 stride 2 pad 1 output padding 1", 3, 4, 5, 4, Window2D.Square(3, stride: 2, pad: 1), PadH: 1, PadW: 1),
        new("2→3 3×2 stride 3×2 pads 1,0,2,1 no bias", 2, 4, 3, 3, new Window2D(3, 2, 3, 2, 1, 0, 2, 1), Bias: false, PadH: 2),
        new("4→6 groups 2 dilation 2", 4, 3, 4, 6, Window2D.Square(2, dilation: 2), Groups: 2),
        new("depthwise 3→3 4×4 stride 2 pad 1", 3, 5, 4, 3, Window2D.Square(4, stride: 2, pad: 1), Groups: 3),
        new("pointwise 5→3", 5, 3, 4, 3, Window2D.Square(1)),
        new("17→8 3×3 (columns)", 17, 4, 3, 8, Window2D.Square(3)),
        new("1→2 1×3 (1-D) stride 2", 1, 1, 6, 2, new Window2D(1, 3, 1, 2), PadW: 1),
    };

    private static OpCase Case(Shape s, bool training = true, bool prepared = false, int[]? batches = null) =>
        new($"conv-transpose2d {s.Name} {(prepared ? "frozen" : training ? "training" : "evaluation")}",
            () => new ConvTranspose2DOp(s.Outputs, s.Window, s.Groups, s.Bias, s.PadH, s.PadW), [new TensorShape(s.Channels, s.Height, s.Width)], Reference)
        {
            Training = training,
            Prepared = prepared,
            CheckBackward = training,
            Batches = batches ?? Batches,
        };

    /// <summary>y[n, g·M/G + m, i·sh − pt + p·dh, j·sw − pl + q·dw] += x[n, g·C/G + c, i, j]·w[g·C/G + c, m, p, q], then + b.</summary>
    private static double[][] Reference(OpReferenceArgs a)
    {
        var op = (ConvTranspose2DOp)a.Op;
        var win = op.Window;
        double[] x = a.Inputs[0], w = a.Tensor("weights");
        double[]? b = op.HasBias ? a.Tensor("bias") : null;
        int channels = a.InputShapes[0][0], h = a.InputShapes[0][1], width = a.InputShapes[0][2], outputs = op.OutputChannels;
        int kh = win.KernelHeight, kw = win.KernelWidth;
        int oh = win.StrideHeight * (h - 1) + op.OutputPaddingHeight + win.DilationHeight * (kh - 1) + 1 - win.PadTop - win.PadBottom;
        int ow = win.StrideWidth * (width - 1) + op.OutputPaddingWidth + win.DilationWidth * (kw - 1) + 1 - win.PadLeft - win.PadRight;
        int cin = channels / op.Groups, cout = outputs / op.Groups;
        var y = new double[a.Rows * outputs * oh * ow];
        for (int n = 0; n < a.Rows; n++)
        {
            for (int m = 0; m < outputs; m++)
                for (int k = 0; k < oh * ow; k++) y[(n * outputs + m) * oh * ow + k] = b is null ? 0 : b[m];
            for (int c = 0; c < channels; c++)
            {
                int group = c / cin;
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < width; j++)
                    {
                        double v = x[((n * channels + c) * h + i) * width + j];
                        for (int m = 0; m < cout; m++)
                            for (int p = 0; p < kh; p++)
                                for (int q = 0; q < kw; q++)
                                {
                                    int r = i * win.StrideHeight - win.PadTop + p * win.DilationHeight, col = j * win.StrideWidth - win.PadLeft + q * win.DilationWidth;
                                    if (r < 0 || r >= oh || col < 0 || col >= ow) continue;
                                    y[((n * outputs + group * cout + m) * oh + r) * ow + col] += v * w[((c * cout + m) * kh + p) * kw + q];
                                }
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
        OpTester.Check(Case(new("2→3 3×3 stride 2 output padding 1", 2, 4, 3, 3, Window2D.Square(3, stride: 2), PadH: 1, PadW: 1), batches: OpTester.Batches));

    [Fact]
    public void BadSettingsNameWhatIsWrong()
    {
        var e = Assert.Throws<ArgumentException>(() => new ConvTranspose2DOp(2, Window2D.Square(3, stride: 2), outputPaddingHeight: 2));
        Assert.Contains("output padding (2, 0) must be at least 0 and below the stride or the dilation", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ConvTranspose2DOp(3, Window2D.Square(3), groups: 2));
        Assert.Contains("3 output channels do not divide into 2 groups", e.Message);
        var op = new ConvTranspose2DOp(2, Window2D.Square(3, pad: 3));
        e = Assert.Throws<ArgumentException>(() => op.InferShapes([new TensorShape(1, 2, 2)]));
        Assert.Contains("gives an output of -2×-2; expected at least 1×1", e.Message);
    }

    [Fact]
    public void SavesAndLoadsItsSettings()
    {
        var op = new ConvTranspose2DOp(4, new Window2D(3, 2, 2, 1, 1, 0, 0, 1, 2, 1), groups: 2, bias: false, outputPaddingHeight: 1);
        var attributes = new OpAttributes(op.Kind);
        op.WriteAttributes(attributes);
        var back = (ConvTranspose2DOp)OpRegistry.Create(attributes);
        Assert.Equal((op.OutputChannels, op.Window, op.Groups, op.HasBias, op.OutputPaddingHeight, op.OutputPaddingWidth),
            (back.OutputChannels, back.Window, back.Groups, back.HasBias, back.OutputPaddingHeight, back.OutputPaddingWidth));
    }
}
