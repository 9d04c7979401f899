using Simd.Runtime.Onnx.Conformance;
using Simd.Runtime.Tests.Conformance;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// The cases that import only as one sample (rank-1 inputs, or ops over axis 0 that a batch would mix) or only with
/// HardSigmoid's and Selu's own parameters, and the optimizers (R and T are scalars), pass the conformance runner: imported as written, every output within
/// ONNX's bound. The expanded function bodies here read their comparisons, Where, reductions over every axis and
/// LogSoftmax over axis 0 through the ops checked in <c>Mapping/OneSampleOps.cs</c>.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class OneSampleConformanceTests
{
    public static TheoryData<string> Cases()
    {
        var cases = new TheoryData<string>
        {
            "test_clip_example_expanded", "test_clip_inbounds_expanded", "test_clip_min_greater_than_max_expanded", "test_clip_outbounds_expanded",
            "test_elu_example_expanded_ver18", "test_selu_example_expanded_ver18", "test_hardsigmoid_default", "test_hardsigmoid_example", "test_selu_example",
            "test_logsoftmax_axis_0", "test_logsoftmax_axis_0_expanded", "test_logsoftmax_axis_0_expanded_ver18",
            "test_softmax_axis_0_expanded", "test_softmax_axis_0_expanded_ver18", "test_prelu_example",
            "test_reduce_mean_default_axes_keepdims_example", "test_reduce_sum_default_axes_keepdims_example", "test_reduce_sum_default_axes_keepdims_random",
            "test_adam", "test_momentum_multiple", "test_nesterov_momentum", "test_gemm_all_attributes", "test_gemm_default_matrix_bias",
        };
        foreach (string layout in new[] { "2d_axis0", "2d_axis1", "2d_axis_negative_1", "2d_axis_negative_2", "3d_axis0_epsilon", "3d_axis1_epsilon",
            "3d_axis_negative_2_epsilon", "3d_axis_negative_3_epsilon", "4d_axis0", "4d_axis1", "4d_axis3", "4d_axis_negative_1", "4d_axis_negative_3", "default_axis" })
        {
            cases.Add($"test_layer_normalization_{layout}_expanded");
            cases.Add($"test_layer_normalization_{layout}_expanded_ver18");
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CasePasses(string name)
    {
        ConformanceCaseFolder folder = Assert.Single(ConformanceCaseFolder.Find(Path.Combine(ConformanceData.OnnxNode, name)));
        ConformanceResult r = new ConformanceRunner().Run(folder);
        Assert.True(r.Outcome == ConformanceOutcome.Pass, r.Line);
    }
}
