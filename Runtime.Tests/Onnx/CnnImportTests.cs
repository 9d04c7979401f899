using Simd.Runtime.Inference;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// Conv, the pools and BatchNormalization over images through the importer, on what ONNX's node cases leave out:
/// groups and depthwise convolutions, bias, dilation, every auto_pad, 1-D and 3-D inputs, and the errors for what has
/// no op of ours. Outputs are checked against direct loops in double.
/// </summary>
public class CnnImportTests
{
    private const int Batch = 2;

    private static float[] Values(int n, int seed)
    {
        var random = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(random.NextDouble() * 2 - 1);
        return v;
    }

    /// <summary>(begin, end) padding of one axis as ONNX's auto_pad defines it; NOTSET keeps the explicit pads.</summary>
    private static (int Begin, int End) AutoPads(string mode, int input, int kernel, int stride, int dilation, int begin, int end)
    {
        if (mode == "NOTSET") return (begin, end);
        if (mode == "VALID") return (0, 0);
        int output = (input + stride - 1) / stride;
        int total = Math.Max(0, (output - 1) * stride + (kernel - 1) * dilation + 1 - input);
        return mode == "SAME_UPPER" ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
    }

    /// <summary>ONNX Conv over [N, C, H, W] in double: pads (top, left, bottom, right) already resolved.</summary>
    private static double[] Convolve(float[] x, int c, int h, int w, float[] weights, int m, int kh, int kw, float[]? bias, int group,
        (int H, int W) stride, (int Top, int Left, int Bottom, int Right) pads, (int H, int W) dilation, out int oh, out int ow)
    {
        oh = (h + pads.Top + pads.Bottom - dilation.H * (kh - 1) - 1) / stride.H + 1;
        ow = (w + pads.Left + pads.Right - dilation.W * (kw - 1) - 1) / stride.W + 1;
        int perGroup = c / group, outPerGroup = m / group;
        var y = new double[Batch * m * oh * ow];
        for (int n = 0; n < Batch; n++)
            for (int o = 0; o < m; o++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        double s = bias?[o] ?? 0;
                        for (int ci = 0; ci < perGroup; ci++)
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int iy = oy * stride.H - pads.Top + ky * dilation.H, ix = ox * stride.W - pads.Left + kx * dilation.W;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                    int channel = o / outPerGroup * perGroup + ci;
                                    s += x[((n * c + channel) * h + iy) * w + ix] * (double)weights[((o * perGroup + ci) * kh + ky) * kw + kx];
                                }
                        y[((n * m + o) * oh + oy) * ow + ox] = s;
                    }
        return y;
    }

    private static void AssertClose(double[] expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"{what}[{i}]: {actual[i]} vs {expected[i]}");
    }

    /// <summary>Imports <paramref name="bytes"/>, checks the output's sample shape, and returns its outputs, trainable and frozen.</summary>
    private static (float[] Trainable, float[] Frozen) Run(byte[] bytes, float[] x, int[] outputShape)
    {
        using Model model = OnnxImporter.Import(bytes).Model;
        Assert.Equal(outputShape, model.Graph.Outputs[0].SampleShape.ToArray());
        var y = new float[Batch * model.OutputSize];
        model.Predict(x, y);
        using var frozen = InferenceModel.Freeze(model);
        var z = new float[y.Length];
        frozen.Predict(x, Batch, z);
        return (y, z);
    }

    public static TheoryData<int, int, string, bool> Convolutions() => new()
    {
        // channels in, group, auto_pad, bias
        { 4, 1, "NOTSET", true },
        { 4, 2, "NOTSET", false },
        { 4, 4, "NOTSET", true },   // depthwise, two filters per channel
        { 6, 3, "SAME_UPPER", true },
        { 6, 6, "SAME_LOWER", false },
        { 4, 1, "VALID", true },
    };

    [Theory]
    [MemberData(nameof(Convolutions))]
    public void ConvolutionMatchesTheDefinition(int c, int group, string autoPad, bool withBias)
    {
        const int h = 7, w = 6, kh = 3, kw = 2;
        int m = 2 * group * (group == c ? 1 : 2);
        (int H, int W) stride = (2, 1), dilation = (1, 2);
        float[] x = Values(Batch * c * h * w, 1), weights = Values(m * (c / group) * kh * kw, 2), bias = Values(m, 3);
        var (top, bottom) = AutoPads(autoPad, h, kh, stride.H, dilation.H, 1, 2);
        var (left, right) = AutoPads(autoPad, w, kw, stride.W, dilation.W, 0, 1);
        double[] expected = Convolve(x, c, h, w, weights, m, kh, kw, withBias ? bias : null, group, stride, (top, left, bottom, right), dilation,
            out int oh, out int ow);

        var attributes = new List<Action<ProtoWriter>>
        {
            IntAttribute("group", group), IntsAttribute("strides", stride.H, stride.W), IntsAttribute("dilations", dilation.H, dilation.W),
            IntsAttribute("kernel_shape", kh, kw), StringAttribute("auto_pad", autoPad),
        };
        if (autoPad == "NOTSET") attributes.Add(IntsAttribute("pads", 1, 0, 2, 1));
        var initializers = new List<Action<ProtoWriter>> { Tensor("w", [m, c / group, kh, kw], weights) };
        if (withBias) initializers.Add(Tensor("b", [m], bias));
        byte[] bytes = Model([Node("Conv", withBias ? ["x", "w", "b"] : ["x", "w"], ["y"], [.. attributes])], [.. initializers],
            [Value("x", [null, c, h, w])], [Value("y", [null, m, oh, ow])]);

        var (trainable, frozen) = Run(bytes, x, [m, oh, ow]);
        AssertClose(expected, trainable, "trainable");
        AssertClose(expected, frozen, "frozen");
    }

    /// <summary>[N, C, L] runs as images of height 1: the same values as ONNX's 1-D Conv.</summary>
    [Fact]
    public void OneDimensionalConvolutionMatchesTheDefinition()
    {
        const int c = 3, l = 11, m = 4, k = 3;
        float[] x = Values(Batch * c * l, 4), weights = Values(m * c * k, 5), bias = Values(m, 6);
        double[] expected = Convolve(x, c, 1, l, weights, m, 1, k, bias, 1, (1, 2), (0, 1, 0, 2), (1, 2), out _, out int ol);
        byte[] bytes = Model(
            [Node("Conv", ["x", "w", "b"], ["y"], IntsAttribute("strides", 2), IntsAttribute("pads", 1, 2), IntsAttribute("dilations", 2))],
            [Tensor("w", [m, c, k], weights), Tensor("b", [m], bias)], [Value("x", [null, c, l])], [Value("y", [null, m, ol])]);

        var (trainable, frozen) = Run(bytes, x, [m, ol]);
        AssertClose(expected, trainable, "trainable");
        AssertClose(expected, frozen, "frozen");
    }

    /// <summary>BatchNormalization normalizes each channel over all its positions, whatever the spatial rank.</summary>
    [Theory]
    [InlineData(new[] { 3, 5 })]
    [InlineData(new[] { 3, 4, 5 })]
    [InlineData(new[] { 3, 2, 3, 4 })]
    public void BatchNormalizationNormalizesEachChannel(int[] sample)
    {
        int channels = sample[0], plane = sample.Skip(1).Aggregate(1, (p, d) => p * d);
        float[] x = Values(Batch * channels * plane, 7), scale = Values(channels, 8), shift = Values(channels, 9), mean = Values(channels, 10);
        float[] variance = [.. Values(channels, 11).Select(v => v + 1.5f)];
        byte[] bytes = Model([Node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], FloatAttribute("epsilon", 1e-3f))],
            [Tensor("s", [channels], scale), Tensor("b", [channels], shift), Tensor("m", [channels], mean), Tensor("v", [channels], variance)],
            [Value("x", [null, .. sample.Select(d => (long?)d)])], [Value("y", [null, .. sample.Select(d => (long?)d)])]);
        var expected = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int ch = i / plane % channels;
            expected[i] = (x[i] - mean[ch]) / Math.Sqrt(variance[ch] + (double)1e-3f) * scale[ch] + shift[ch];
        }

        var (trainable, frozen) = Run(bytes, x, sample);
        AssertClose(expected, trainable, "trainable");
        AssertClose(expected, frozen, "frozen");
    }

    /// <summary>The global pools take any spatial rank: [N, C, L] gives [N, C, 1], [N, C, D, H, W] gives [N, C, 1, 1, 1].</summary>
    [Theory]
    [InlineData("GlobalAveragePool", new[] { 3, 5 })]
    [InlineData("GlobalMaxPool", new[] { 3, 5 })]
    [InlineData("GlobalAveragePool", new[] { 2, 3, 2, 4 })]
    [InlineData("GlobalMaxPool", new[] { 2, 3, 2, 4 })]
    public void GlobalPoolsReduceEveryPosition(string op, int[] sample)
    {
        int channels = sample[0], plane = sample.Skip(1).Aggregate(1, (p, d) => p * d);
        int[] pooled = [channels, .. sample.Skip(1).Select(_ => 1)];
        float[] x = Values(Batch * channels * plane, 12);
        byte[] bytes = Model([Node(op, ["x"], ["y"])], [],
            [Value("x", [null, .. sample.Select(d => (long?)d)])], [Value("y", [null, .. pooled.Select(d => (long?)d)])]);
        double[] expected = [.. x.Chunk(plane).Select(p => op == "GlobalMaxPool" ? p.Max() : p.Average(v => (double)v))];

        var (trainable, frozen) = Run(bytes, x, pooled);
        AssertClose(expected, trainable, "trainable");
        AssertClose(expected, frozen, "frozen");
    }

    /// <summary>With auto_pad SAME_* a pool's output is ceil(input / stride) in either ceil mode.</summary>
    [Theory]
    [InlineData("MaxPool", 0)]
    [InlineData("MaxPool", 1)]
    [InlineData("AveragePool", 1)]
    public void SamePaddingSizesThePoolWhateverTheCeilMode(string op, int ceil)
    {
        float[] x = Values(Batch * 2 * 7 * 5, 22);
        byte[] bytes = Model(
            [Node(op, ["x"], ["y"], IntsAttribute("kernel_shape", 2, 3), IntsAttribute("strides", 3, 2), StringAttribute("auto_pad", "SAME_LOWER"),
                IntAttribute("ceil_mode", ceil))],
            [], [Value("x", [null, 2, 7, 5])], [Value("y", [null, 2, 3, 3])]);
        var (trainable, frozen) = Run(bytes, x, [2, 3, 3]);
        Assert.Equal(trainable, frozen);
    }

    /// <summary>Conv → BatchNormalization → Relu → MaxPool → depthwise Conv → GlobalAveragePool → Flatten → Gemm, as a
    /// small exported CNN: the ops import in order, freezing (BatchNorm folded into the convolution) keeps the outputs,
    /// and the model saved to a model file and loaded gives the same outputs bitwise.</summary>
    [Fact]
    public void SmallNetworkImportsAndFreezes()
    {
        float[] ones = [1, 1, 1, 1];
        byte[] bytes = Model(
            [
                Node("Conv", ["x", "w1", "b1"], ["c1"], IntsAttribute("pads", 1, 1, 1, 1)),
                Node("BatchNormalization", ["c1", "s", "t", "m", "v"], ["n1"]),
                Node("Relu", ["n1"], ["a1"]),
                Node("MaxPool", ["a1"], ["p1"], IntsAttribute("kernel_shape", 2, 2), IntsAttribute("strides", 2, 2)),
                Node("Conv", ["p1", "w2"], ["c2"], IntAttribute("group", 4), StringAttribute("auto_pad", "SAME_UPPER")),
                Node("GlobalAveragePool", ["c2"], ["g"]),
                Node("Flatten", ["g"], ["f"]),
                Node("Gemm", ["f", "w3", "b3"], ["y"]),
            ],
            [
                Tensor("w1", [4, 2, 3, 3], Values(72, 13)), Tensor("b1", [4], Values(4, 14)), Tensor("s", [4], Values(4, 15)),
                Tensor("t", [4], Values(4, 16)), Tensor("m", [4], Values(4, 17)), Tensor("v", [4], ones),
                Tensor("w2", [4, 1, 3, 3], Values(36, 18)), Tensor("w3", [4, 3], Values(12, 19)), Tensor("b3", [3], Values(3, 20)),
            ],
            [Value("x", [null, 2, 8, 8])], [Value("y", [null, 3])]);

        using Model model = OnnxImporter.Import(bytes).Model;
        Assert.Equal(
            [typeof(Conv2DOp), typeof(BatchNormOp), typeof(ActivationOp), typeof(MaxPool2DOp), typeof(Conv2DOp), typeof(GlobalAveragePoolOp), typeof(FlattenOp), typeof(DenseOp)],
            model.Ops.Select(o => o.GetType()));
        float[] x = Values(Batch * 2 * 8 * 8, 21);
        var y = new float[Batch * 3];
        model.Predict(x, y);
        using var frozen = InferenceModel.Freeze(model);
        var z = new float[y.Length];
        frozen.Predict(x, Batch, z);
        AssertClose([.. y.Select(v => (double)v)], z, "frozen");

        using var folder = new TempDirectory();
        model.Save(folder.PathOf("cnn.model"));
        using Model loaded = Simd.Runtime.Models.Model.Load(folder.PathOf("cnn.model"));
        var reloaded = new float[y.Length];
        loaded.Predict(x, reloaded);
        Assert.Equal(y, reloaded);
    }

    private static Action<ProtoWriter>[] Declared(string name, params long?[] shape) => [Value(name, [null, .. shape])];

    private static readonly Action<ProtoWriter> W33 = Tensor("w", [2, 2, 3, 3], new float[36]);

    /// <summary>Each graph has one node that our ops cannot express; the error names it, its op, and what is wrong.</summary>
    public static TheoryData<string, byte[], string> Refused() => new()
    {
        { "Conv", Model([Node("Conv", ["x", "w"], ["y"])], [Tensor("w", [2, 2, 3, 3, 3], new float[108])], Declared("x", 2, 4, 4, 4), Declared("y", 2, 2, 2, 2)),
            "has shape [N, 2, 4, 4, 4] (rank 5, 3 spatial dimensions); Conv is imported over 1 or 2 spatial dimensions" },
        { "Conv", Model([Node("Relu", ["x"], ["w"]), Node("Conv", ["x", "w"], ["y"])], [], Declared("x", 2, 3, 3), Declared("y", 2, 1, 1)),
            "input 1 'w' is not an initializer; weights must be constant" },
        { "Conv", Model([Node("Conv", ["x", "w"], ["y"], IntAttribute("group", 3))], [W33], Declared("x", 2, 5, 5), Declared("y", 2, 3, 3)),
            "attribute 'group' is 3; it must be at least 1 and divide the input's 2 channels" },
        { "Conv", Model([Node("Conv", ["x", "w"], ["y"])], [W33], Declared("x", 3, 5, 5), Declared("y", 2, 3, 3)),
            "weights 'w' have shape [2, 2, 3, 3]: 2 input channels per group × group 1, but the input has 3 channels" },
        { "Conv", Model([Node("Conv", ["x", "w"], ["y"], IntsAttribute("kernel_shape", 2, 2))], [W33], Declared("x", 2, 5, 5), Declared("y", 2, 3, 3)),
            "attribute 'kernel_shape' is [2, 2], but the weights 'w' have shape [2, 2, 3, 3] (kernel [3, 3])" },
        { "Conv", Model([Node("Conv", ["x", "w"], ["y"], IntsAttribute("strides", 2))], [W33], Declared("x", 2, 5, 5), Declared("y", 2, 3, 3)),
            "attribute 'strides' is [2]; expected 2 values, one per spatial dimension of the input" },
        { "AveragePool", Model([Node("AveragePool", ["x"], ["y"], IntsAttribute("kernel_shape", 2), IntsAttribute("pads", 1))], [], Declared("x", 2, 5),
                Declared("y", 2, 5)),
            "attribute 'pads' is [1]; expected 2 values, the begins then the ends of the input's 1 spatial dimension" },
        { "Conv", Model([Node("Conv", ["x", "w"], ["y"], IntsAttribute("dilations", 0, 1))], [W33], Declared("x", 2, 5, 5), Declared("y", 2, 3, 3)),
            "attribute 'dilations' is [0, 1]; expected values in [1, 16777216]" },
        { "Conv", Model([Node("Conv", ["x", "w"], ["y"], IntsAttribute("pads", 1, -1, 1, 1))], [W33], Declared("x", 2, 5, 5), Declared("y", 2, 3, 3)),
            "attribute 'pads' is [1, -1, 1, 1]; expected values in [0, 16777216]" },
        { "Conv", Model([Node("Conv", ["x", "w"], ["y"], StringAttribute("auto_pad", "SAME"))], [W33], Declared("x", 2, 5, 5), Declared("y", 2, 5, 5)),
            "attribute 'auto_pad' is 'SAME'; expected one of NOTSET, SAME_UPPER, SAME_LOWER, VALID" },
        { "Conv", Model([Node("Conv", ["x", "w"], ["y"], StringAttribute("auto_pad", "SAME_UPPER"), IntsAttribute("pads", 1, 1, 1, 1))], [W33],
                Declared("x", 2, 5, 5), Declared("y", 2, 5, 5)),
            "attribute 'pads' is [1, 1, 1, 1] with auto_pad 'SAME_UPPER'; give explicit pads (auto_pad NOTSET) or auto_pad, not both" },
        { "Conv", Model([Node("Conv", ["x", "w", "b"], ["y"])], [W33, Tensor("b", [3], new float[3])], Declared("x", 2, 5, 5), Declared("y", 2, 3, 3)),
            "bias 'b' has 3 values for 2 output channels" },
        { "Conv", Model([Node("Conv", ["x", "w"], ["y"])], [W33], Declared("x", 2, 2, 5), Declared("y", 2, 3, 3)),
            "kernel height 3 exceeds the padded input height 2" },
        { "MaxPool", Model([Node("MaxPool", ["x"], ["y"])], [], Declared("x", 2, 4, 4), Declared("y", 2, 4, 4)),
            "attribute 'kernel_shape' is missing" },
        { "MaxPool", Model([Node("MaxPool", ["x"], ["y"], IntsAttribute("kernel_shape", 2, 2), IntAttribute("storage_order", 2))], [],
                Declared("x", 2, 4, 4), Declared("y", 2, 3, 3)),
            "attribute 'storage_order' is 2; expected 0 (row-major Indices) or 1 (column-major)" },
        { "MaxPool", Model([Node("MaxPool", ["x"], ["y", "i"], IntsAttribute("kernel_shape", 2, 2))], [], Declared("x", 2, 4, 4), Declared("i", 2, 3, 3)),
            "output 1 'i' is used, but only the node's first output is imported" },
        { "MaxPool", Model([Node("MaxPool", ["x"], ["y"], IntsAttribute("kernel_shape", 2, 2), IntAttribute("ceil_mode", 2))], [],
                Declared("x", 2, 4, 4), Declared("y", 2, 3, 3)),
            "attribute 'ceil_mode' is 2; expected 0 or 1" },
        { "MaxPool", Model([Node("MaxPool", ["x"], ["y"], IntsAttribute("kernel_shape", 2, 2), StringAttribute("auto_pad", "VALID"), IntAttribute("ceil_mode", 1))],
                [], Declared("x", 2, 5, 5), Declared("y", 2, 2, 2)),
            "attribute 'ceil_mode' is 1 with auto_pad 'VALID', whose output size ONNX runtimes disagree on" },
        { "MaxPool", Model([Node("MaxPool", ["x"], ["y"], IntsAttribute("kernel_shape", 2, 2, 2, 2))], [], Declared("x", 2, 3, 3, 3, 3), Declared("y", 2, 2, 2, 2, 2)),
            "(rank 6, 4 spatial dimensions); MaxPool is imported over 1, 2 or 3 spatial dimensions ([N, C, L], [N, C, H, W] or [N, C, D, H, W]) only" },
        { "AveragePool", Model([Node("AveragePool", ["x"], ["y"], IntsAttribute("kernel_shape", 2, 2), IntsAttribute("pads", 2, 0, 0, 0))], [],
                Declared("x", 2, 4, 4), Declared("y", 2, 5, 3)),
            "padding 2 + 0 on the height must be smaller than the kernel's span 2" },
        { "AveragePool", Model([Node("AveragePool", ["x"], ["y"], IntsAttribute("kernel_shape", 2, 2), IntAttribute("count_include_pad", -1))], [],
                Declared("x", 2, 4, 4), Declared("y", 2, 3, 3)),
            "attribute 'count_include_pad' is -1; expected 0 or 1" },
        { "GlobalAveragePool", Model([Node("GlobalAveragePool", ["x"], ["y"])], [], Declared("x", 2), Declared("y", 2)),
            "has shape [N, 2]; GlobalAveragePool takes [N, C, spatial…] (rank 3 or more)" },
        { "BatchNormalization", BatchNorm(["y"], "y", IntAttribute("training_mode", 1)),
            "attribute 'training_mode' is 1, which normalizes with a batch's own statistics; with a batch axis only inference (0) is imported" },
        { "BatchNormalization", BatchNorm(["y", "mean"], "mean"), "output 1 'mean' is used, but only the node's first output is imported" },
    };

    private static byte[] BatchNorm(string[] outputs, string output = "y", params Action<ProtoWriter>[] attributes) =>
        Model([Node("BatchNormalization", ["x", "s", "b", "m", "v"], outputs, attributes)],
            [Tensor("s", [2], [1, 1]), Tensor("b", [2], [0, 0]), Tensor("m", [2], [0, 0]), Tensor("v", [2], [1, 1])],
            Declared("x", 2, 3, 3), Declared(output, 2, 3, 3));

    [Theory]
    [MemberData(nameof(Refused))]
    public void WhatHasNoOpOfOursIsRefusedNamingIt(string op, byte[] bytes, string detail)
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Equal(op, e.OpType);
        Assert.StartsWith($"ONNX node '{e.Node}' ({op}, domain ai.onnx, opset 13): ", e.Message);
        Assert.Contains(detail, e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
    }
}
