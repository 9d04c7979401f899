using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// Conv with constant weights [M, C/group, kH, kW] (and bias [M]) as <see cref="Conv2DOp"/>: ONNX's layout is ours,
/// so the weights are copied as they are; group covers grouped and depthwise convolutions. A 1-D Conv
/// (weights [M, C/group, k]) runs as 2-D with height 1 (<see cref="SpatialWindow"/>).
/// </summary>
internal static class ConvMapping
{
    public static OnnxOpMapping[] Mappings => [new("Conv", OnnxOpTable.MinOpset, 3, Conv)];

    private static void Conv(ImportContext context, OnnxNode node)
    {
        Value x = context.Data(node, 0);
        int spatial = SpatialWindow.Axes(context, node, x);
        OnnxTensor w = context.Weight(node, 1, rank: spatial + 2);
        int channels = x.SampleShape[0];
        long group = node.Int("group", 1);
        context.Require(node, group >= 1 && channels % group == 0,
            $"attribute 'group' is {group}; it must be at least 1 and divide the input's {channels} channels.");
        long outputs = w.Dims[0], perGroup = w.Dims[1];
        string shape = ImportContext.Dims(w);
        context.Require(node, outputs >= 1 && outputs % group == 0,
            $"weights '{w.Name}' have shape {shape}: {outputs} output channels do not divide into group {group}.");
        context.Require(node, perGroup * group == channels,
            $"weights '{w.Name}' have shape {shape}: {perGroup} input channels per group × group {group}, but the input has {channels} channels.");
        long[] kernel = [.. w.Dims.Skip(2)];
        IReadOnlyList<long> declared = node.Ints("kernel_shape");
        context.Require(node, declared.Count == 0 || declared.SequenceEqual(kernel),
            $"attribute 'kernel_shape' is {SpatialWindow.Text(declared)}, but the weights '{w.Name}' have shape {shape} (kernel {SpatialWindow.Text(kernel)}).");
        var window = SpatialWindow.Read(context, node, spatial, kernel);
        OnnxTensor? bias = null;
        if (node.HasInput(2))
        {
            bias = context.Weight(node, 2, rank: 1);
            context.Require(node, bias.ElementCount == outputs, $"bias '{bias.Name}' has {bias.ElementCount} values for {outputs} output channels.");
        }

        var op = new Conv2DOp((int)outputs, window, (int)group, bias: bias is not null);
        Value y = SpatialWindow.Out(context, node, context.Add(node, op, SpatialWindow.In(context, node, x, spatial)), spatial);
        context.SetTensor(op, "weights", w);
        if (bias is not null) context.SetTensor(op, "bias", bias);
        context.Bind(node, y);
    }
}
