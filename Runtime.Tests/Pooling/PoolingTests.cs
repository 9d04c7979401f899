using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Pooling;

[Trait("Category", "Kernels")]
public class PoolingTests
{
    public static readonly Pool2DGeometry[] Shapes =
    [
        new(28, 28, 2, 2, 2, 2),                                                        // LeNet
        new(7, 9, 3, 3, 2, 2, 1, 1, 1, 1),
        new(5, 5, 2, 2, 2, 2, 1, 1, 1, 1, ceilMode: true),
        new(6, 7, 3, 2, 2, 3, 1, 0, 1, 1, ceilMode: true),
        new(8, 8, 3, 3, 1, 1, 1, 1, 1, 1),
        new(9, 10, 2, 3, 3, 2, 1, 1, 0, 2, dilationHeight: 2, dilationWidth: 3),
        new(1, 1, 1, 1),
        new(3, 50, 3, 5, 1, 4, 0, 2, 2, 2, ceilMode: true),
    ];

    public static TheoryData<int> ShapeIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Shapes.Length; i++) data.Add(i);
        return data;
    }

    private static float[] Random(Random random, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(random.NextDouble() * 2 - 1);
        return a;
    }

    /// <summary>Window bounds as PyTorch's kernels compute them (start, clipped end), per axis; dilation 1.</summary>
    private static (int Start, int End, int Padded) Window(int o, int stride, int padBegin, int kernel, int input, int padEnd)
    {
        int start = o * stride - padBegin, end = Math.Min(start + kernel, input + padEnd);
        int padded = end - start;
        return (Math.Max(start, 0), Math.Min(end, input), padded);
    }

    [Theory]
    [MemberData(nameof(ShapeIndices))]
    public void MaxPoolMatchesWindowsAndScattersThroughIndices(int shape)
    {
        var g = Shapes[shape];
        var random = new Random(shape);
        const int planes = 3;
        float[] x = Random(random, planes * g.InputPlane), dy = Random(random, planes * g.OutputPlane);
        var y = new float[dy.Length];
        var indices = new int[dy.Length];
        MaxPool2D.Forward(g, planes, x, y, indices);
        var dxExpected = new double[x.Length];
        for (int p = 0; p < planes; p++)
            for (int oy = 0; oy < g.OutputHeight; oy++)
                for (int ox = 0; ox < g.OutputWidth; ox++)
                {
                    float best = float.NegativeInfinity;
                    int at = -1;
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight, ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if (iy < 0 || iy >= g.InputHeight || ix < 0 || ix >= g.InputWidth) continue;
                            int i = p * g.InputPlane + iy * g.InputWidth + ix;
                            if (at < 0 || x[i] > best) (best, at) = (x[i], i);
                        }
                    int o = p * g.OutputPlane + oy * g.OutputWidth + ox;
                    Assert.Equal(best, y[o]);
                    Assert.Equal(at, indices[o]);
                    dxExpected[at] += dy[o];
                }
        var dx = new float[x.Length];
        Array.Fill(dx, float.NaN);
        MaxPool2D.Backward(g, planes, dy, indices, dx);
        for (int i = 0; i < dx.Length; i++) Assert.Equal(dxExpected[i], dx[i], 1e-6);
        // Inference needs no indices.
        var y2 = new float[y.Length];
        MaxPool2D.Forward(g, planes, x, y2, []);
        Assert.Equal(y, y2);
    }

    [Fact]
    public void MaxPoolPrefersNaNThenTheFirstOfEqualMaxima()
    {
        var g = new Pool2DGeometry(2, 4, 2, 2, 2, 2);
        float[] x = [float.NegativeInfinity, float.NegativeInfinity, 1, float.NaN, float.NegativeInfinity, float.NegativeInfinity, float.NaN, 2];
        var y = new float[2];
        var indices = new int[2];
        MaxPool2D.Forward(g, 1, x, y, indices);
        Assert.Equal(float.NegativeInfinity, y[0]);
        Assert.Equal(0, indices[0]);
        Assert.True(float.IsNaN(y[1]));
        Assert.Equal(3, indices[1]);
        float[] ties = [5, 5, 1, 1, 5, 5, 1, 1];
        MaxPool2D.Forward(g, 1, ties, y, indices);
        Assert.Equal((0, 2), (indices[0], indices[1]));
        float[] inf = [1, float.PositiveInfinity, 0, 0, 0, 0, 0, 0];
        MaxPool2D.Forward(g, 1, inf, y, indices);
        Assert.Equal(float.PositiveInfinity, y[0]);
    }

    [Theory]
    [MemberData(nameof(ShapeIndices))]
    public void AvgPoolMatchesPyTorchWindowsBothWays(int shape)
    {
        var g = Shapes[shape];
        if (g.DilationHeight != 1 || g.DilationWidth != 1) return;
        var random = new Random(10 + shape);
        const int planes = 2;
        float[] x = Random(random, planes * g.InputPlane), dy = Random(random, planes * g.OutputPlane);
        foreach (bool include in (bool[])[true, false])
        {
            var y = new float[dy.Length];
            var dx = new float[x.Length];
            Array.Fill(dx, float.NaN);
            AvgPool2D.Forward(g, planes, x, y, include);
            AvgPool2D.Backward(g, planes, dy, dx, include);
            var dxExpected = new double[x.Length];
            for (int p = 0; p < planes; p++)
                for (int oy = 0; oy < g.OutputHeight; oy++)
                    for (int ox = 0; ox < g.OutputWidth; ox++)
                    {
                        var (y0, y1, ph) = Window(oy, g.StrideHeight, g.PadTop, g.KernelHeight, g.InputHeight, g.PadBottom);
                        var (x0, x1, pw) = Window(ox, g.StrideWidth, g.PadLeft, g.KernelWidth, g.InputWidth, g.PadRight);
                        int divisor = include ? ph * pw : (y1 - y0) * (x1 - x0);
                        double sum = 0;
                        for (int iy = y0; iy < y1; iy++)
                            for (int ix = x0; ix < x1; ix++) sum += x[p * g.InputPlane + iy * g.InputWidth + ix];
                        int o = p * g.OutputPlane + oy * g.OutputWidth + ox;
                        Assert.Equal(sum / divisor, y[o], 1e-5);
                        for (int iy = y0; iy < y1; iy++)
                            for (int ix = x0; ix < x1; ix++) dxExpected[p * g.InputPlane + iy * g.InputWidth + ix] += dy[o] / divisor;
                    }
            for (int i = 0; i < dx.Length; i++) Assert.Equal(dxExpected[i], dx[i], 1e-5);
        }
    }

    [Fact]
    public void AvgPoolCountsPaddingOnlyWhenAsked()
    {
        // A 2×2 plane of ones, 3×3 windows with padding 1: 4 ones in a 9-tap window.
        var g = new Pool2DGeometry(2, 2, 3, 3, 1, 1, 1, 1, 1, 1);
        float[] x = [1, 1, 1, 1];
        var y = new float[4];
        AvgPool2D.Forward(g, 1, x, y, countIncludePad: true);
        Assert.All(y, v => Assert.Equal(4f / 9, v));
        AvgPool2D.Forward(g, 1, x, y, countIncludePad: false);
        Assert.All(y, v => Assert.Equal(1f, v));
        x[0] = float.NaN;
        AvgPool2D.Forward(g, 1, x, y, countIncludePad: false);
        Assert.All(y, v => Assert.True(float.IsNaN(v)));
    }

    [Theory]
    [InlineData(5, 2, 2, 0, false, 2)]
    [InlineData(5, 2, 2, 0, true, 3)]
    [InlineData(6, 3, 2, 1, false, 3)]
    [InlineData(6, 3, 2, 1, true, 4)]
    [InlineData(5, 2, 2, 1, true, 3)]   // ceil gives 4, but the 4th window would start in the end padding
    public void OutputSizeFollowsCeilModeRule(int input, int kernel, int stride, int pad, bool ceil, int output)
    {
        var g = new Pool2DGeometry(input, input, kernel, kernel, stride, stride, pad, pad, pad, pad, ceilMode: ceil);
        Assert.Equal((output, output), (g.OutputHeight, g.OutputWidth));
    }

    [Fact]
    public void AutoPadSameKeepsTheSizeOverStride()
    {
        var g = Pool2DGeometry.WithAutoPad(AutoPad.SameUpper, 7, 8, 3, 3, 2, 2);
        Assert.Equal((4, 4), (g.OutputHeight, g.OutputWidth));
        Assert.Equal((1, 0, 1, 1), (g.PadTop, g.PadLeft, g.PadBottom, g.PadRight));
    }

    [Fact]
    public void BadGeometryAndLengthsAreNamed()
    {
        Assert.Contains("kernel width must be at least 1; got 0", Record(() => _ = new Pool2DGeometry(4, 4, 2, 0)));
        Assert.Contains("padding 2 + 0 on the height must be smaller than the kernel's span 2", Record(() => _ = new Pool2DGeometry(4, 4, 2, 2, padTop: 2)));
        Assert.Contains("exceeds the padded input width 3", Record(() => _ = new Pool2DGeometry(4, 3, 2, 4)));
        var g = new Pool2DGeometry(4, 4, 2, 2, 2, 2);
        Assert.Equal("Pooling: the output has 3 elements; expected planes·4 = 4 for 4x4 -> 2x2 kernel 2x2 stride 2x2 pads 0,0,0,0 dilation 1x1.",
            Record(() => MaxPool2D.Forward(g, 1, new float[16], new float[3], [])));
        Assert.Contains("index 99 at output 0 lies outside the 16 inputs", Record(() => MaxPool2D.Backward(g, 1, new float[4], [99, 0, 0, 0], new float[16])));
        Assert.Contains("the indices have 1 elements; expected one per plane = 2", Record(() => GlobalPool.MaxBackward(2, 3, new float[2], [0], new float[6])));
    }

    private static string Record(Action action)
    {
        var e = Assert.Throws<ArgumentException>(action);
        Assert.DoesNotContain("Parameter", e.Message);
        return e.Message;
    }

    [Fact]
    public void GlobalPoolsAtEveryWidth()
    {
        var random = new Random(5);
        foreach (var width in (SimdWidth[])[SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512])
            foreach (int plane in (int[])[1, 3, 16, 49, 200])
            {
                const int planes = 4;
                float[] x = Random(random, planes * plane), dy = Random(random, planes);
                x[plane - 1] = float.NaN; // plane 0 holds a NaN
                var y = new float[planes];
                var indices = new int[planes];
                GlobalPool.AverageForward(width, planes, plane, x, y);
                Assert.True(float.IsNaN(y[0]));
                for (int p = 1; p < planes; p++) Assert.Equal(x.Skip(p * plane).Take(plane).Average(v => (double)v), y[p], 1e-5);
                GlobalPool.MaxForward(width, planes, plane, x, y, indices);
                Assert.Equal(plane - 1, indices[0]);
                for (int p = 1; p < planes; p++)
                {
                    var slice = x.Skip(p * plane).Take(plane).ToArray();
                    Assert.Equal(slice.Max(), y[p]);
                    Assert.Equal(p * plane + Array.IndexOf(slice, slice.Max()), indices[p]);
                }
                var dx = new float[x.Length];
                GlobalPool.MaxBackward(planes, plane, dy, indices, dx);
                for (int i = 0; i < dx.Length; i++) Assert.Equal(Array.IndexOf(indices, i) is int p && p >= 0 ? dy[p] : 0, dx[i]);
                GlobalPool.AverageBackward(planes, plane, dy, dx);
                for (int i = 0; i < dx.Length; i++) Assert.Equal(dy[i / plane] / plane, dx[i], 1e-7);
            }
    }
}
