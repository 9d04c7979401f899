using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// MaxPool2D, AvgPool2D and the global pools against plain loops over ONNX's definitions: strides, explicit and
/// automatic padding, dilation, ceil mode, and for the average both divisors (with and without the padding).
/// </summary>
public sealed class PoolingOpTests
{
    private static readonly int[] Batches = [1, 7];

    public sealed record Pool(string Name, int Channels, int Height, int Width, Window2D Window, bool CeilMode = false, bool CountIncludePad = false)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Pool> Windows() => new()
    {
        new("2×2 stride 2", 3, 8, 8, Window2D.Square(2, stride: 2)),
        new("3×3 stride 2 pad 1 odd", 2, 7, 9, Window2D.Square(3, stride: 2, pad: 1)),
        new("3×3 stride 2 pad 1 odd counting padding", 2, 7, 9, Window2D.Square(3, stride: 2, pad: 1), CountIncludePad: true),
        new("3×2 stride 3×1 pads 1,0,2,1", 2, 8, 5, new Window2D(3, 2, 3, 1, 1, 0, 2, 1)),
        new("2×2 stride 2 ceil", 2, 7, 5, Window2D.Square(2, stride: 2), CeilMode: true),
        new("3×3 stride 2 pad 1 ceil counting padding", 1, 6, 8, Window2D.Square(3, stride: 2, pad: 1), CeilMode: true, CountIncludePad: true),
        new("3×3 stride 3 pad 1 ceil", 2, 8, 7, Window2D.Square(3, stride: 3, pad: 1), CeilMode: true),
        new("3×3 dilation 2 stride 1", 2, 7, 8, Window2D.Square(3, dilation: 2)),
        new("2×3 dilation 2×1 stride 2 pad 1", 2, 9, 6, new Window2D(2, 3, 2, 2, 1, 1, 1, 1, 2, 1)),
        new("3×3 same-upper stride 2", 2, 8, 7, new Window2D(3, 3, 2, 2, autoPad: AutoPad.SameUpper)),
        new("4×4 same-lower stride 1 counting padding", 1, 6, 5, new Window2D(4, 4, autoPad: AutoPad.SameLower), CountIncludePad: true),
        new("2×2 valid stride 3", 2, 8, 7, new Window2D(2, 2, 3, 3, autoPad: AutoPad.Valid)),
        new("1×1 stride 2", 3, 5, 5, Window2D.Square(1, stride: 2)),
    };

    private static OpCase MaxCase(Pool p, bool training = true, int[]? batches = null) =>
        new($"maxpool2d {p.Name} {(training ? "training" : "evaluation")}", () => new MaxPool2DOp(p.Window, p.CeilMode),
            [new TensorShape(p.Channels, p.Height, p.Width)], a => PoolReference(a, p, max: true))
        {
            Training = training,
            CheckBackward = training,
            NonSmooth = true,
            Batches = batches ?? Batches,
        };

    private static OpCase AverageCase(Pool p, bool training = true) =>
        new($"avgpool2d {p.Name} {(training ? "training" : "evaluation")}", () => new AvgPool2DOp(p.Window, p.CountIncludePad, p.CeilMode),
            [new TensorShape(p.Channels, p.Height, p.Width)], a => PoolReference(a, p, max: false))
        {
            Training = training,
            Batches = Batches,
        };

