using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Convolution;

using static ConvolutionReference;

/// <summary>
/// The direct forward kernel's two layouts (by rows of a zero-bordered copy, and flat over shifted copies) on every
/// shape either can take, whichever the choice rule would pick: both against the definition, and bitwise equal to
/// each other, since every output adds its taps in the same order.
/// </summary>
[Trait("Category", "Kernels")]
public unsafe class Conv2DDirectLayoutTests
{
    private static readonly SimdWidth[] Widths = [SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];

    /// <summary>Conv2DTests' shapes and a few more: rows around a vector's length, dilation, padding on one side.</summary>
    public static readonly Conv2DGeometry[] Shapes =
    [
        .. Conv2DTests.Shapes,
        new(2, 7, 17, 5, 3, 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1),
        new(3, 6, 16, 4, 2, 3, padTop: 0, padLeft: 2, padBottom: 1, padRight: 0),
        new(1, 9, 33, 3, 3, 5, padTop: 2, padLeft: 2, padBottom: 2, padRight: 2, dilationHeight: 2),
        new(16, 10, 10, 6, 5, 5, padTop: 4, padLeft: 4, padBottom: 4, padRight: 4),   // LeNet conv2's input gradient
        new(4, 3, 21, 8, 1, 7, padLeft: 3, padRight: 3, dilationWidth: 1),
    ];

