using Simd.Runtime.Onnx.Conformance;
using Simd.Runtime.Tests.Conformance;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// The expanded function bodies that Slice and GatherElements import pass the conformance runner, every output
/// within ONNX's bound: LayerNormalization over the last axes (its input's shape sliced to the prefix that shapes
/// Mean and InvStdDev, each output imported with the nodes it is computed from) and NegativeLogLikelihoodLoss with
/// reduction none (GatherElements by the labels, a Where of constants for ignore_index, a Slice of the picked class)
/// imported as one sample.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class SliceConformanceTests
{
    public static TheoryData<string> Cases() =>
    [
        "test_layer_normalization_2d_axis1_expanded", "test_layer_normalization_2d_axis1_expanded_ver18",
        "test_layer_normalization_2d_axis_negative_1_expanded", "test_layer_normalization_2d_axis_negative_1_expanded_ver18",
        "test_layer_normalization_3d_axis1_epsilon_expanded", "test_layer_normalization_3d_axis1_epsilon_expanded_ver18",
        "test_layer_normalization_3d_axis_negative_2_epsilon_expanded", "test_layer_normalization_3d_axis_negative_2_epsilon_expanded_ver18",
        "test_layer_normalization_4d_axis1_expanded", "test_layer_normalization_4d_axis1_expanded_ver18",
        "test_layer_normalization_4d_axis_negative_3_expanded", "test_layer_normalization_4d_axis_negative_3_expanded_ver18",
        "test_nllloss_NC_expanded", "test_nllloss_NCd1d2_with_weight_expanded", "test_nllloss_NCd1d2d3d4d5_none_no_weight_expanded",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExpandedCasePasses(string name)
    {
        ConformanceCaseFolder folder = Assert.Single(ConformanceCaseFolder.Find(Path.Combine(ConformanceData.OnnxNode, name)));
        ConformanceResult r = new ConformanceRunner().Run(folder);
        Assert.True(r.Outcome == ConformanceOutcome.Pass, r.Line);
        Assert.Null(r.Reason);
    }
}
