using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Pooling;

/// <summary>
/// The 2×2 stride-2 max pool over planes with short rows (several row pairs to a vector, <see cref="MaxPoolRowPairs"/>)
/// against the scalar loop, bit for bit (NaN payloads included): every even row width up to two vectors and past
/// them, row pair counts around each step and vector boundary, every width forced, NaN, ±∞, −0 and ties.
/// </summary>
[Trait("Category", "Kernels")]
public class MaxPoolRowPairsTests
{
    private static readonly SimdWidth[] VectorWidths = [SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];

    /// <summary>Row widths 2 to 36 and 64; heights 2, 4 and 6 over 1 to 7 planes: row pairs from 1 to 21.</summary>
    public static TheoryData<int, int> Sizes()
    {
        var data = new TheoryData<int, int>();
        for (int w = 2; w <= 36; w += 2) data.Add(w, 2);
        data.Add(64, 2);
        data.Add(10, 10);
        data.Add(28, 28);
        data.Add(6, 4);
        data.Add(12, 6);
        return data;
    }

    /// <summary>Ties among a few levels, and when asked NaNs of distinct payloads, ±∞, ±3e38 and ±0.</summary>
    private static float[] Values(Random random, int n, bool special)
    {
        float[] specials =
        [
            BitConverter.Int32BitsToSingle(0x7fc00001), BitConverter.Int32BitsToSingle(0x7fc00002), BitConverter.Int32BitsToSingle(unchecked((int)0xffc00003)),
            float.PositiveInfinity, float.NegativeInfinity, 3e38f, -3e38f, -0f, 0f,
        ];
        var a = new float[n];
        for (int i = 0; i < n; i++)
            a[i] = special && random.Next(6) == 0 ? specials[random.Next(specials.Length)] : random.Next(-3, 4) * 0.5f;
        return a;
    }