    public static TheoryData<int> ShapeIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Shapes.Length; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(ShapeIndices))]
    public void BothLayoutsMatchTheDefinitionAndEachOther(int shape)
    {
        var g = Shapes[shape];
        if (!Conv2D.DirectPossible(g) || !Conv2DDirect.FlatPossible(g)) return;
        var random = new Random(700 + shape);
        foreach (int batch in (int[])[1, 2])
        {
            float[] x = Random(random, batch * g.InputLength), w = Random(random, g.WeightLength), bias = Random(random, g.OutputChannels);
            double[] expected = Forward(g, batch, x, w, bias);
            double[] relu = expected.Select(v => Math.Max(v, 0)).ToArray();
            foreach (var width in Widths)
            {
                var rows = Run(width, g, batch, x, w, bias, ActivationKind.Relu, flat: false);
                var flat = Run(width, g, batch, x, w, bias, ActivationKind.Relu, flat: true);
                string at = $"{g} batch {batch} {width}";
                Near(relu, flat, 1e-5, at + " flat");
                Assert.True(rows.AsSpan().SequenceEqual(flat), $"{at}: the layouts' sums differ");
                Near(expected, Run(width, g, batch, x, w, bias, ActivationKind.Identity, flat: true), 1e-5, at + " flat, no activation");
                Near(Forward(g, batch, x, w, []), Run(width, g, batch, x, w, [], ActivationKind.Identity, flat: true), 1e-5, at + " flat, no bias");
            }
        }
    }

    [Fact]
    public void FlatLayoutKeepsNaNAndInfinityInTheirOutputsOnly()
    {
        var g = new Conv2DGeometry(2, 6, 10, 3, 3, 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1);
        float[] x = Random(new Random(3), g.InputLength), w = Random(new Random(4), g.WeightLength), bias = new float[3];
        x[g.InputPlane + 2 * 10 + 4] = float.NaN;   // channel 1, row 2, column 4
        x[5 * 10 + 9] = float.PositiveInfinity;      // channel 0, bottom right corner
        foreach (var width in Widths)
        {
            var rows = Run(width, g, 1, x, w, bias, ActivationKind.Relu, flat: false);
            var flat = Run(width, g, 1, x, w, bias, ActivationKind.Relu, flat: true);
            Assert.Equal(rows.Select(BitConverter.SingleToInt32Bits), flat.Select(BitConverter.SingleToInt32Bits));
            for (int m = 0; m < 3; m++)
                for (int oy = 0; oy < 6; oy++)
                    for (int ox = 0; ox < 10; ox++)
                    {
                        float v = flat[m * 60 + oy * 10 + ox];
                        bool nearNaN = Math.Abs(oy - 2) <= 1 && Math.Abs(ox - 4) <= 1, nearInf = oy >= 4 && ox >= 8;
                        if (!nearNaN && !nearInf) Assert.True(float.IsFinite(v), $"{width} output {m},{oy},{ox} = {v}");
                        if (nearNaN && !nearInf) Assert.True(float.IsNaN(v), $"{width} output {m},{oy},{ox} = {v}, NaN expected");
                    }
        }
    }

    [Theory]
    [MemberData(nameof(ShapeIndices))]
    public void BothInputGradientFormsMatchTheDefinition(int shape)
    {
        var g = Shapes[shape];
        if (!Conv2DTransposed.Possible(g)) return;
        var random = new Random(800 + shape);
        foreach (int batch in (int[])[1, 3])
        {
            float[] x = Random(random, batch * g.InputLength), w = Random(random, g.WeightLength), dy = Random(random, batch * g.OutputLength);
            var (expected, _, _) = Backward(g, batch, x, w, dy);
            foreach (var width in Widths)
                foreach (bool shifted in (bool[])[false, true])
                {
                    if (shifted && !Conv2DShiftedData.Possible(g)) continue;
                    var dx = new float[batch * g.InputLength];
                    Array.Fill(dx, float.NaN);
                    var workspace = new float[Conv2D.WorkspaceLength(g)];
                    Array.Fill(workspace, float.NaN);
                    fixed (float* pdy = dy, pw = w, pdx = dx, pws = workspace)
                        Conv2DTransposed.BackwardData(width, g, batch, pdy, pw, pdx, pws, shifted);
                    Near(expected, dx, 1e-5, $"{g} batch {batch} {width} {(shifted ? "shifted sums" : "turned kernel")}");
                }
        }
    }

    [Theory]
    [MemberData(nameof(ShapeIndices))]
    public void BothWeightGradientLayoutsMatchTheDefinition(int shape)
    {
        var g = Shapes[shape];
        if (!Conv2DDirectWeights.Possible(g) || !Conv2DDirect.FlatPossible(g)) return;
        var random = new Random(900 + shape);
        foreach (int batch in (int[])[1, 3])
        {
            float[] x = Random(random, batch * g.InputLength), w = Random(random, g.WeightLength), dy = Random(random, batch * g.OutputLength);
            x[^1] = float.PositiveInfinity;   // read by the lanes past the plane's end, which must not make 0·∞ = NaN
            var (_, expected, _) = Backward(g, batch, x, w, dy);
            foreach (var width in Widths)
                foreach (bool flat in (bool[])[false, true])
                {
                    var dw = new float[g.WeightLength];
                    var workspace = new float[Conv2D.WorkspaceLength(g)];
                    Array.Fill(workspace, float.NaN);
                    fixed (float* px = x, pdy = dy, pdw = dw, pws = workspace)
                        Conv2DDirectWeights.Run(width, g, batch, px, pdy, pdw, pws, flat);
                    string at = $"{g} batch {batch} {width} {(flat ? "flat" : "rows")}";
                    for (int i = 0; i < dw.Length; i++)
                        if (double.IsInfinity(expected[i]) || double.IsNaN(expected[i])) Assert.Equal(expected[i], dw[i]);
                        else Assert.True(Math.Abs(dw[i] - expected[i]) <= 1e-4 * (1 + Math.Abs(expected[i])), $"{at}: dW[{i}] = {dw[i]}, expected {expected[i]}");
                }
        }
    }

    [Fact]
    public void LeNetsSecondLayerTakesTheShiftedInputGradient()
    {
        var conv2 = Conv2DTests.Shapes[1];
        Assert.True(Conv2DShiftedData.Preferred(conv2, Conv2DTransposed.Of(conv2)!.Value, 16));
        var resnet = new Conv2DGeometry(16, 28, 28, 16, 3, 3, padTop: 1, padLeft: 1, padBottom: 1, padRight: 1);
        Assert.False(Conv2DShiftedData.Preferred(resnet, Conv2DTransposed.Of(resnet)!.Value, 16));
    }

    private static float[] Run(SimdWidth width, in Conv2DGeometry g, int batch, float[] x, float[] w, float[] bias,
        ActivationKind activation, bool flat)
    {
        var y = new float[batch * g.OutputLength];
        Array.Fill(y, float.NaN);
        var workspace = new float[Conv2D.WorkspaceLength(g)];
        Array.Fill(workspace, float.NaN);
        fixed (float* px = x, pw = w, pb = bias, py = y, pws = workspace)
            Conv2DDirect.Forward(width, g, batch, px, pw, bias.Length == 0 ? null : pb, py, pws, activation, 0, flat);
        return y;
    }
}
