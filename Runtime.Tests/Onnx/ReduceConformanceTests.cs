using Simd.Runtime.Intrinsics;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// ONNX ReduceSum and ReduceMean (axes an attribute or an input by opset, keepdims, noop_with_empty_axes, an empty
/// set of values), Celu and PRelu against our kernels at every width. The kernels have no batch axis, so the cases
/// over every axis run here too; the importer refuses them (a reduction over the batch).
/// </summary>
[Trait("Category", "Conformance")]
public class ReduceConformanceTests
{
    private static readonly string[] ReduceCases =
    [
        "test_reduce_mean_default_axes_keepdims_example", "test_reduce_mean_do_not_keepdims_random", "test_reduce_mean_keepdims_example",
        "test_reduce_mean_keepdims_random", "test_reduce_mean_negative_axes_keepdims_example", "test_reduce_mean_negative_axes_keepdims_random",
        "test_reduce_sum_default_axes_keepdims_example", "test_reduce_sum_default_axes_keepdims_random", "test_reduce_sum_do_not_keepdims_example",
        "test_reduce_sum_empty_axes_input_noop_example", "test_reduce_sum_empty_set_non_reduced_axis_zero", "test_reduce_sum_keepdims_example",
        "test_reduce_sum_keepdims_random", "test_reduce_sum_negative_axes_keepdims_example", "test_reduce_sum_negative_axes_keepdims_random",
    ];

    public static TheoryData<string, SimdWidth> ReduceCaseWidths() => ConformanceKernels.CaseWidths(ReduceCases);

    public static TheoryData<string, SimdWidth> ActivationCaseWidths() => ConformanceKernels.CaseWidths("test_celu", "test_prelu_example");

    [Theory]
    [MemberData(nameof(ReduceCaseWidths))]
    public void ReductionsMatchOnnx(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxNode node = c.Node;
        ReduceFunction function = node.OpType switch
        {
            "ReduceSum" => ReduceFunction.Sum,
            "ReduceMean" => ReduceFunction.Mean,
            _ => throw new InvalidOperationException($"{name}: op {node.OpType}"),
        };
        long since = function == ReduceFunction.Sum ? 13 : 18;
        OnnxTensor x = c.Inputs[0];
        int[] dims = [.. x.Dims.Select(d => (int)d)];
        long[] axes = c.Model.Opset("") >= since ? (c.Inputs.Length > 1 ? c.Inputs[1].Int64s.ToArray() : []) : [.. node.Ints("axes")];
        var reduced = new bool[dims.Length];
        bool noop = axes.Length == 0 && node.Int("noop_with_empty_axes", 0) != 0;
        if (axes.Length == 0 && !noop) Array.Fill(reduced, true);
        foreach (long a in axes) reduced[a < 0 ? a + dims.Length : a] = true;

        // noop_with_empty_axes leaves the input as it is: a sum over no axis copies it.
        var y = new float[Math.Max(1, AxisReductions.OutputLength(dims, reduced))];
        var scratch = new float[AxisReductions.ScratchLength(function, x.Floats.Length, y.Length, backward: false)];
        AxisReductions.Forward(function, x.Floats, dims, reduced, y, scratch, width);
        bool keepDims = node.Int("keepdims", 1) != 0;
        long[] shape = [.. dims.Select((d, k) => reduced[k] ? (keepDims ? 1 : -1) : (long)d).Where(d => d >= 0)];
        OnnxAssert.Shape(c.Outputs[0], shape, name);
        OnnxAssert.Close(c.Outputs[0], y.AsSpan(0, c.Outputs[0].Floats.Length), $"{name} {width}", OnnxAssert.Rtol);
    }

    [Theory]
    [MemberData(nameof(ActivationCaseWidths))]
    public void CeluAndPReluMatchOnnx(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxNode node = c.Node;
        OnnxTensor x = c.Inputs[0];
        var y = new float[x.Floats.Length];
        if (node.OpType == "Celu") Celu.Forward(x.Floats, y, node.Float("alpha", 1), width);
        else
        {
            // test_prelu_example: a slope per element (the same shape as X).
            OnnxTensor slope = c.Inputs[1];
            Assert.Equal(x.Dims, slope.Dims);
            int[] dims = [.. x.Dims.Select(d => (int)d)];
            PRelu.Forward(x.Floats, slope.Floats, dims, new bool[dims.Length], y, width);
        }
        OnnxAssert.Close(c.Outputs[0], y, $"{name} {width}", OnnxAssert.Rtol);
    }
}
