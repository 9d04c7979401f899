using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// MaxPool3D and AvgPool3D against plain loops over ONNX's definitions over volumes: strides, explicit and
/// automatic padding, dilation, ceil mode, and for the average both divisors; rows wide enough for every vector
/// width and narrow ones for the scalar loop.
/// </summary>
public sealed class Pooling3DOpTests
{
    private static readonly int[] Batches = [1, 7];

    public sealed record Pool(string Name, int Channels, int Depth, int Height, int Width, Window3D Window, bool CeilMode = false, bool CountIncludePad = false)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Pool> Windows() => new()
    {
        new("2×2×2 stride 2", 2, 4, 4, 6, Window3D.Cube(2, stride: 2)),
        new("3×3×3 stride 1 pad 1 wide rows", 1, 3, 3, 21, Window3D.Cube(3, pad: 1)),
        new("3×3×3 stride 1 pad 1 counting padding", 2, 3, 4, 19, Window3D.Cube(3, pad: 1), CountIncludePad: true),
        new("2×3×2 strides 1,2,3 pads 1,0,1,0,2,1", 2, 4, 7, 8, new Window3D(new(2, 1, 1, 0), new(3, 2, 0, 2), new(2, 3, 1, 1))),
        new("2×2×2 stride 2 ceil", 2, 5, 3, 5, Window3D.Cube(2, stride: 2), CeilMode: true),
        new("3×3×3 stride 2 pad 1 ceil counting padding", 1, 4, 5, 6, Window3D.Cube(3, stride: 2, pad: 1), CeilMode: true, CountIncludePad: true),
        new("2×2×3 dilation 2 stride 1", 1, 5, 4, 20, new Window3D(new(2, Dilation: 2), new(2, Dilation: 2), new(3, Dilation: 2))),
        new("3×3×3 same-upper stride 2", 2, 4, 5, 6, new Window3D(new(3, 2), new(3, 2), new(3, 2), AutoPad.SameUpper)),
        new("2×2×4 same-lower stride 1 counting padding", 1, 3, 3, 12, new Window3D(new(2), new(2), new(4), AutoPad.SameLower), CountIncludePad: true),
        new("2×2×2 valid stride 3", 1, 5, 5, 7, new Window3D(new(2, 3), new(2, 3), new(2, 3), AutoPad.Valid)),
        new("1×1×1 stride 2", 2, 3, 3, 3, Window3D.Cube(1, stride: 2)),
    };

    private static OpCase MaxCase(Pool p, bool training = true, int[]? batches = null) =>
        new($"maxpool3d {p.Name} {(training ? "training" : "evaluation")}", () => new MaxPool3DOp(p.Window, p.CeilMode),
            [new TensorShape(p.Channels, p.Depth, p.Height, p.Width)], a => Reference(a, p, max: true))
        {
            Training = training,
            CheckBackward = training,
            NonSmooth = true,
            Batches = batches ?? Batches,
        };

    private static OpCase AverageCase(Pool p, bool training = true, int[]? batches = null) =>
        new($"avgpool3d {p.Name} {(training ? "training" : "evaluation")}", () => new AvgPool3DOp(p.Window, p.CountIncludePad, p.CeilMode),
            [new TensorShape(p.Channels, p.Depth, p.Height, p.Width)], a => Reference(a, p, max: false))
        {
            Training = training,
            Batches = batches ?? Batches,
        };

    /// <summary>Padding (begin, end) and output size of one axis, from ONNX's rules apart from the kernels' geometries.</summary>
    private static (int Begin, int End, int Outputs) Axis(WindowAxis axis, AutoPad mode, int input, bool ceil)
    {
        var (begin, end) = (axis.PadBegin, axis.PadEnd);
        if (mode is AutoPad.SameUpper or AutoPad.SameLower)
        {
            int outputs = (input + axis.Stride - 1) / axis.Stride;
            int total = Math.Max(0, (outputs - 1) * axis.Stride + (axis.Kernel - 1) * axis.Dilation + 1 - input);
            (begin, end) = mode == AutoPad.SameUpper ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
        }
        else if (mode == AutoPad.Valid) (begin, end) = (0, 0);
        return (begin, end, WindowReference.Outputs(input, axis.Kernel, axis.Stride, begin, end, axis.Dilation, ceil));
    }

