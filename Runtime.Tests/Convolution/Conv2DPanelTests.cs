using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Convolution;

using static ConvolutionReference;

/// <summary>
/// Column panels that span several samples, batches that end inside a panel or fill several, and the direct weight
/// gradient's masked row ends, each against the scalar reference.
/// </summary>
[Trait("Category", "Kernels")]
public class Conv2DPanelTests
{
    private static readonly SimdWidth[] Widths = [SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];

    public static TheoryData<int> Batches() => [1, 2, 6, 7, 9, 23];

    /// <summary>
    /// LeNet's second layer (150 taps and 16 output rows over 100 columns a sample: 7 samples a panel); two groups at
    /// stride 2 with uneven padding (16 columns a sample); a dilated kernel with rows of 9 (direct weights too); and
    /// two grouped shapes for the weight gradient with the output channels as lanes.
    /// </summary>
    private static readonly Conv2DGeometry[] Spanning =
    [
        new(6, 14, 14, 16, 5, 5),
        new(4, 9, 8, 4, 3, 3, strideHeight: 2, strideWidth: 2, padTop: 1, padLeft: 1, padBottom: 0, padRight: 1, groups: 2),
        new(3, 7, 9, 5, 3, 2, padTop: 1, padLeft: 0, padBottom: 1, padRight: 1, dilationHeight: 2),
        // Output channels as the weight gradient's lanes: 8 a group (128 and 256 bits; 512 bits tiles them), 16 a group (every width).
        new(4, 9, 10, 16, 3, 3, strideHeight: 2, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, dilationWidth: 2, groups: 2),
        new(2, 6, 7, 32, 3, 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1, groups: 2),
        // ... which take any stride (a downsampling 3×3, and 2×2 over 5 channels: 20 taps, more than the 16 outputs a group).
        new(3, 11, 12, 16, 3, 3, strideHeight: 2, strideWidth: 2, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1),
        new(10, 9, 10, 32, 2, 2, strideHeight: 2, strideWidth: 3, groups: 2),
    ];