    /// <summary>
    /// Each window's taps at (i·s − pad + k·d); the max over those on the input, or their sum divided by the taps
    /// on the input, or (counting padding) by the taps within the padded input.
    /// </summary>
    private static double[][] PoolReference(OpReferenceArgs a, Pool p, bool max)
    {
        var win = p.Window;
        double[] x = a.Inputs[0];
        int channels = p.Channels, h = p.Height, w = p.Width;
        var (top, left, bottom, right) = WindowReference.Pads(win, h, w);
        int oh = WindowReference.Outputs(h, win.KernelHeight, win.StrideHeight, top, bottom, win.DilationHeight, p.CeilMode);
        int ow = WindowReference.Outputs(w, win.KernelWidth, win.StrideWidth, left, right, win.DilationWidth, p.CeilMode);
        var y = new double[a.Rows * channels * oh * ow];
        for (int plane = 0; plane < a.Rows * channels; plane++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    double best = double.NegativeInfinity, sum = 0;
                    int onInput = 0, onPadded = 0;
                    for (int u = 0; u < win.KernelHeight; u++)
                        for (int v = 0; v < win.KernelWidth; v++)
                        {
                            int r = i * win.StrideHeight - top + u * win.DilationHeight, c = j * win.StrideWidth - left + v * win.DilationWidth;
                            if (r >= -top && r < h + bottom && c >= -left && c < w + right) onPadded++;
                            if (r < 0 || r >= h || c < 0 || c >= w) continue;
                            double value = x[(plane * h + r) * w + c];
                            onInput++;
                            sum += value;
                            best = Math.Max(best, value);
                        }
                    y[(plane * oh + i) * ow + j] = max ? best : onInput == 0 ? 0 : sum / (p.CountIncludePad ? onPadded : onInput);
                }
        return [y];
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void MaxPoolTrains(Pool p) => OpTester.Check(MaxCase(p));

    [Theory]
    [MemberData(nameof(Windows))]
    public void MaxPoolEvaluates(Pool p) => OpTester.Check(MaxCase(p, training: false));

    [Theory]
    [MemberData(nameof(Windows))]
    public void AveragePoolTrains(Pool p) => OpTester.Check(AverageCase(p));

    [Theory]
    [MemberData(nameof(Windows))]
    public void AveragePoolEvaluates(Pool p) => OpTester.Check(AverageCase(p, training: false));

    [Fact]
    public void MaxPoolOverEveryBatchSizeOfTheSweep() =>
        OpTester.Check(MaxCase(new("3×3 stride 2 pad 1", 2, 6, 6, Window2D.Square(3, stride: 2, pad: 1)), batches: OpTester.Batches));

    public static TheoryData<int, int, int> Planes() => new() { { 1, 1, 1 }, { 3, 4, 5 }, { 2, 7, 1 }, { 5, 3, 3 } };

    [Theory]
    [MemberData(nameof(Planes))]
    public void GlobalAveragePool(int channels, int height, int width)
    {
        foreach (bool training in (bool[])[true, false])
            OpTester.Check(new OpCase($"globalavgpool {channels}×{height}×{width} {training}", () => new GlobalAveragePoolOp(),
                [new TensorShape(channels, height, width)], a => GlobalReference(a, max: false))
            { Training = training });
    }

    [Theory]
    [MemberData(nameof(Planes))]
    public void GlobalMaxPool(int channels, int height, int width)
    {
        foreach (bool training in (bool[])[true, false])
            OpTester.Check(new OpCase($"globalmaxpool {channels}×{height}×{width} {training}", () => new GlobalMaxPoolOp(),
                [new TensorShape(channels, height, width)], a => GlobalReference(a, max: true))
            { Training = training, CheckBackward = training, NonSmooth = true });
    }

    private static double[][] GlobalReference(OpReferenceArgs a, bool max)
    {
        double[] x = a.Inputs[0];
        int planes = a.Rows * a.InputShapes[0][0], plane = a.InputShapes[0][1] * a.InputShapes[0][2];
        var y = new double[planes];
        for (int p = 0; p < planes; p++)
        {
            var values = x.AsSpan(p * plane, plane).ToArray();
            y[p] = max ? values.Max() : values.Average();
        }
        return [y];
    }

    [Fact]
    public void OutputShapes()
    {
        Assert.Equal(new TensorShape(3, 4, 3), new MaxPool2DOp(Window2D.Square(2, stride: 2), ceilMode: true).InferShapes([new TensorShape(3, 7, 5)])[0]);
        Assert.Equal(new TensorShape(3, 3, 2), new AvgPool2DOp(Window2D.Square(2, stride: 2)).InferShapes([new TensorShape(3, 7, 5)])[0]);
        Assert.Equal(new TensorShape(4, 1, 1), new GlobalAveragePoolOp().InferShapes([new TensorShape(4, 3, 2)])[0]);
        Assert.Equal(new TensorShape(4, 1, 1), new GlobalMaxPoolOp().InferShapes([new TensorShape(4, 3, 2)])[0]);
    }

    [Fact]
    public void SettingsSurviveTheRegistry()
    {
        var window = new Window2D(3, 2, 2, 1, 1, 0, 1, 1, 2, 1);
        var max = (MaxPool2DOp)OpRegistry.Clone(new MaxPool2DOp(window, ceilMode: true));
        Assert.Equal((window, true), (max.Window, max.CeilMode));
        var average = (AvgPool2DOp)OpRegistry.Clone(new AvgPool2DOp(new Window2D(3, 3, 2, 2, autoPad: AutoPad.SameUpper), countIncludePad: true));
        Assert.Equal((AutoPad.SameUpper, true, false), (average.Window.AutoPad, average.CountIncludePad, average.CeilMode));
    }

    [Fact]
    public void BadSettingsAndShapesAreRefusedInTheUsersTerms()
    {
        var a = new OpAttributes("avgpool2d").Set("kernel", [2L, 2L]).Set("stride", [2L, 2L]).Set("pads", [0L, 0L, 0L, 0L])
            .Set("auto_pad", "explicit").Set("dilation", [1L, 1L]).Set("count_include_pad", 2);
        Assert.Equal("avgpool2d attribute 'count_include_pad' is 2, expected 0 (off) or 1 (on).",
            Assert.ThrowsAny<ArgumentException>(() => OpRegistry.Create(a)).Message);

        var builder = new GraphBuilder();
        var x = builder.Input(new TensorShape(2, 4, 4));
        var e = Assert.Throws<ArgumentException>(() => builder.Single(new MaxPool2DOp(Window2D.Square(3, pad: 3)), x));
        Assert.Contains("padding 3 + 3 on the height must be smaller than the kernel's span 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => builder.Single(new GlobalMaxPoolOp(), builder.Input(new TensorShape(8))));
        Assert.Equal("Node 'globalmaxpool0': globalmaxpool takes images [channels, height, width]: each sample must have 3 dimensions, got [8].", e.Message);
    }
}