    /// <summary>
    /// Each window's taps at (i·s − pad + k·d) along each axis; the max over those on the input, or their sum divided
    /// by the taps on the input, or (counting padding) by the taps within the padded input.
    /// </summary>
    private static double[][] Reference(OpReferenceArgs a, Pool p, bool max)
    {
        var win = p.Window;
        WindowAxis[] axes = [win.Depth, win.Height, win.Width];
        int[] sizes = [p.Depth, p.Height, p.Width];
        var resolved = new (int Begin, int End, int Outputs)[3];
        for (int i = 0; i < 3; i++) resolved[i] = Axis(axes[i], win.AutoPad, sizes[i], p.CeilMode);
        double[] x = a.Inputs[0];
        int od = resolved[0].Outputs, oh = resolved[1].Outputs, ow = resolved[2].Outputs;
        var y = new double[a.Rows * p.Channels * od * oh * ow];
        for (int volume = 0, o = 0; volume < a.Rows * p.Channels; volume++)
            for (int i = 0; i < od; i++)
                for (int j = 0; j < oh; j++)
                    for (int k = 0; k < ow; k++, o++)
                    {
                        double best = double.NegativeInfinity, sum = 0;
                        int onInput = 0, onPadded = 0;
                        int[] outputs = [i, j, k];
                        for (int u = 0; u < axes[0].Kernel; u++)
                            for (int v = 0; v < axes[1].Kernel; v++)
                                for (int t = 0; t < axes[2].Kernel; t++)
                                {
                                    int[] taps = [u, v, t];
                                    var at = new int[3];
                                    bool padded = true, inside = true;
                                    for (int n = 0; n < 3; n++)
                                    {
                                        at[n] = outputs[n] * axes[n].Stride - resolved[n].Begin + taps[n] * axes[n].Dilation;
                                        padded &= at[n] >= -resolved[n].Begin && at[n] < sizes[n] + resolved[n].End;
                                        inside &= at[n] >= 0 && at[n] < sizes[n];
                                    }
                                    if (padded) onPadded++;
                                    if (!inside) continue;
                                    double value = x[((volume * p.Depth + at[0]) * p.Height + at[1]) * p.Width + at[2]];
                                    onInput++;
                                    sum += value;
                                    best = Math.Max(best, value);
                                }
                        y[o] = max ? best : onInput == 0 ? 0 : sum / (p.CountIncludePad ? onPadded : onInput);
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

    /// <summary>Dilated windows whose taps all fall in the padding average to 0 (the max pool gives −∞ there, which the kernel tests check).</summary>
    [Fact]
    public void AveragePoolOfWindowsOffTheInput()
    {
        var p = new Pool("2×2×2 dilation 3 pad 1", 1, 2, 2, 9, Window3D.Cube(2, pad: 1, dilation: 3));
        OpTester.Check(AverageCase(p));
        OpTester.Check(AverageCase(p, training: false));
    }

    [Fact]
    public void EveryBatchSizeOfTheSweep()
    {
        var p = new Pool("3×3×3 stride 1 pad 1", 1, 3, 3, 10, Window3D.Cube(3, pad: 1));
        OpTester.Check(MaxCase(p, batches: OpTester.Batches));
        OpTester.Check(AverageCase(p, batches: OpTester.Batches));
    }

    [Fact]
    public void OutputShapes()
    {
        Assert.Equal(new TensorShape(3, 3, 4, 3), new MaxPool3DOp(Window3D.Cube(2, stride: 2), ceilMode: true).InferShapes([new TensorShape(3, 5, 7, 5)])[0]);
        Assert.Equal(new TensorShape(3, 2, 3, 2), new AvgPool3DOp(Window3D.Cube(2, stride: 2)).InferShapes([new TensorShape(3, 5, 7, 5)])[0]);
    }

    [Fact]
    public void SettingsSurviveTheRegistry()
    {
        var window = new Window3D(new(3, 2, 1, 0, 2), new(2, 1, 0, 1), new(1, 3, 0, 0, 1));
        var max = (MaxPool3DOp)OpRegistry.Clone(new MaxPool3DOp(window, ceilMode: true));
        Assert.Equal((window, true), (max.Window, max.CeilMode));
        var same = new Window3D(new(3, 2), new(3, 2), new(3, 2), AutoPad.SameUpper);
        var average = (AvgPool3DOp)OpRegistry.Clone(new AvgPool3DOp(same, countIncludePad: true));
        Assert.Equal((same, true, false), (average.Window, average.CountIncludePad, average.CeilMode));
    }

    [Fact]
    public void BadSettingsAndShapesAreRefusedInTheUsersTerms()
    {
        var a = new OpAttributes("avgpool3d").Set("kernel", [2L, 2L, 2L]).Set("stride", [2L, 2L, 2L]).Set("pads", [0L, 0L, 0L, 0L])
            .Set("auto_pad", "explicit").Set("dilation", [1L, 1L, 1L]);
        Assert.Equal("avgpool3d attribute 'pads' has 4 values, expected 6.", Assert.ThrowsAny<ArgumentException>(() => OpRegistry.Create(a)).Message);

        var e = Assert.Throws<ArgumentException>(() => new Window3D(new(2), new(0), new(2)));
        Assert.Equal("The window's kernel height is 0, expected a value in [1, 16777216].", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Window3D(new(2, PadEnd: 1), new(2), new(2), AutoPad.Valid));
        Assert.Equal("The window's padding is both explicit (0,0,0,1,0,0) and valid; give one.", e.Message);

        var builder = new GraphBuilder();
        var x = builder.Input(new TensorShape(2, 4, 4, 4));
        e = Assert.Throws<ArgumentException>(() => builder.Single(new MaxPool3DOp(new Window3D(new(2, PadBegin: 2), new(2), new(2))), x));
        Assert.Contains("padding 2 + 0 on the depth must be smaller than the kernel's span 2", e.Message);
        e = Assert.Throws<ArgumentException>(() => builder.Single(new AvgPool3DOp(Window3D.Cube(2)), builder.Input(new TensorShape(2, 4, 4))));
        Assert.Equal("Node 'avgpool3d0': avgpool3d takes volumes [channels, depth, height, width]: each sample must have 4 dimensions, got [2×4×4].", e.Message);
    }
}
