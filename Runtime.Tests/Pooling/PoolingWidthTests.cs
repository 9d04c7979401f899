using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Pooling;

/// <summary>
/// The vector paths of the max and average pools against their scalar loops (width forced to scalar), bit for bit:
/// values, arg-max positions and gradients, on odd sizes, rows around each vector width, strides 1, 2 and 3,
/// padding, dilation and ceil mode, and inputs with NaN, ±∞, huge values, −0 and ties.
/// </summary>
[Trait("Category", "Kernels")]
public class PoolingWidthTests
{
    private static readonly SimdWidth[] VectorWidths = [SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];

    /// <summary>Input widths around 4, 8, 16 and 32 outputs at strides 1 and 2, and the shapes of the networks.</summary>
    public static readonly Pool2DGeometry[] Shapes =
    [
        new(28, 28, 2, 2, 2, 2),
        new(10, 10, 2, 2, 2, 2),
        new(4, 8, 2, 2, 2, 2),
        new(5, 9, 2, 2, 2, 2),
        new(6, 16, 2, 2, 2, 2),
        new(3, 18, 2, 2, 2, 2),
        new(4, 34, 2, 2, 2, 2),
        new(6, 32, 2, 2, 2, 2),
        new(2, 66, 2, 2, 2, 2),
        new(3, 65, 2, 2, 2, 2, ceilMode: true),
        new(9, 33, 3, 3, 1, 1, 1, 1, 1, 1),
        new(5, 17, 3, 3, 1, 1),
        new(5, 19, 2, 2, 1, 1),
        new(5, 33, 3, 3, 2, 2),  // the last row's vectors would read one past the input: that row runs scalar
        new(5, 17, 3, 3, 2, 2),
        new(3, 9, 3, 3, 2, 2),
        new(7, 40, 3, 3, 2, 2, 1, 1, 1, 1),
        new(7, 41, 3, 3, 2, 2, 1, 1, 1, 1, ceilMode: true),
        new(8, 37, 3, 2, 2, 2, 0, 1, 1, 0, dilationHeight: 2, dilationWidth: 2),
        new(6, 30, 2, 3, 2, 1, 1, 1, 1, 1, dilationWidth: 3),
        new(6, 36, 3, 3, 3, 3),
        new(6, 50, 3, 3, 3, 3, 1, 1, 1, 1, ceilMode: true),
        new(6, 24, 3, 2, 3, 2),
        new(4, 12, 1, 1, 2, 2),
        new(1, 1, 1, 1),
    ];