    [Fact]
    public void SmallPlanesPutWholeSamplesInAPanel()
    {
        var lenet = Conv2DPanel.For(Spanning[0]);
        Assert.Equal(7, lenet.Samples);
        Assert.Equal(700, lenet.Columns);
        Assert.Equal(150L * 700, lenet.ColumnLength);
        Assert.Equal(166L * 700, lenet.WorkspaceLength);
        Assert.True(Conv2D.WorkspaceLength(Spanning[0]) <= Conv2D.MaxPanelElements);
        // 36 rows of 10,000 positions: runs of one sample's plane, as many columns as the bound allows.
        var large = Conv2DPanel.For(new Conv2DGeometry(4, 100, 100, 3, 3, 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1));
        Assert.Equal(1, large.Samples);
        Assert.Equal(Conv2D.MaxPanelElements / 36 / 16 * 16, large.Columns);
        Assert.Equal(0, Conv2DPanel.For(new Conv2DGeometry(7, 5, 6, 3, 1, 1)).WorkspaceLength);
        Assert.True(Conv2DDirectWeights.Possible(Spanning[5]) && Conv2DDirectWeights.Possible(Spanning[6]));
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void BatchesThatSplitPanelsMatchTheReference(int batch)
    {
        foreach (var g in Spanning)
        {
            var random = new Random(batch * 31 + g.InputChannels);
            float[] x = Random(random, batch * g.InputLength), w = Random(random, g.WeightLength);
            float[] bias = Random(random, g.OutputChannels), dy = Random(random, batch * g.OutputLength);
            double[] expected = Forward(g, batch, x, w, bias);
            var (dx0, dw0, _) = Backward(g, batch, x, w, dy);
            foreach (var width in Widths)
            {
                string at = $"{g} batch {batch} {width}";
                var y = new float[expected.Length];
                Conv2D.Forward(width, Conv2DAlgorithm.Columns, g, batch, x, w, bias, y, Workspace(g), ActivationKind.Relu, float.NaN, 1);
                Near(expected.Select(v => Math.Max(v, 0)).ToArray(), y, 1e-5, "y " + at);
                var dx = new float[x.Length];
                var dw = new float[w.Length];
                Conv2D.BackwardData(width, g, batch, dy, w, dx, Workspace(g), 1);
                Near(dx0, dx, 1e-5, "dx " + at);
                Conv2D.BackwardWeights(width, Conv2DAlgorithm.Columns, g, batch, x, dy, dw, Workspace(g), 1);
                Near(dw0, dw, 1e-4, "dw " + at);
                if (!Conv2DDirectWeights.Possible(g)) continue;
                Array.Fill(dw, float.NaN);
                Conv2D.BackwardWeights(width, Conv2DAlgorithm.Direct, g, batch, x, dy, dw, Workspace(g), 1);
                Near(dw0, dw, 1e-4, "direct dw " + at);
            }
        }
    }

    [Fact]
    public void ThreadsGiveBitwiseTheSameResultsAcrossPanels()
    {
        var g = Spanning[0];
        const int batch = 9;
        var random = new Random(5);
        float[] x = Random(random, batch * g.InputLength), w = Random(random, g.WeightLength), dy = Random(random, batch * g.OutputLength);
        float[] Run(int threads)
        {
            var y = new float[batch * g.OutputLength];
            var dx = new float[x.Length];
            var dw = new float[w.Length];
            var dwDirect = new float[w.Length];
            Conv2D.Forward(SimdWidth.V512, Conv2DAlgorithm.Columns, g, batch, x, w, [], y, Workspace(g), ActivationKind.Relu, float.NaN, threads);
            Conv2D.BackwardData(SimdWidth.V512, g, batch, dy, w, dx, Workspace(g), threads);
            Conv2D.BackwardWeights(SimdWidth.V512, Conv2DAlgorithm.Columns, g, batch, x, dy, dw, Workspace(g), threads);
            Conv2D.BackwardWeights(SimdWidth.V512, Conv2DAlgorithm.Direct, g, batch, x, dy, dwDirect, Workspace(g), threads);
            return [.. y, .. dx, .. dw, .. dwDirect];
        }
        Assert.Equal(Run(1), Run(2));
    }

    /// <summary>
    /// An infinite input in the last column reaches only the weights of taps that read it; the direct kernel's lanes
    /// past the row's end read it too and must not turn the others into NaN.
    /// </summary>
    [Fact]
    public void InfinityInTheInputReachesOnlyTheWeightsItTouches()
    {
        foreach (var g in (Conv2DGeometry[])[new(1, 28, 28, 6, 5, 5, padTop: 2, padLeft: 2, padBottom: 2, padRight: 2), new(2, 9, 11, 3, 3, 3), new(2, 9, 11, 16, 3, 3)])
        {
            var random = new Random(9);
            float[] x = Random(random, 2 * g.InputLength), dy = Random(random, 2 * g.OutputLength);
            x[g.InputWidth - 1] = float.PositiveInfinity;
            x[g.InputLength + 3 * g.InputWidth - 1] = float.NaN;
            var (_, dw0, _) = Backward(g, 2, x, new float[g.WeightLength], dy);
            Assert.Contains(dw0, v => !double.IsNaN(v) && !double.IsInfinity(v));
            foreach (var width in Widths)
                foreach (var algorithm in (Conv2DAlgorithm[])[Conv2DAlgorithm.Columns, Conv2DAlgorithm.Direct])
                {
                    var dw = new float[g.WeightLength];
                    Conv2D.BackwardWeights(width, algorithm, g, 2, x, dy, dw, Workspace(g), 1);
                    Near(dw0, dw, 1e-4, $"{g} {width} {algorithm}");
                }
        }
    }

    private static float[] Workspace(in Conv2DGeometry g)
    {
        var ws = new float[Conv2D.WorkspaceLength(g)];
        Array.Fill(ws, float.NaN);
        return ws;
    }
}