    private static void Bits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}[{i}]: expected bits {BitConverter.SingleToInt32Bits(expected[i]):x8}, got {BitConverter.SingleToInt32Bits(actual[i]):x8}");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void EveryWidthMatchesTheScalarLoopBitForBit(int w, int h)
    {
        var g = new Pool2DGeometry(h, w, 2, 2, 2, 2);
        var random = new Random(w * 31 + h);
        foreach (bool special in (bool[])[false, true])
            for (int planes = 1; planes <= 7; planes++)
            {
                float[] x = Values(random, planes * g.InputPlane, special), dy = Values(random, planes * g.OutputPlane, special);
                MaxPoolAgainstScalar.Check(g, planes, x, dy, $"{planes}×{h}×{w}", (e, a, what) => Bits(e, a, what));
            }
    }

    [Fact]
    public void LeNetsPoolsTakeThisPathAtEveryWidthWithItsPermutes()
    {
        var conv1 = new Pool2DGeometry(28, 28, 2, 2, 2, 2);
        var conv2 = new Pool2DGeometry(10, 10, 2, 2, 2, 2);
        if (Pool512.Permutes)
        {
            Assert.Equal((SimdWidth.V512, 1), MaxPoolRowPairs.Choose(SimdWidth.V512, conv1, 6));
            Assert.Equal((SimdWidth.V512, 2), MaxPoolRowPairs.Choose(SimdWidth.V512, conv2, 16));
        }
        if (Pool256.Permutes)
        {
            // 28 floats are more than two 256-bit vectors: that pool stays on the rows of windows.
            Assert.Equal((SimdWidth.Scalar, 0), MaxPoolRowPairs.Choose(SimdWidth.V256, conv1, 6));
            Assert.Equal((SimdWidth.V256, 1), MaxPoolRowPairs.Choose(SimdWidth.V256, conv2, 16));
        }
        Assert.Equal((SimdWidth.Scalar, 0), MaxPoolRowPairs.Choose(SimdWidth.Scalar, conv2, 16));
        // Not 2×2 windows tiling the planes: padding, a 3×2 window, an odd width.
        Assert.Equal((SimdWidth.Scalar, 0), MaxPoolRowPairs.Choose(SimdWidth.V512, new Pool2DGeometry(10, 10, 2, 2, 2, 2, 1, 1, 1, 1), 16));
        Assert.Equal((SimdWidth.Scalar, 0), MaxPoolRowPairs.Choose(SimdWidth.V512, new Pool2DGeometry(9, 10, 3, 2, 3, 2), 16));
        Assert.Equal((SimdWidth.Scalar, 0), MaxPoolRowPairs.Choose(SimdWidth.V512, new Pool2DGeometry(10, 11, 2, 2, 2, 2), 16));
    }

    [Fact]
    public void TheFirstNaNAndTheFirstOfEqualMaximaWinInEveryLane()
    {
        // Rows of 10 over 8 planes of 2×10: every lane of every step gets one of the patterns in turn.
        var g = new Pool2DGeometry(2, 10, 2, 2, 2, 2);
        const int planes = 8;
        float nan1 = BitConverter.Int32BitsToSingle(0x7fc00011), nan2 = BitConverter.Int32BitsToSingle(0x7fc00022);
        var x = new float[planes * g.InputPlane];
        var expected = new (float Value, int Tap)[planes * g.OutputPlane];
        for (int o = 0; o < expected.Length; o++)
        {
            int corner = 20 * (o / 5) + 2 * (o % 5);
            (float[] taps, (float, int) winner) = (o % 6) switch
            {
                0 => ((float[])[1f, nan1, 7f, nan2], (nan1, 1)),        // the first NaN, not the larger number after it
                1 => ([-0f, 0f, 0f, -0f], (-0f, 0)),                    // equal zeros: the first, −0
                2 => ([float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity], (float.NegativeInfinity, 0)),
                3 => ([2f, 3e38f, float.PositiveInfinity, float.PositiveInfinity], (float.PositiveInfinity, 10)),
                4 => ([0f, 1f, 1f, nan1], (nan1, 11)),                  // a NaN last still wins
                _ => ((float[])[5f, 4f, 5f, 5f], (5f, 0)),              // ties across the rows: the top one
            };
            expected[o] = winner;
            (x[corner], x[corner + 1], x[corner + 10], x[corner + 11]) = (taps[0], taps[1], taps[2], taps[3]);
        }
        foreach (var width in (SimdWidth[])[SimdWidth.Scalar, .. VectorWidths])
        {
            var y = new float[expected.Length];
            var indices = new int[expected.Length];
            MaxPool2D.Forward(width, g, planes, x, y, indices);
            for (int o = 0; o < expected.Length; o++)
            {
                Assert.Equal(20 * (o / 5) + 2 * (o % 5) + expected[o].Tap, indices[o]);
                Assert.Equal(BitConverter.SingleToInt32Bits(expected[o].Value), BitConverter.SingleToInt32Bits(y[o]));
            }
        }
    }

    [Fact]
    public void AWindowWithoutAnIndexPassesNothingBackAndMinusZeroBecomesZero()
    {
        var g = new Pool2DGeometry(10, 10, 2, 2, 2, 2);
        const int planes = 3;
        var indices = new int[planes * g.OutputPlane];
        var dy = new float[indices.Length];
        for (int o = 0; o < indices.Length; o++)
        {
            indices[o] = o % 7 == 3 ? -1 : o % 7 == 5 ? int.MinValue + o : 20 * (o / 5) + 2 * (o % 5) + (o % 4 == 0 ? 0 : o % 4 == 1 ? 1 : o % 4 == 2 ? 10 : 11);
            dy[o] = o % 3 == 0 ? -0f : o + 1;
        }
        foreach (var width in (SimdWidth[])[SimdWidth.Scalar, .. VectorWidths])
        {
            var dx = new float[planes * g.InputPlane];
            Array.Fill(dx, float.NaN);
            MaxPool2D.Backward(width, g, planes, dy, indices, dx);
            for (int i = 0; i < dx.Length; i++)
            {
                int o = Array.IndexOf(indices, i);
                float want = o < 0 ? 0f : 0f + dy[o];
                Assert.True(BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(dx[i]), $"{width} dx[{i}]: expected {want}, got {dx[i]}");
            }
        }
    }

    [Fact]
    public void OfSeveralIndicesOutsideTheirWindowsTheFirstIsNamed()
    {
        var g = new Pool2DGeometry(10, 10, 2, 2, 2, 2);
        const int planes = 4;
        foreach (var width in (SimdWidth[])[SimdWidth.V256, SimdWidth.V512])
        {
            if (MaxPoolRowPairs.Choose(width, g, planes).Width == SimdWidth.Scalar)
                continue; // a CPU without the permutes: the clear-and-add pass, which takes any index on the input
            var indices = new int[planes * g.OutputPlane];
            MaxPool2D.Forward(width, g, planes, new float[planes * g.InputPlane], new float[indices.Length], indices);
            (indices[41], indices[17], indices[90]) = (0, 1, 5000);
            var e = Assert.Throws<ArgumentException>(() => MaxPool2D.Backward(width, g, planes, new float[indices.Length], indices, new float[planes * g.InputPlane]));
            Assert.Equal("Pooling: index 1 at output 17 lies outside that output's window; the indices are not this geometry's.", e.Message);
        }
    }

    [Theory]
    [InlineData(10, 13, 0, "Pooling: index 0 at output 13 lies outside that output's window; the indices are not this geometry's.")]
    [InlineData(10, 24, 5, "Pooling: index 5 at output 24 lies outside that output's window; the indices are not this geometry's.")]
    [InlineData(10, 74, 900, "Pooling: index 900 at output 74 lies outside the 300 inputs; the indices are not this geometry's.")]
    [InlineData(28, 100, 2, "Pooling: index 2 at output 100 lies outside that output's window; the indices are not this geometry's.")]
    public void AnIndexOutsideItsWindowIsNamedAtEveryWidth(int w, int output, int index, string message)
    {
        var g = new Pool2DGeometry(w, w, 2, 2, 2, 2);
        const int planes = 3;
        foreach (var width in (SimdWidth[])[SimdWidth.Scalar, .. VectorWidths])
        {
            var indices = new int[planes * g.OutputPlane];
            MaxPool2D.Forward(width, g, planes, new float[planes * g.InputPlane], new float[indices.Length], indices);
            indices[output] = index;
            bool tiled = MaxPoolRowPairs.Choose(width, g, planes).Width != SimdWidth.Scalar || (width >= SimdWidth.V256 && g.OutputWidth >= 8);
            if (!tiled && index < indices.Length * 4)
                continue; // the clear-and-add pass takes any index on the input
            var e = Assert.Throws<ArgumentException>(() => MaxPool2D.Backward(width, g, planes, new float[indices.Length], indices, new float[planes * g.InputPlane]));
            Assert.Equal(message, e.Message);
        }
    }
}