    public static TheoryData<int> ShapeIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Shapes.Length; i++) data.Add(i);
        return data;
    }

    /// <summary>Values from a few levels (ties), with NaN, ±∞, ±3e38 and −0 sprinkled in when asked.</summary>
    private static float[] Values(Random random, int n, bool special)
    {
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 3e38f, -3e38f, -0f, 0f];
        var a = new float[n];
        for (int i = 0; i < n; i++)
            a[i] = special && random.Next(8) == 0 ? specials[random.Next(specials.Length)] : random.Next(-4, 5) * 0.5f;
        return a;
    }

    private static void Same(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]) && !(float.IsNaN(expected[i]) && float.IsNaN(actual[i])))
                Assert.Fail($"{what}[{i}]: expected {expected[i]} (bits {BitConverter.SingleToInt32Bits(expected[i]):x8}), got {actual[i]} (bits {BitConverter.SingleToInt32Bits(actual[i]):x8})");
    }

    [Theory]
    [MemberData(nameof(ShapeIndices))]
    public void MaxPoolEveryWidthMatchesTheScalarLoop(int shape)
    {
        var g = Shapes[shape];
        var random = new Random(100 + shape);
        foreach (bool special in (bool[])[false, true])
            foreach (int planes in (int[])[1, 3])
            {
                float[] x = Values(random, planes * g.InputPlane, special), dy = Values(random, planes * g.OutputPlane, special);
                MaxPoolAgainstScalar.Check(g, planes, x, dy, $"{g} planes {planes}", (e, a, what) => Same(e, a, what));
            }
    }

    [Theory]
    [MemberData(nameof(ShapeIndices))]
    public void AvgPoolEveryWidthMatchesTheScalarLoop(int shape)
    {
        var g = Shapes[shape];
        var random = new Random(200 + shape);
        foreach (bool special in (bool[])[false, true])
            foreach (bool include in (bool[])[false, true])
            {
                const int planes = 2;
                float[] x = Values(random, planes * g.InputPlane, special), dy = Values(random, planes * g.OutputPlane, special);
                var y0 = new float[dy.Length];
                var dx0 = new float[x.Length];
                AvgPool2D.Forward(SimdWidth.Scalar, g, planes, x, y0, include);
                AvgPool2D.Backward(SimdWidth.Scalar, g, planes, dy, dx0, include);
                foreach (var width in VectorWidths)
                {
                    string what = $"{g} {(include ? "counting padding" : "")} {width}";
                    var y = new float[dy.Length];
                    AvgPool2D.Forward(width, g, planes, x, y, include);
                    Same(y0, y, $"y {what}");
                    var dx = new float[x.Length];
                    Array.Fill(dx, float.NaN);
                    AvgPool2D.Backward(width, g, planes, dy, dx, include);
                    Same(dx0, dx, $"dx {what}");
                }
            }
    }

    [Fact]
    public void NaNWinsOnceAndTiesGoToTheFirstTapInEveryLane()
    {
        // 2×2 windows over a row of 64 outputs: each lane a different pattern of NaN, ∞ and ties.
        var g = new Pool2DGeometry(2, 128, 2, 2, 2, 2);
        var x = new float[g.InputPlane];
        for (int o = 0; o < 64; o++)
        {
            int a = 2 * o, b = 2 * o + 1, c = 128 + 2 * o, d = 129 + 2 * o;
            (x[a], x[b], x[c], x[d]) = (o % 4) switch
            {
                0 => (1f, float.NaN, 7f, float.NaN),         // the first NaN, at b
                1 => (-0f, 0f, -0f, 0f),                      // equal zeros: the first, −0
                2 => (float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity),
                _ => (2f, 3e38f, float.PositiveInfinity, float.PositiveInfinity),
            };
        }
        foreach (var width in (SimdWidth[])[SimdWidth.Scalar, .. VectorWidths])
        {
            var y = new float[64];
            var indices = new int[64];
            MaxPool2D.Forward(width, g, 1, x, y, indices);
            for (int o = 0; o < 64; o++)
            {
                var (value, at) = (o % 4) switch
                {
                    0 => (float.NaN, 2 * o + 1),
                    1 => (-0f, 2 * o),
                    2 => (float.NegativeInfinity, 2 * o),
                    _ => (float.PositiveInfinity, 128 + 2 * o),
                };
                Assert.Equal(at, indices[o]);
                Assert.Equal(BitConverter.SingleToInt32Bits(value), BitConverter.SingleToInt32Bits(y[o]));
            }
        }
    }

    [Fact]
    public void TiledGradientsTurnMinusZeroIntoZeroAsTheClearedSumDoes()
    {
        var g = new Pool2DGeometry(2, 32, 2, 2, 2, 2);
        var x = new float[g.InputPlane];
        var dy = new float[g.OutputPlane];
        Array.Fill(dy, -0f);
        var indices = new int[dy.Length];
        foreach (var width in (SimdWidth[])[SimdWidth.Scalar, .. VectorWidths])
        {
            MaxPool2D.Forward(width, g, 1, x, new float[dy.Length], indices);
            var dx = new float[x.Length];
            Array.Fill(dx, -0f);
            MaxPool2D.Backward(width, g, 1, dy, indices, dx);
            Assert.All(dx, v => Assert.Equal(0, BitConverter.SingleToInt32Bits(v)));
            Array.Fill(dx, -0f);
            AvgPool2D.Backward(width, g, 1, dy, dx, countIncludePad: false);
            Assert.All(dx, v => Assert.Equal(0, BitConverter.SingleToInt32Bits(v)));
        }
    }

    [Fact]
    public void AnIndexOutsideItsTiledWindowIsNamed()
    {
        // Written tile by tile at 256 bits and more; the clear-and-add pass takes any index on the input.
        var g = new Pool2DGeometry(2, 32, 2, 2, 2, 2);
        foreach (var width in (SimdWidth[])[SimdWidth.V256, SimdWidth.V512])
        {
            var indices = new int[g.OutputPlane];
            for (int o = 0; o < indices.Length; o++) indices[o] = 2 * o;
            indices[9] = 0; // output 0's window
            var e = Assert.Throws<ArgumentException>(() => MaxPool2D.Backward(width, g, 1, new float[g.OutputPlane], indices, new float[g.InputPlane]));
            Assert.Equal("Pooling: index 0 at output 9 lies outside that output's window; the indices are not this geometry's.", e.Message);
            indices[9] = 5000;
            e = Assert.Throws<ArgumentException>(() => MaxPool2D.Backward(width, g, 1, new float[g.OutputPlane], indices, new float[g.InputPlane]));
            Assert.Equal("Pooling: index 5000 at output 9 lies outside the 64 inputs; the indices are not this geometry's.", e.Message);
        }
    }

    [Fact]
    public void PoolingAllocatesNothing()
    {
        var lenet = new Pool2DGeometry(28, 28, 2, 2, 2, 2);
        var padded = new Pool2DGeometry(9, 33, 3, 3, 1, 1, 1, 1, 1, 1);
        var x = new float[4 * 28 * 28];
        var y = new float[4 * 14 * 14];
        var dx = new float[x.Length];
        var indices = new int[y.Length];
        var x2 = new float[4 * padded.InputPlane];
        var y2 = new float[4 * padded.OutputPlane];
        var dx2 = new float[x2.Length];
        var i2 = new int[y2.Length];
        var g = new float[4];
        var gi = new int[4];
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            MaxPool2D.Forward(lenet, 4, x, y, indices);
            MaxPool2D.Forward(lenet, 4, x, y, []);
            MaxPool2D.Backward(lenet, 4, y, indices, dx);
            AvgPool2D.Forward(lenet, 4, x, y, false);
            AvgPool2D.Backward(lenet, 4, y, dx, true);
            MaxPool2D.Forward(padded, 4, x2, y2, i2);
            MaxPool2D.Backward(padded, 4, y2, i2, dx2);
            AvgPool2D.Forward(padded, 4, x2, y2, true);
            AvgPool2D.Backward(padded, 4, y2, dx2, false);
            GlobalPool.AverageForward(4, 784, x, g);
            GlobalPool.AverageBackward(4, 784, g, dx);
            GlobalPool.MaxForward(4, 784, x, g, gi);
            GlobalPool.MaxBackward(4, 784, g, gi, dx);
        }));
    }
}
