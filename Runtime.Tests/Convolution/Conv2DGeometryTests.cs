using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Convolution;

[Trait("Category", "Kernels")]
public class Conv2DGeometryTests
{
    [Fact]
    public void OutputSizeFollowsOnnx()
    {
        var lenet1 = new Conv2DGeometry(1, 28, 28, 6, 5, 5, padTop: 2, padLeft: 2, padBottom: 2, padRight: 2);
        Assert.Equal((28, 28), (lenet1.OutputHeight, lenet1.OutputWidth));
        Assert.Equal(25, lenet1.ColumnRows);
        Assert.Equal(150, lenet1.WeightLength);
        var strided = new Conv2DGeometry(3, 7, 9, 4, 3, 2, strideHeight: 2, strideWidth: 3, padTop: 1, padBottom: 0, dilationWidth: 2);
        // (7 + 1 − 3) / 2 + 1 = 3; (9 − (2·1 + 1)) / 3 + 1 = 3.
        Assert.Equal((3, 3), (strided.OutputHeight, strided.OutputWidth));
        var depthwise = new Conv2DGeometry(8, 5, 5, 8, 3, 3, groups: 8);
        Assert.Equal(9, depthwise.ColumnRows);
        Assert.False(depthwise.IsPointwise);
        Assert.True(new Conv2DGeometry(8, 5, 5, 4, 1, 1).IsPointwise);
    }

    [Theory]
    [InlineData(AutoPad.SameUpper, 7, 3, 2, 1, 1, 1)]   // out 4: total (4−1)·2 + 3 − 7 = 2
    [InlineData(AutoPad.SameUpper, 6, 3, 2, 1, 0, 1)]   // out 3: total 1, the odd one at the end
    [InlineData(AutoPad.SameLower, 6, 3, 2, 1, 1, 0)]   // the odd one at the start
    [InlineData(AutoPad.SameUpper, 5, 3, 1, 2, 2, 2)]   // dilation 2: span 5, total 4
    [InlineData(AutoPad.SameUpper, 5, 1, 3, 1, 0, 0)]   // a 1×1 kernel never pads
    [InlineData(AutoPad.Valid, 5, 3, 1, 1, 0, 0)]
    public void AutoPadMatchesOnnx(AutoPad mode, int input, int kernel, int stride, int dilation, int begin, int end)
    {
        Assert.Equal((begin, end), AutoPadding.Resolve(mode, input, kernel, stride, dilation));
        var g = Conv2DGeometry.WithAutoPad(mode, 1, input, input, 1, kernel, kernel, stride, stride, dilation, dilation);
        if (mode != AutoPad.Valid) Assert.Equal((input + stride - 1) / stride, g.OutputHeight);
        Assert.Equal((begin, begin, end, end), (g.PadTop, g.PadLeft, g.PadBottom, g.PadRight));
    }

    [Fact]
    public void NotSetHasNoRule()
    {
        var e = Assert.Throws<ArgumentException>(() => AutoPadding.Resolve(AutoPad.NotSet, 5, 3, 1, 1));
        Assert.Contains("pass the pads explicitly", e.Message);
    }

    public static TheoryData<Func<Conv2DGeometry>, string> Invalid() => new()
    {
        { () => new Conv2DGeometry(0, 5, 5, 1, 3, 3), "input channels must be at least 1; got 0" },
        { () => new Conv2DGeometry(1, 5, -2, 1, 3, 3), "input width must be at least 1; got -2" },
        { () => new Conv2DGeometry(1, 5, 5, 1, 3, 3, strideHeight: 0), "stride height must be at least 1; got 0" },
        { () => new Conv2DGeometry(1, 5, 5, 1, 3, 3, padLeft: -1), "padding left must not be negative; got -1" },
        { () => new Conv2DGeometry(6, 5, 5, 4, 3, 3, groups: 4), "6 input channels do not divide into 4 groups" },
        { () => new Conv2DGeometry(4, 5, 5, 6, 3, 3, groups: 4), "6 output channels do not divide into 4 groups" },
        { () => new Conv2DGeometry(1, 4, 8, 1, 5, 3), "kernel height 5 exceeds the padded input height 4 (input 4 + padding 0 + 0)" },
        { () => new Conv2DGeometry(1, 8, 4, 1, 3, 3, padLeft: 1, dilationWidth: 3), "kernel width 3 dilated by 3 spans 7, more than the padded input width 5" },
        { () => new Conv2DGeometry(1, 5, 5, 1, 3, 3, dilationHeight: 0), "dilation height must be at least 1; got 0" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidGeometryNamesWhatIsWrong(Func<Conv2DGeometry> make, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => make());
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain("Parameter", e.Message);
    }
}
