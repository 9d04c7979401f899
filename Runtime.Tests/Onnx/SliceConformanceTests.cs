using Simd.Runtime.Onnx.Conformance;
using Simd.Runtime.Tests.Conformance;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// The expanded function bodies that Slice and GatherElements import pass the conformance runner, every output
/// within ONNX's bound: LayerNormalization (its input's shape sliced to the prefix that shapes Mean and InvStdDev,
/// each output imported with the nodes it is computed from; over the axes after the first with a batch axis, over
/// any as one sample) and NegativeLogLikelihoodLoss (GatherElements by the labels, a Where of constants for
/// ignore_index, a Slice of the picked class, the class weights gathered and summed at import) imported as one sample.
/// The Clip, Elu, Selu, Softmax and LogSoftmax bodies over axis 0 or of a vector import as one sample (comparisons,
/// Where and reductions checked there).
/// </summary>
[Trait("Category", "Conformance")]
public sealed class SliceConformanceTests
{
    public static TheoryData<string> Cases() =>
    [
        "test_layer_normalization_2d_axis0_expanded", "test_layer_normalization_2d_axis0_expanded_ver18",
        "test_layer_normalization_2d_axis1_expanded", "test_layer_normalization_2d_axis1_expanded_ver18",
        "test_layer_normalization_2d_axis_negative_1_expanded", "test_layer_normalization_2d_axis_negative_1_expanded_ver18",
        "test_layer_normalization_2d_axis_negative_2_expanded", "test_layer_normalization_2d_axis_negative_2_expanded_ver18",
        "test_layer_normalization_3d_axis0_epsilon_expanded", "test_layer_normalization_3d_axis0_epsilon_expanded_ver18",
        "test_layer_normalization_3d_axis1_epsilon_expanded", "test_layer_normalization_3d_axis1_epsilon_expanded_ver18",
        "test_layer_normalization_3d_axis_negative_2_epsilon_expanded", "test_layer_normalization_3d_axis_negative_2_epsilon_expanded_ver18",
        "test_layer_normalization_3d_axis_negative_3_epsilon_expanded", "test_layer_normalization_3d_axis_negative_3_epsilon_expanded_ver18",
        "test_layer_normalization_4d_axis0_expanded", "test_layer_normalization_4d_axis0_expanded_ver18",
        "test_layer_normalization_4d_axis1_expanded", "test_layer_normalization_4d_axis1_expanded_ver18",
        "test_layer_normalization_4d_axis3_expanded", "test_layer_normalization_4d_axis3_expanded_ver18",
        "test_layer_normalization_4d_axis_negative_1_expanded", "test_layer_normalization_4d_axis_negative_1_expanded_ver18",
        "test_layer_normalization_4d_axis_negative_3_expanded", "test_layer_normalization_4d_axis_negative_3_expanded_ver18",
        "test_layer_normalization_default_axis_expanded", "test_layer_normalization_default_axis_expanded_ver18", "test_nllloss_NC_expanded",
        "test_nllloss_NCd1_expanded", "test_nllloss_NCd1_mean_weight_negative_ii_expanded", "test_nllloss_NCd1_weight_expanded",
        "test_nllloss_NCd1_weight_ii_expanded", "test_nllloss_NCd1d2_no_weight_reduction_mean_ii_expanded",
        "test_nllloss_NCd1d2_reduction_sum_expanded", "test_nllloss_NCd1d2_with_weight_expanded",
        "test_nllloss_NCd1d2_with_weight_reduction_mean_expanded", "test_nllloss_NCd1d2_with_weight_reduction_sum_expanded",
        "test_nllloss_NCd1d2_with_weight_reduction_sum_ii_expanded", "test_nllloss_NCd1d2d3_none_no_weight_negative_ii_expanded",
        "test_nllloss_NCd1d2d3d4d5_none_no_weight_expanded",
    ];

    public static TheoryData<string> OneSampleCases() =>
    [
        "test_clip_example_expanded", "test_clip_inbounds_expanded", "test_clip_min_greater_than_max_expanded", "test_clip_outbounds_expanded",
        "test_elu_example_expanded_ver18", "test_logsoftmax_axis_0_expanded", "test_logsoftmax_axis_0_expanded_ver18",
        "test_selu_example_expanded_ver18", "test_softmax_axis_0_expanded", "test_softmax_axis_0_expanded_ver18",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    [MemberData(nameof(OneSampleCases))]
    public void ExpandedCasePasses(string name)
    {
        ConformanceCaseFolder folder = Assert.Single(ConformanceCaseFolder.Find(Path.Combine(ConformanceData.OnnxNode, name)));
        ConformanceResult r = new ConformanceRunner().Run(folder);
        Assert.True(r.Outcome == ConformanceOutcome.Pass, r.Line);
        Assert.Null(r.Reason);
    }
}
