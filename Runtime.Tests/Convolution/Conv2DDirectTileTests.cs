using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Convolution;

using static ConvolutionReference;

/// <summary>
/// The direct forward kernel's register tiles: at 512 bits their channels and rows follow the layer
/// (<c>Conv2DDirect.WideShape</c>), so these shapes are picked to reach every tile it can choose, at every width.
/// </summary>
[Trait("Category", "Kernels")]
public class Conv2DDirectTileTests
{
    private static readonly SimdWidth[] Widths = [SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];

    /// <summary>Output channels 1–13 and 16, rows of 1, 2 and 3 vectors of 16, odd heights, padding and none.</summary>
    private static IEnumerable<Conv2DGeometry> Shapes()
    {
        foreach (int channels in (int[])[1, 2, 3, 5, 6, 7, 9, 11, 13, 16])
            foreach (int width in (int[])[5, 20, 37])
                foreach (int height in (int[])[7, 13])
                {
                    yield return new Conv2DGeometry(2, height, width, channels, 3, 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1);
                    yield return new Conv2DGeometry(1, height + 2, width + 2, channels, 3, 3);
                }
        yield return new Conv2DGeometry(1, 28, 28, 6, 5, 5, padTop: 2, padLeft: 2, padBottom: 2, padRight: 2);
        yield return new Conv2DGeometry(6, 14, 14, 16, 5, 5);
    }

    [Fact]
    public void WideShapesFitTheRegistersAndReachEveryTile()
    {
        Assert.Equal((4, 5), Conv2DDirect.WideShape(16, 10, 1)); // LeNet conv2
        Assert.Equal((3, 3), Conv2DDirect.WideShape(6, 28, 2));  // LeNet conv1
        var seen = new HashSet<(int, int, int)>();
        foreach (var g in Shapes())
        {
            int perRow = g.OutputWidth > 16 ? 2 : 1;
            var (channels, rows) = Conv2DDirect.WideShape(g.OutputChannelsPerGroup, g.OutputHeight, perRow);
            Assert.InRange(channels, 1, 6);
            Assert.InRange(rows * perRow, 1, 6);
            Assert.True(channels * rows * perRow + rows * perRow + 1 <= 28, $"{g}: {channels} × {rows} × {perRow}");
            seen.Add((channels, rows, perRow));
        }
        Assert.Contains(seen, s => s.Item1 == 5);
        Assert.Contains(seen, s => s.Item1 == 6);
        Assert.Contains(seen, s => s.Item2 * s.Item3 == 5);
        Assert.Contains(seen, s => s.Item2 * s.Item3 == 6);
        Assert.Contains(seen, s => s.Item3 == 2 && s.Item2 == 3);
    }

    [Fact]
    public void EveryTileMatchesTheReferenceAtEveryWidth()
    {
        var random = new Random(5);
        foreach (var g in Shapes())
            foreach (int batch in (int[])[1, 7])
            {
                float[] x = Random(random, batch * g.InputLength), w = Random(random, g.WeightLength), bias = Random(random, g.OutputChannels);
                double[] expected = Forward(g, batch, x, w, bias), plain = Forward(g, batch, x, w, []);
                double[] relu = expected.Select(v => Math.Max(v, 0)).ToArray();
                double[] leaky = expected.Select(v => v < 0 ? 0.01 * v : v).ToArray();
                foreach (var width in Widths)
                {
                    string at = $"{g} batch {batch} {width}";
                    var ws = new float[Conv2D.WorkspaceLength(g)];
                    Array.Fill(ws, float.NaN);
                    var y = new float[expected.Length];
                    Array.Fill(y, float.NaN);
                    Conv2D.Forward(width, Conv2DAlgorithm.Direct, g, batch, x, w, bias, y, ws, ActivationKind.Identity, float.NaN, 1);
                    Near(expected, y, 1e-5, at);
                    Array.Fill(y, float.NaN);
                    Conv2D.Forward(width, Conv2DAlgorithm.Direct, g, batch, x, w, bias, y, ws, ActivationKind.Relu, float.NaN, 1);
                    Near(relu, y, 1e-5, at + " relu");
                    Assert.DoesNotContain(y, v => v < 0);
                    Array.Fill(y, float.NaN);
                    Conv2D.Forward(width, Conv2DAlgorithm.Direct, g, batch, x, w, bias, y, ws, ActivationKind.LeakyRelu, float.NaN, 1);
                    Near(leaky, y, 1e-5, at + " leaky relu");
                    Array.Fill(y, float.NaN);
                    Conv2D.Forward(width, Conv2DAlgorithm.Direct, g, batch, x, w, [], y, ws, ActivationKind.Identity, float.NaN, 1);
                    Near(plain, y, 1e-5, at + " no bias");
                }
            }
    }

