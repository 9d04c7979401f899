using Simd.Runtime.Intrinsics;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// ONNX Softmax / LogSoftmax (opset 13: along one axis) against our row-wise kernels. A tensor [outer, n, inner]
/// with the axis of length n is gathered into outer·inner rows of n, run, and scattered back; for the last axis
/// (inner = 1) the gather is the identity and the kernel reads the tensor in place.
/// </summary>
[Trait("Category", "Conformance")]
public class SoftmaxConformanceTests
{
    private static readonly string[] Cases =
    [
        "test_softmax_axis_0", "test_softmax_axis_1", "test_softmax_axis_2", "test_softmax_default_axis",
        "test_softmax_example", "test_softmax_negative_axis", "test_logsoftmax_axis_0", "test_logsoftmax_axis_1",
        "test_logsoftmax_example_1", "test_logsoftmax_large_number",
    ];

    public static TheoryData<string, SimdWidth> CaseWidths() => ConformanceKernels.CaseWidths(Cases);

    [Theory]
    [MemberData(nameof(CaseWidths))]
    public void MatchesOnnx(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxNode node = c.Node;
        Assert.True(c.Model.Opset("") >= 13, $"{name}: opset {c.Model.Opset("")}; these semantics need opset 13 or later.");
        bool log = node.OpType switch
        {
            "Softmax" => false,
            "LogSoftmax" => true,
            _ => throw new InvalidOperationException($"{name}: op {node.OpType}"),
        };
        OnnxTensor input = c.Inputs[0];
        int rank = input.Dims.Count;
        int axis = (int)node.Int("axis", -1);
        if (axis < 0) axis += rank;
        Assert.InRange(axis, 0, rank - 1);
        int outer = 1, inner = 1, n = (int)input.Dims[axis];
        for (int d = 0; d < axis; d++) outer *= (int)input.Dims[d];
        for (int d = axis + 1; d < rank; d++) inner *= (int)input.Dims[d];

        ReadOnlySpan<float> x = input.Floats;
        var rowsIn = new float[x.Length];
        var rowsOut = new float[x.Length];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                for (int a = 0; a < n; a++)
                    rowsIn[(o * inner + i) * n + a] = x[(o * n + a) * inner + i];
        if (log) ConformanceKernels.LogSoftmax(width, rowsIn, rowsOut, outer * inner, n);
        else ConformanceKernels.Softmax(width, rowsIn, rowsOut, outer * inner, n);
        var y = new float[x.Length];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
                for (int a = 0; a < n; a++)
                    y[(o * n + a) * inner + i] = rowsOut[(o * inner + i) * n + a];

        OnnxAssert.Close(c.Outputs[0], y, $"{name} {width}", OnnxAssert.Rtol);
    }
}
