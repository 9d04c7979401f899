using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// What Conv, ConvTranspose, MaxPool and AveragePool share: ONNX's <c>kernel_shape</c>, <c>strides</c>, <c>pads</c>,
/// <c>dilations</c> and <c>auto_pad</c> over one or two spatial axes, as a <see cref="Window2D"/>, or three, as a
/// <see cref="Window3D"/> (the pools and ConvTranspose only). The 2-D ops take images [C, H, W]; a 1-D node
/// ([N, C, L]) runs as an image of height 1, its input reshaped to [C, 1, L] and its output back to [M, L'], which
/// changes no value. Conv over three axes, and anything over four or more, has no op of ours.
/// </summary>
internal static class SpatialWindow
{
    /// <summary>The largest size, stride, pad or dilation a <see cref="Window2D"/> holds.</summary>
    private const long Largest = 1 << 24;

    private static readonly (string Name, AutoPad Mode)[] AutoPads =
        [("NOTSET", AutoPad.NotSet), ("SAME_UPPER", AutoPad.SameUpper), ("SAME_LOWER", AutoPad.SameLower), ("VALID", AutoPad.Valid)];

    /// <summary>
    /// The spatial axes of <paramref name="x"/>: 1 or 2, or 3 as well for the nodes with a 3-D op (<paramref name="volumes"/>);
    /// any other rank is refused, naming it.
    /// </summary>
    public static int Axes(ImportContext context, OnnxNode node, Value x, bool volumes = false)
    {
        int rank = x.SampleShape.Rank + 1, spatial = rank - 2, most = volumes ? 3 : 2;
        string shapes = volumes ? "[N, C, L], [N, C, H, W] or [N, C, D, H, W]" : "[N, C, L] or [N, C, H, W]";
        context.Require(node, spatial >= 1 && spatial <= most, spatial < 1
            ? $"the input '{node.Inputs[0]}' has shape {ImportContext.FullShape(x)} (rank {rank}); {node.OpType} takes {shapes}."
            : $"the input '{node.Inputs[0]}' has shape {ImportContext.FullShape(x)} (rank {rank}, {spatial} spatial dimensions); {node.OpType} is imported over {(volumes ? "1, 2 or 3" : "1 or 2")} spatial dimensions ({shapes}) only.");
        return spatial;
    }

    /// <summary>The window of a node with <paramref name="kernel"/> (one size per spatial axis, 1 or 2 of them).</summary>
    public static Window2D Read(ImportContext context, OnnxNode node, int spatial, IReadOnlyList<long> kernel)
    {
        var (strides, dilations, pads, mode) = Attributes(context, node, spatial, kernel);
        // ONNX orders pads as all begins, then all ends; a 1-D node's one axis is the image's width.
        return spatial == 1
            ? new Window2D(1, (int)kernel[0], 1, (int)strides[0], 0, (int)pads[0], 0, (int)pads[1], 1, (int)dilations[0], mode)
            : new Window2D((int)kernel[0], (int)kernel[1], (int)strides[0], (int)strides[1], (int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3],
                (int)dilations[0], (int)dilations[1], mode);
    }

    /// <summary>The window of a node over volumes ([N, C, D, H, W]) with <paramref name="kernel"/> (three sizes).</summary>
    public static Window3D Read3D(ImportContext context, OnnxNode node, IReadOnlyList<long> kernel)
    {
        var (strides, dilations, pads, mode) = Attributes(context, node, 3, kernel);
        WindowAxis Axis(int i) => new((int)kernel[i], (int)strides[i], (int)pads[i], (int)pads[3 + i], (int)dilations[i]);
        return new Window3D(Axis(0), Axis(1), Axis(2), mode);
    }

    private static (long[] Strides, long[] Dilations, long[] Pads, AutoPad Mode) Attributes(ImportContext context, OnnxNode node, int spatial, IReadOnlyList<long> kernel)
    {
        Check(context, node, "kernel_shape", kernel, spatial, 1);
        long[] strides = List(context, node, "strides", spatial, 1), dilations = List(context, node, "dilations", spatial, 1);
        long[] pads = List(context, node, "pads", 2 * spatial, 0);
        string name = node.String("auto_pad", "NOTSET");
        int found = Array.FindIndex(AutoPads, a => a.Name == name);
        context.Require(node, found >= 0, $"attribute 'auto_pad' is '{name}'; expected one of {string.Join(", ", AutoPads.Select(a => a.Name))}.");
        AutoPad mode = AutoPads[found].Mode;
        context.Require(node, mode == AutoPad.NotSet || pads.All(p => p == 0),
            $"attribute 'pads' is {Text(pads)} with auto_pad '{name}'; give explicit pads (auto_pad NOTSET) or auto_pad, not both.");
        return (strides, dilations, pads, mode);
    }

    /// <summary>The input as our op takes it: a 1-D node's [C, L] as [C, 1, L].</summary>
    public static Value In(ImportContext context, OnnxNode node, Value x, int spatial) =>
        spatial == 1 ? context.Add(node, new ReshapeOp(x.SampleShape[0], 1, x.SampleShape[1]), x) : x;

    /// <summary>The op's output as ONNX shapes it: a 1-D node's [M, 1, L'] as [M, L'].</summary>
    public static Value Out(ImportContext context, OnnxNode node, Value y, int spatial) =>
        spatial == 1 ? context.Add(node, new ReshapeOp(y.SampleShape[0], y.SampleShape[2]), y) : y;

    /// <summary>An on/off attribute (ceil_mode, count_include_pad): 0 or 1.</summary>
    public static bool Flag(ImportContext context, OnnxNode node, string name)
    {
        long value = node.Int(name, 0);
        context.Require(node, value is 0 or 1, $"attribute '{name}' is {value}; expected 0 or 1.");
        return value == 1;
    }

    public static string Text(IEnumerable<long> values) => $"[{string.Join(", ", values)}]";

    /// <summary>An ints attribute with one value per axis (<paramref name="length"/>), each at least <paramref name="min"/>; absent gives all defaults.</summary>
    public static long[] List(ImportContext context, OnnxNode node, string name, int length, long min)
    {
        IReadOnlyList<long> values = node.Ints(name);
        if (values.Count == 0) return Enumerable.Repeat(min == 0 ? 0L : 1L, length).ToArray();
        Check(context, node, name, values, length, min);
        return [.. values];
    }

    private static void Check(ImportContext context, OnnxNode node, string name, IReadOnlyList<long> values, int length, long min)
    {
        context.Require(node, values.Count == length, name == "pads"
            ? $"attribute 'pads' is {Text(values)}; expected {length} values, the begins then the ends of the input's {length / 2} spatial {(length == 2 ? "dimension" : "dimensions")}."
            : $"attribute '{name}' is {Text(values)}; expected {length} values, one per spatial dimension of the input.");
        foreach (long v in values)
            context.Require(node, v >= min && v <= Largest, $"attribute '{name}' is {Text(values)}; expected values in [{min}, {Largest}].");
    }
}