    [Fact]
    public void TheFusedReluKeepsNaNAndNegativeZeroAsTheActivationDoes()
    {
        var g = new Conv2DGeometry(1, 5, 20, 6, 1, 1);
        float[] x = new float[g.InputLength], w = [1, 1, 1, 1, 1, 1];
        for (int i = 0; i < x.Length; i++) x[i] = (i % 4) switch { 0 => float.NaN, 1 => -0f, 2 => -1.5f, _ => 2.5f };
        foreach (var width in Widths)
        {
            var fused = new float[g.OutputLength];
            var apart = new float[g.OutputLength];
            var ws = new float[Conv2D.WorkspaceLength(g)];
            Conv2D.Forward(width, Conv2DAlgorithm.Direct, g, 1, x, w, [], fused, ws, ActivationKind.Relu, float.NaN, 1);
            Conv2D.Forward(width, Conv2DAlgorithm.Direct, g, 1, x, w, [], apart, ws, ActivationKind.Identity, float.NaN, 1);
            Activations.Forward(ActivationKind.Relu, apart, apart, 0, width);
            Assert.Equal(apart.Select(BitConverter.SingleToInt32Bits), fused.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void RowEndsGoOutTheSameWithoutMaskedStores()
    {
        var random = new Random(8);
        foreach (var g in Shapes().Where(s => s.OutputChannels is 1 or 6 or 16))
        {
            float[] x = Random(random, 2 * g.InputLength), w = Random(random, g.WeightLength), bias = Random(random, g.OutputChannels);
            foreach (var width in Widths)
            {
                var ws = new float[Conv2D.WorkspaceLength(g)];
                var masked = new float[2 * g.OutputLength];
                var copied = new float[2 * g.OutputLength];
                Array.Fill(masked, 7f);
                Array.Fill(copied, 7f);
                Conv2D.Forward(width, Conv2DAlgorithm.Direct, g, 2, x, w, bias, masked, ws, ActivationKind.Relu, float.NaN, 1);
                bool before = Conv2DDirect.MaskedStores;
                try
                {
                    Conv2DDirect.MaskedStores = false;
                    Conv2D.Forward(width, Conv2DAlgorithm.Direct, g, 2, x, w, bias, copied, ws, ActivationKind.Relu, float.NaN, 1);
                }
                finally
                {
                    Conv2DDirect.MaskedStores = before;
                }
                Assert.Equal(copied, masked);
                Near(Forward(g, 2, x, w, bias).Select(v => Math.Max(v, 0)).ToArray(), copied, 1e-5, $"{g} {width} copied");
            }
        }
    }

    [Fact]
    public void AnInfiniteInputReachesOnlyItsOutputs()
    {
        foreach (var g in Shapes().Where(s => s.OutputChannels is 5 or 6 or 16 && s.OutputHeight >= 10))
        {
            var random = new Random(9);
            float[] x = Random(random, g.InputLength), w = Random(random, g.WeightLength), bias = Random(random, g.OutputChannels);
            x[g.InputPlane - 1] = float.PositiveInfinity; // the first channel's last value: beside the next row's start
            x[g.InputLength - g.InputWidth] = float.NegativeInfinity;
            double[] expected = Forward(g, 1, x, w, bias);
            foreach (var width in Widths)
            {
                var y = new float[g.OutputLength];
                var ws = new float[Conv2D.WorkspaceLength(g)];
                Array.Fill(ws, float.NaN);
                Conv2D.Forward(width, Conv2DAlgorithm.Direct, g, 1, x, w, bias, y, ws, ActivationKind.Relu, float.NaN, 1);
                for (int i = 0; i < y.Length; i++)
                    if (double.IsFinite(expected[i])) Assert.True(float.IsFinite(y[i]), $"{g} {width}: output {i} is {y[i]}, expected {expected[i]}");
            }
        }
    }

    [Fact]
    public void ThreadsAndBatchGiveBitwiseTheSameOutputs()
    {
        foreach (var g in Shapes().Where(s => s.OutputChannels is 6 or 16))
        {
            var random = new Random(3);
            const int batch = 7;
            float[] x = Random(random, batch * g.InputLength), w = Random(random, g.WeightLength), bias = Random(random, g.OutputChannels);
            foreach (var width in Widths)
            {
                var ws = new float[Conv2D.WorkspaceLength(g)];
                var one = new float[batch * g.OutputLength];
                var two = new float[batch * g.OutputLength];
                Conv2D.Forward(width, Conv2DAlgorithm.Direct, g, batch, x, w, bias, one, ws, ActivationKind.Relu, float.NaN, 1);
                Conv2D.Forward(width, Conv2DAlgorithm.Direct, g, batch, x, w, bias, two, ws, ActivationKind.Relu, float.NaN, 2);
                Assert.Equal(one, two);
                var single = new float[g.OutputLength];
                Conv2D.Forward(width, Conv2DAlgorithm.Direct, g, 1, x.AsSpan(3 * g.InputLength, g.InputLength), w, bias, single, ws, ActivationKind.Relu, float.NaN, 1);
                Assert.Equal(one.AsSpan(3 * g.OutputLength, g.OutputLength).ToArray(), single);
            }
        }
    }

    [Fact]
    public void TheKernelAllocatesNothing()
    {
        foreach (var g in Shapes().Where(s => s.OutputChannels is 6 or 16 && s.InputChannels > 1 || s.KernelHeight == 5))
        {
            float[] x = new float[g.InputLength], w = new float[g.WeightLength], bias = new float[g.OutputChannels];
            var y = new float[g.OutputLength];
            var ws = new float[Conv2D.WorkspaceLength(g)];
            foreach (var width in Widths)
            {
                Conv2D.Forward(width, Conv2DAlgorithm.Direct, g, 1, x, w, bias, y, ws, ActivationKind.Relu, float.NaN, 1);
                long before = GC.GetAllocatedBytesForCurrentThread();
                Conv2D.Forward(width, Conv2DAlgorithm.Direct, g, 1, x, w, bias, y, ws, ActivationKind.Relu, float.NaN, 1);
                Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
            }
        }
    }
}
