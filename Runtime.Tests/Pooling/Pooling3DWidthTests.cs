using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Pooling;

/// <summary>
/// The vector rows of the 3-D max and average pools against their scalar loops (width forced to scalar), bit for
/// bit: values, arg-max positions and the average's gradients (into a NaN-filled dx), on rows around each vector
/// width, padding, dilation, ceil mode, strides above 1 (scalar at every width), and inputs with NaN, ±∞, huge
/// values, −0 and ties.
/// </summary>
[Trait("Category", "Kernels")]
public class Pooling3DWidthTests
{
    private static readonly SimdWidth[] VectorWidths = [SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];

    public static readonly Pool3DGeometry[] Shapes =
    [
        new(3, 3, 6, new(2), new(2), new(2)),
        new(3, 3, 10, new(2), new(2), new(3)),
        new(4, 4, 19, new(3, 1, 1, 1), new(3, 1, 1, 1), new(3, 1, 1, 1)),
        new(3, 5, 33, new(3), new(2), new(3, 1, 2, 1)),
        new(3, 3, 40, new(2, 1, 1, 1), new(2, 1, 0, 1), new(4, 1, 2, 3), ceilMode: true),
        new(5, 4, 24, new(2, 2, 0, 1), new(3, 1, 1, 1, 2), new(2, 1, 1, 0, 3)),
        new(4, 4, 17, new(2, 1, 1, 1, 3), new(2, 1, 1, 1, 3), new(2, 1, 1, 1, 3)),
        new(3, 4, 20, new(2, 2), new(2, 2), new(2, 2), ceilMode: true),
        new(2, 3, 5, new(2), new(2), new(3)),
        new(2, 2, 9, new(2, 1, 1, 1, 3), new(2, 1, 1, 1, 3), new(2, 1, 1, 1, 3)), // windows with every tap in the padding
        new(1, 1, 1, new(1), new(1), new(1)),
    ];

    public static TheoryData<int> ShapeIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Shapes.Length; i++) data.Add(i);
        return data;
    }

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
        var random = new Random(300 + shape);
        foreach (bool special in (bool[])[false, true])
            foreach (int planes in (int[])[1, 3])
            {
                float[] x = Values(random, planes * g.InputVolume, special), dy = Values(random, planes * g.OutputVolume, special);
                var y0 = new float[dy.Length];
                var i0 = new int[dy.Length];
                var dx0 = new float[x.Length];
                MaxPool3D.Forward(SimdWidth.Scalar, g, planes, x, y0, i0);
                MaxPool3D.Backward(g, planes, dy, i0, dx0);
                foreach (var width in VectorWidths)
                {
                    string what = $"{g} planes {planes} special {special} {width}";
                    var y = new float[dy.Length];
                    var indices = new int[dy.Length];
                    MaxPool3D.Forward(width, g, planes, x, y, indices);
                    Same(y0, y, $"y {what}");
                    Assert.Equal(i0, indices);
                    var y2 = new float[dy.Length];
                    MaxPool3D.Forward(width, g, planes, x, y2, []);
                    Same(y0, y2, $"y without indices {what}");
                }
                var dx = new float[x.Length];
                Array.Fill(dx, float.NaN);
                MaxPool3D.Backward(g, planes, dy, i0, dx);
                Same(dx0, dx, "dx over NaN");
            }
    }

    [Theory]
    [MemberData(nameof(ShapeIndices))]
    public void AveragePoolEveryWidthMatchesTheScalarLoop(int shape)
    {
        var g = Shapes[shape];
        var random = new Random(400 + shape);
        foreach (bool special in (bool[])[false, true])
            foreach (bool includePad in (bool[])[false, true])
            {
                const int planes = 2;
                float[] x = Values(random, planes * g.InputVolume, special), dy = Values(random, planes * g.OutputVolume, special);
                var y0 = new float[planes * g.OutputVolume];
                var dx0 = new float[x.Length];
                AvgPool3D.Forward(SimdWidth.Scalar, g, planes, x, y0, includePad);
                AvgPool3D.Backward(SimdWidth.Scalar, g, planes, dy, dx0, includePad);
                foreach (var width in VectorWidths)
                {
                    string what = $"{g} special {special} counting padding {includePad} {width}";
                    var y = new float[y0.Length];
                    AvgPool3D.Forward(width, g, planes, x, y, includePad);
                    Same(y0, y, $"y {what}");
                    var dx = new float[x.Length];
                    Array.Fill(dx, float.NaN);
                    AvgPool3D.Backward(width, g, planes, dy, dx, includePad);
                    Same(dx0, dx, $"dx {what}");
                }
            }
    }

    [Fact]
    public void LengthsThatDoNotFitTheGeometryAreRefused()
    {
        var g = new Pool3DGeometry(2, 2, 2, new(2), new(2), new(2));
        var e = Assert.Throws<ArgumentException>(() => MaxPool3D.Forward(g, 2, new float[15], new float[2], []));
        Assert.StartsWith("Pooling: the input has 15 elements; expected volumes·8 = 16 for 2x2x2 -> 1x1x1", e.Message);
        e = Assert.Throws<ArgumentException>(() => AvgPool3D.Backward(g, 1, new float[1], new float[7], countIncludePad: false));
        Assert.StartsWith("Pooling: the input gradient has 7 elements; expected volumes·8 = 8", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Pool3DGeometry(2, 2, 2, new(3), new(2), new(2)));
        Assert.Contains("the kernel depth 3 (spanning 3 with dilation 1) exceeds the padded input depth 2", e.Message);
    }
}
