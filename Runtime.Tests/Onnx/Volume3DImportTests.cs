using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// MaxPool, AveragePool and ConvTranspose over volumes ([N, C, D, H, W]) through the importer, on what ONNX's node
/// cases leave out: auto_pad, output_shape, groups and bias; and the messages for what stays refused.
/// </summary>
public class Volume3DImportTests
{
    private static Action<ProtoWriter>[] Declared(string name, params long?[] shape) => [Value(name, [null, .. shape])];

    [Fact]
    public void PoolsOverVolumesImportWithTheirWindows()
    {
        byte[] bytes = Model(
            [
                Node("MaxPool", ["x"], ["m"], IntsAttribute("kernel_shape", 3, 2, 2), IntsAttribute("strides", 2, 1, 2), StringAttribute("auto_pad", "SAME_UPPER")),
                Node("AveragePool", ["m"], ["y"], IntsAttribute("kernel_shape", 2, 2, 2), IntsAttribute("pads", 1, 0, 0, 0, 1, 1), IntAttribute("ceil_mode", 1),
                    IntAttribute("count_include_pad", 1)),
            ],
            [], Declared("x", 2, 5, 4, 6), Declared("y", 2, 3, 4, 3));
        using Model model = OnnxImporter.Import(bytes).Model;
        var max = Assert.Single(model.Ops.OfType<MaxPool3DOp>());
        Assert.Equal(new Window3D(new(3, 2), new(2, 1), new(2, 2), AutoPad.SameUpper), max.Window);
        var average = Assert.Single(model.Ops.OfType<AvgPool3DOp>());
        Assert.Equal((new Window3D(new(2, 1, 1, 0), new(2, 1, 0, 1), new(2, 1, 0, 1)), true, true), (average.Window, average.CountIncludePad, average.CeilMode));
        Assert.Equal(new TensorShape(2, 3, 4, 3), model.Graph.Outputs[0].SampleShape);
    }

    [Fact]
    public void ConvTransposeOverVolumesResolvesItsPadding()
    {
        var weights = Enumerable.Range(0, 4 * 3 * 8).Select(i => i * 0.01f).ToArray();
        byte[] bytes = Model(
            [Node("ConvTranspose", ["x", "w", "b"], ["y"], IntsAttribute("strides", 2, 2, 1), IntAttribute("group", 2), IntsAttribute("output_shape", 4, 5, 3))],
            [Tensor("w", [4, 3, 2, 2, 2], weights), Tensor("b", [6], [1, 2, 3, 4, 5, 6])], Declared("x", 4, 2, 2, 3), Declared("y", 6, 4, 5, 3));
        using Model model = OnnxImporter.Import(bytes).Model;
        var op = Assert.Single(model.Ops.OfType<ConvTranspose3DOp>());
        // Depth: 2·1 + 2 = 4 reached, 4 wanted; height: 2·1 + 2 = 4 reached, 5 wanted (one of output padding); width 2 + 2 − 3 = 1 cut at the start.
        Assert.Equal((new Window3D(new(2, 2), new(2, 2), new(2, 1, 1, 0)), 2, 0, 1, 0), (op.Window, op.Groups, op.OutputPaddingDepth, op.OutputPaddingHeight, op.OutputPaddingWidth));
        Assert.Equal(new TensorShape(6, 4, 5, 3), model.Graph.Outputs[0].SampleShape);
        Assert.Equal(weights, op.Weights.ToArray());
    }

    public static TheoryData<string, byte[], string> Refused() => new()
    {
        { "Conv", Model([Node("Conv", ["x", "w"], ["y"])], [Tensor("w", [2, 2, 3, 3, 3], new float[108])], Declared("x", 2, 4, 4, 4), Declared("y", 2, 2, 2, 2)),
            "(rank 5, 3 spatial dimensions); Conv is imported over 1 or 2 spatial dimensions ([N, C, L] or [N, C, H, W]) only" },
        { "ConvTranspose", Model([Node("ConvTranspose", ["x", "w"], ["y"])], [Tensor("w", [2, 2, 1, 1, 1, 1], new float[4])], Declared("x", 2, 3, 3, 3, 3),
                Declared("y", 2, 3, 3, 3, 3)),
            "(rank 6, 4 spatial dimensions); ConvTranspose is imported over 1, 2 or 3 spatial dimensions ([N, C, L], [N, C, H, W] or [N, C, D, H, W]) only" },
        { "AveragePool", Model([Node("AveragePool", ["x"], ["y"], IntsAttribute("kernel_shape", 2, 2, 2), IntsAttribute("pads", 1, 1, 1, 1))], [],
                Declared("x", 2, 4, 4, 4), Declared("y", 2, 4, 4, 4)),
            "attribute 'pads' is [1, 1, 1, 1]; expected 6 values, the begins then the ends of the input's 3 spatial dimensions" },
        { "MaxPool", Model([Node("MaxPool", ["x"], ["y"], IntsAttribute("kernel_shape", 2, 2, 2), StringAttribute("auto_pad", "VALID"), IntAttribute("ceil_mode", 1))],
                [], Declared("x", 2, 5, 5, 5), Declared("y", 2, 4, 4, 4)),
            "attribute 'ceil_mode' is 1 with auto_pad 'VALID', whose output size ONNX runtimes disagree on" },
        { "MaxPool", Model([Node("MaxPool", ["x"], ["y"], IntsAttribute("kernel_shape", 2, 2, 2), IntsAttribute("pads", 0, 0, 2, 0, 0, 0))], [],
                Declared("x", 2, 4, 4, 4), Declared("y", 2, 3, 3, 5)),
            "padding 2 + 0 on the width must be smaller than the kernel's span 2" },
        { "ConvTranspose", Model([Node("ConvTranspose", ["x", "w"], ["y"], IntsAttribute("kernel_shape", 2, 2, 3))], [Tensor("w", [2, 1, 2, 2, 2], new float[16])],
                Declared("x", 2, 3, 3, 3), Declared("y", 1, 4, 4, 4)),
            "attribute 'kernel_shape' is [2, 2, 3], but the weights 'w' have shape [2, 1, 2, 2, 2] (kernel [2, 2, 2])" },
        { "ConvTranspose", Model([Node("ConvTranspose", ["x", "w"], ["y"], IntsAttribute("strides", 2, 2, 2), IntsAttribute("output_padding", 0, 2, 0))],
                [Tensor("w", [2, 1, 2, 2, 2], new float[16])], Declared("x", 2, 3, 3, 3), Declared("y", 1, 6, 8, 6)),
            "output padding 2 along spatial axis 1 must be below the stride (2) or the dilation (1)" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void WhatHasNoOpOfOursIsRefusedNamingIt(string op, byte[] bytes, string detail)
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Equal(op, e.OpType);
        Assert.Contains(detail, e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
    }
}
