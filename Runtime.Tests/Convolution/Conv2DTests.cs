using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Convolution;

using static ConvolutionReference;

[Trait("Category", "Kernels")]
public class Conv2DTests
{
    private static readonly SimdWidth[] Widths = [SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];

    /// <summary>Odd sizes, every stride, padding on one side only, dilation, groups and depthwise, 1×1 and wide rows.</summary>
    public static readonly Conv2DGeometry[] Shapes =
    [
        new(1, 28, 28, 6, 5, 5, padTop: 2, padLeft: 2, padBottom: 2, padRight: 2),           // LeNet conv1
        new(6, 14, 14, 16, 5, 5),                                                               // LeNet conv2
        new(3, 9, 7, 5, 3, 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1),
        new(2, 11, 13, 3, 3, 3, strideHeight: 2, strideWidth: 2, padTop: 1, padLeft: 0, padBottom: 0, padRight: 1),
        new(3, 10, 10, 4, 3, 2, strideHeight: 3, strideWidth: 3, padTop: 2, padLeft: 1, padBottom: 2, padRight: 1),
        new(2, 9, 9, 2, 3, 3, padTop: 2, padLeft: 2, padBottom: 2, padRight: 2, dilationHeight: 2, dilationWidth: 2),
        new(4, 6, 5, 6, 3, 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, groups: 2),
        new(5, 8, 7, 5, 3, 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, groups: 5), // depthwise
        new(7, 5, 6, 3, 1, 1),                                                                  // pointwise
        new(4, 5, 6, 3, 1, 1, strideHeight: 2, strideWidth: 2),                                 // 1×1 strided
        new(1, 3, 37, 2, 1, 3, padLeft: 1, padRight: 1),                                        // a row longer than 2 chunks of 16
        new(1, 2, 70, 1, 2, 5, padTop: 0, padLeft: 2, padBottom: 1, padRight: 2),
        new(2, 1, 1, 3, 1, 1),
        new(1, 4, 4, 2, 4, 4),                                                                  // one output
        new(1, 2, 3, 2, 3, 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1),
        new(16, 12, 12, 8, 3, 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1),
        new(12, 9, 11, 4, 3, 3, strideHeight: 2, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, groups: 2), // 54 taps, 2 outputs per group
        new(20, 8, 19, 3, 3, 3, padTop: 1, padLeft: 2, padBottom: 1, padRight: 0, dilationWidth: 2),          // 180 taps, 3 outputs
    ];

    public static TheoryData<int> ShapeIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Shapes.Length; i++) data.Add(i);
        return data;
    }

    private static List<(SimdWidth, Conv2DAlgorithm)> Paths(in Conv2DGeometry g)
    {
        var paths = new List<(SimdWidth, Conv2DAlgorithm)> { (SimdWidth.Scalar, Conv2DAlgorithm.Reference) };
        foreach (var width in Widths.Skip(1))
        {
            paths.Add((width, Conv2DAlgorithm.Columns));
            if (Conv2D.DirectPossible(g)) paths.Add((width, Conv2DAlgorithm.Direct));
        }
        return paths;
    }

    private static Conv2DAlgorithm[] DataAlgorithms(in Conv2DGeometry g) =>
        Conv2DTransposed.Possible(g) ? [Conv2DAlgorithm.Columns, Conv2DAlgorithm.Direct] : [Conv2DAlgorithm.Columns];

    private static Conv2DAlgorithm[] WeightAlgorithms(in Conv2DGeometry g) =>
        Conv2DDirectWeights.Possible(g) ? [Conv2DAlgorithm.Columns, Conv2DAlgorithm.Direct] : [Conv2DAlgorithm.Columns];

    /// <summary>A workspace of exactly the advertised length, holding NaN: the kernels must not read what they did not write.</summary>
    private static float[] Workspace(in Conv2DGeometry g)
    {
        var ws = new float[Conv2D.WorkspaceLength(g)];
        Array.Fill(ws, float.NaN);
        return ws;
    }

    [Theory]
    [MemberData(nameof(ShapeIndices))]
    public void ForwardMatchesDirectLoopOnEveryPath(int shape)
    {
        var g = Shapes[shape];
        var random = new Random(shape);
        foreach (int batch in (int[])[1, 3])
        {
            float[] x = Random(random, batch * g.InputLength), w = Random(random, g.WeightLength), bias = Random(random, g.OutputChannels);
            double[] expected = Forward(g, batch, x, w, bias);
            double[] relu = expected.Select(v => Math.Max(v, 0)).ToArray();
            double[] plain = Forward(g, batch, x, w, []);
            foreach (var (width, algorithm) in Paths(g))
            {
                string at = $"{g} batch {batch} {width} {algorithm}";
                var y = new float[expected.Length];
                Array.Fill(y, float.NaN);
                Conv2D.Forward(width, algorithm, g, batch, x, w, bias, y, Workspace(g), ActivationKind.Identity, float.NaN, 1);
                Near(expected, y, 1e-5, at);
                Conv2D.Forward(width, algorithm, g, batch, x, w, bias, y, Workspace(g), ActivationKind.Relu, float.NaN, 1);
                Near(relu, y, 1e-5, at + " relu");
                Array.Fill(y, float.NaN);
                Conv2D.Forward(width, algorithm, g, batch, x, w, [], y, Workspace(g), ActivationKind.Identity, float.NaN, 2);
                Near(plain, y, 1e-5, at + " no bias");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ShapeIndices))]
    public void GradientsMatchDirectLoopAtEveryWidth(int shape)
    {
        var g = Shapes[shape];
        var random = new Random(100 + shape);
        foreach (int batch in (int[])[1, 3])
        {
            float[] x = Random(random, batch * g.InputLength), w = Random(random, g.WeightLength), dy = Random(random, batch * g.OutputLength);
            var (dx0, dw0, db0) = Backward(g, batch, x, w, dy);
            foreach (var width in Widths)
            {
                string at = $"{g} batch {batch} {width}";
                var dx = new float[x.Length];
                var dw = new float[w.Length];
                var db = new float[g.OutputChannels];
                Array.Fill(dx, float.NaN);
                Array.Fill(dw, float.NaN);
                Array.Fill(db, float.NaN);
                Conv2D.BackwardData(width, g, batch, dy, w, dx, Workspace(g), 1);
                Conv2D.BackwardWeights(width, g, batch, x, dy, dw, Workspace(g), 1);
                Conv2D.BackwardBias(width, g, batch, dy, db);
                Near(dx0, dx, 1e-5, "dx " + at);
                Near(dw0, dw, 1e-4, "dw " + at);
                Near(db0, db, 1e-4, "db " + at);
                if (width == SimdWidth.Scalar) continue;
                foreach (var algorithm in WeightAlgorithms(g))
                {
                    Array.Fill(dw, float.NaN);
                    Conv2D.BackwardWeights(width, algorithm, g, batch, x, dy, dw, Workspace(g), 1);
                    Near(dw0, dw, 1e-4, $"dw {at} {algorithm}");
                }
                foreach (var algorithm in DataAlgorithms(g))
                {
                    Array.Fill(dx, float.NaN);
                    Conv2D.BackwardData(width, algorithm, g, batch, dy, w, dx, Workspace(g), 1);
                    Near(dx0, dx, 1e-5, $"dx {at} {algorithm}");
                }
            }
        }
    }

    [Fact]
    public void ThreadsGiveBitwiseTheSameResults()
    {
        foreach (var g in (Conv2DGeometry[])[Shapes[1], Shapes[8], Shapes[15]])
        {
            var random = new Random(11);
            const int batch = 2;
            float[] x = Random(random, batch * g.InputLength), w = Random(random, g.WeightLength), dy = Random(random, batch * g.OutputLength);
            float[] Run(int threads)
            {
                var y = new float[batch * g.OutputLength];
                var dx = new float[x.Length];
                var dw = new float[w.Length];
                Conv2D.Forward(SimdWidth.V256, Conv2DAlgorithm.Columns, g, batch, x, w, [], y, Workspace(g), ActivationKind.Relu, float.NaN, threads);
                Conv2D.BackwardData(SimdWidth.V256, g, batch, dy, w, dx, Workspace(g), threads);
                Conv2D.BackwardWeights(SimdWidth.V256, g, batch, x, dy, dw, Workspace(g), threads);
                return [.. y, .. dx, .. dw];
            }
            Assert.Equal(Run(1), Run(2));
        }
    }

    [Fact]
    public void EmptyBatchWritesNothingButZeroGradients()
    {
        var g = Shapes[2];
        var dw = new float[g.WeightLength];
        var db = new float[g.OutputChannels];
        Array.Fill(dw, 7f);
        Array.Fill(db, 7f);
        foreach (var width in Widths)
        {
            Conv2D.Forward(width, Conv2D.Choose(width, g), g, 0, [], new float[g.WeightLength], [], [], Workspace(g), ActivationKind.Relu, float.NaN, 1);
            Conv2D.BackwardData(width, g, 0, [], new float[g.WeightLength], [], Workspace(g), 1);
            Conv2D.BackwardWeights(width, g, 0, [], [], dw, Workspace(g), 1);
            Conv2D.BackwardBias(width, g, 0, [], db);
            Assert.All(dw, v => Assert.Equal(0f, v));
            Assert.All(db, v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void NaNAndInfinityPropagateToTheOutputsTheyReach()
    {
        foreach (var g in (Conv2DGeometry[])[Shapes[0], Shapes[2], Shapes[7], Shapes[8]])
        {
            var random = new Random(7);
            float[] x = Random(random, g.InputLength), w = Random(random, g.WeightLength), bias = Random(random, g.OutputChannels);
            x[g.InputPlane / 2] = float.NaN;
            x[g.InputLength - 1] = float.PositiveInfinity;
            w[0] = MathF.Abs(w[0]) + 0.5f; // a positive first weight, so +Inf stays +Inf where nothing else is infinite
            double[] expected = Forward(g, 1, x, w, bias);
            foreach (var (width, algorithm) in Paths(g))
            {
                var y = new float[g.OutputLength];
                Conv2D.Forward(width, algorithm, g, 1, x, w, bias, y, Workspace(g), ActivationKind.Identity, float.NaN, 1);
                Near(expected, y, 1e-5, $"{g} {width} {algorithm}");
                Assert.Contains(y, float.IsNaN);
            }
        }
    }

    [Fact]
    public void WrongLengthsAreNamedInTheMessage()
    {
        var g = Shapes[2];
        var ws = Workspace(g);
        var e = Assert.Throws<ArgumentException>(() => Conv2D.Forward(g, 2, new float[g.InputLength], new float[g.WeightLength], [], new float[2 * g.OutputLength], ws));
        Assert.Equal($"Conv2D: the input has {g.InputLength} elements; expected batch·C·H·W = {2 * g.InputLength}.", e.Message);
        e = Assert.Throws<ArgumentException>(() => Conv2D.Forward(g, 1, new float[g.InputLength], new float[g.WeightLength], new float[2], new float[g.OutputLength], ws));
        Assert.Equal("Conv2D: the bias has 2 elements; expected output channels = 5.", e.Message);
        e = Assert.Throws<ArgumentException>(() => Conv2D.Forward(g, 1, new float[g.InputLength], new float[g.WeightLength], [], new float[g.OutputLength], new float[1]));
        Assert.Contains("the workspace has 1 elements", e.Message);
        Assert.Contains("Conv2D.WorkspaceLength", e.Message);
        var shared = new float[g.InputLength + g.OutputLength];
        e = Assert.Throws<ArgumentException>(() => Conv2D.Forward(g, 1, shared.AsSpan(0, g.InputLength), new float[g.WeightLength], [], shared.AsSpan(1, g.OutputLength), ws));
        Assert.Contains("the output overlaps the input", e.Message);
        var big = new float[g.InputLength + ws.Length];
        e = Assert.Throws<ArgumentException>(() => Conv2D.Forward(g, 1, big.AsSpan(0, g.InputLength), new float[g.WeightLength], [], new float[g.OutputLength], big.AsSpan(g.InputLength - 1)));
        Assert.Equal("Conv2D: the workspace overlaps the input; expected separate buffers.", e.Message);
        e = Assert.Throws<ArgumentException>(() => Conv2D.BackwardWeights(g, 1, new float[g.InputLength], new float[g.OutputLength], big.AsSpan(0, g.WeightLength), big.AsSpan(g.WeightLength - 1)));
        Assert.Contains("the workspace overlaps the weight gradient", e.Message);
        e = Assert.Throws<ArgumentException>(() => Conv2D.BackwardWeights(g, -1, [], [], new float[g.WeightLength], ws));
        Assert.Contains("batch must not be negative; got -1", e.Message);
    }

    [Fact]
    public void ChoiceFollowsTheMeasuredRule()
    {
        Assert.Equal(Conv2DAlgorithm.Reference, Conv2D.Choose(SimdWidth.Scalar, Shapes[0]));
        Assert.Equal(Conv2DAlgorithm.Direct, Conv2D.Choose(SimdWidth.V256, Shapes[0]));   // 6 outputs
        Assert.Equal(Conv2DAlgorithm.Direct, Conv2D.Choose(SimdWidth.V512, Shapes[1]));   // rows of 10 in 16 lanes
        Assert.Equal(Conv2DAlgorithm.Direct, Conv2D.Choose(SimdWidth.V256, Shapes[1]));   // two vectors of 8
        Assert.Equal(Conv2DAlgorithm.Columns, Conv2D.Choose(SimdWidth.V512, Shapes[3]));  // stride 2
        Assert.Equal(Conv2DAlgorithm.Direct, Conv2D.Choose(SimdWidth.V512, Shapes[7]));   // depthwise
        var resnet = new Conv2DGeometry(16, 28, 28, 16, 3, 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1);
        Assert.Equal(Conv2DAlgorithm.Direct, Conv2D.Choose(SimdWidth.V512, resnet));
        var narrow = new Conv2DGeometry(32, 7, 7, 32, 3, 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1);
        Assert.Equal(Conv2DAlgorithm.Columns, Conv2D.Choose(SimdWidth.V512, narrow));       // 7 of 16 lanes
        Assert.Equal(Conv2DAlgorithm.Columns, Conv2D.Choose(SimdWidth.V256, narrow));       // one vector a row
        Assert.Equal(Conv2DAlgorithm.Direct, Conv2D.Choose(SimdWidth.V128, narrow));        // two of 4
        var wide = new Conv2DGeometry(128, 9, 9, 8, 3, 3);                                    // 1,152 taps
        Assert.Equal(Conv2DAlgorithm.Columns, Conv2D.Choose(SimdWidth.V512, wide));
        Assert.False(Conv2D.DirectPossible(wide));
        Assert.Equal(Conv2DAlgorithm.Direct, Conv2D.ChooseData(SimdWidth.V512, resnet));
        Assert.Equal(Conv2DAlgorithm.Columns, Conv2D.ChooseData(SimdWidth.V512, Shapes[3]));
        Assert.Equal(Conv2DAlgorithm.Direct, Conv2D.ChooseData(SimdWidth.V512, Shapes[1]));   // LeNet conv2: 6 channels of dx ...
        Assert.Equal(Conv2DAlgorithm.Columns, Conv2D.ChooseData(SimdWidth.V256, Shapes[1]));  // ... fill half a tile at 256 bits
        Assert.Equal(Conv2DAlgorithm.Direct, Conv2D.ChooseData(SimdWidth.V256, Shapes[7]));   // depthwise: GEMM of depth 1
        Assert.Equal(Conv2DAlgorithm.Direct, Conv2D.ChooseData(SimdWidth.V256, resnet));
        Assert.Equal(Conv2DAlgorithm.Direct, Conv2D.ChooseWeights(SimdWidth.V512, resnet));
        Assert.Equal(Conv2DAlgorithm.Columns, Conv2D.ChooseWeights(SimdWidth.V512, Shapes[3]));   // stride 2, 3 outputs
        Assert.Equal(Conv2DAlgorithm.Direct, Conv2D.ChooseWeights(SimdWidth.V256,
            new Conv2DGeometry(16, 28, 28, 32, 3, 3, 2, 2, 1, 1, 1, 1)));                              // stride 2, 32 outputs
        Assert.Equal(Conv2DAlgorithm.Columns, Conv2D.ChooseWeights(SimdWidth.V512,
            new Conv2DGeometry(16, 28, 28, 32, 1, 1, 2, 2)));                                          // 16 taps for 32 outputs
        var lenet = Shapes[0];
        var e = Assert.Throws<ArgumentException>(() => Conv2D.Forward(SimdWidth.V256, Conv2DAlgorithm.Direct, wide, 1,
            new float[wide.InputLength], new float[wide.WeightLength], [], new float[wide.OutputLength],
            Workspace(wide), ActivationKind.Identity, float.NaN, 1));
        Assert.Contains("the direct kernel does not apply", e.Message);
        Assert.True(Conv2D.WorkspaceLength(lenet) >= Conv2DDirect.WorkspaceLength(lenet));
        Assert.True(Conv2D.WorkspaceLength(lenet) >= Conv2DDirectWeights.WorkspaceLengthOfEither(lenet));
        Assert.True(Conv2D.WorkspaceLength(Shapes[1]) >= Conv2DChannelWeights.WorkspaceLength(Shapes[1]));
        Assert.True(Conv2DChannelWeights.Fits(SimdWidth.V512, Shapes[1]));   // 16 output channels
        Assert.False(Conv2DChannelWeights.Fits(SimdWidth.V512, Shapes[15])); // 8: tiles at 512 bits ...
        Assert.True(Conv2DChannelWeights.Fits(SimdWidth.V256, Shapes[15]));  // ... lanes at 256
        Assert.True(Conv2D.WorkspaceLength(lenet) >= Conv2DTransposed.WorkspaceLength(lenet));
    }

    /// <summary>The input gradient's forward geometry: channels swapped, padding dilation·(k−1) less the forward's.</summary>
    [Fact]
    public void InputGradientRunsAsAForwardConvolution()
    {
        var g = new Conv2DGeometry(3, 9, 11, 4, 3, 5, padTop: 1, padLeft: 0, padBottom: 2, padRight: 4, dilationHeight: 1, dilationWidth: 2);
        var t = Conv2DTransposed.Of(g)!.Value;
        Assert.Equal((4, 3, 8, 4), (t.InputChannels, t.OutputChannels, t.PadLeft, t.PadRight));
        Assert.Equal((1, 0), (t.PadTop, t.PadBottom));
        Assert.Equal((g.InputHeight, g.InputWidth), (t.OutputHeight, t.OutputWidth));
        Assert.Null(Conv2DTransposed.Of(Shapes[3]));                                               // stride 2
        Assert.Null(Conv2DTransposed.Of(new Conv2DGeometry(1, 5, 5, 1, 1, 1, padTop: 1, padBottom: 1))); // pad beyond the kernel
        var random = new Random(4);
        float[] x = Random(random, 2 * g.InputLength), w = Random(random, g.WeightLength), dy = Random(random, 2 * g.OutputLength);
        var (dx0, _, _) = Backward(g, 2, x, w, dy);
        foreach (var width in Widths.Skip(1))
        {
            var dx = new float[x.Length];
            Conv2D.BackwardData(width, Conv2DAlgorithm.Direct, g, 2, dy, w, dx, Workspace(g), 1);
            Near(dx0, dx, 1e-5, $"dx {width}");
        }
    }

    [Fact]
    public void LargeImagesRunInBoundedPanels()
    {
        // 4·3·3 = 36 rows by 100·100 positions would be 360,000 floats; the panels keep it to the bound.
        var g = new Conv2DGeometry(4, 100, 100, 3, 3, 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1);
        Assert.True(Conv2D.WorkspaceLength(g) <= Conv2D.MaxPanelElements);
        var random = new Random(3);
        float[] x = Random(random, g.InputLength), w = Random(random, g.WeightLength), dy = Random(random, g.OutputLength);
        var y = new float[g.OutputLength];
        Conv2D.Forward(SimdWidth.V256, Conv2DAlgorithm.Columns, g, 1, x, w, [], y, Workspace(g), ActivationKind.Identity, float.NaN, 1);
        Near(Forward(g, 1, x, w, []), y, 1e-5, "y");
        var (dx0, dw0, _) = Backward(g, 1, x, w, dy);
        var dx = new float[x.Length];
        var dw = new float[w.Length];
        Conv2D.BackwardData(SimdWidth.V256, g, 1, dy, w, dx, Workspace(g), 1);
        Conv2D.BackwardWeights(SimdWidth.V256, g, 1, x, dy, dw, Workspace(g), 1);
        Near(dx0, dx, 1e-5, "dx");
        Near(dw0, dw, 1e-3, "dw");
    }
}
