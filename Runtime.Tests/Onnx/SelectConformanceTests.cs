using Simd.Runtime.Onnx.Conformance;
using Simd.Runtime.Tests.Conformance;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// The expanded function bodies that the comparison, Where, Max and Cast mappings import (Clip as Less and Where,
/// PReLU as Less, Where and Mul, ReLU as Max of a CastLike zero, tanh-GELU and Softsign with their CastLike scalars)
/// pass the conformance runner: imported as written, every output within ONNX's bound.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class SelectConformanceTests
{
    public static TheoryData<string> Cases() =>
    [
        "test_clip_default_max_expanded", "test_clip_default_min_expanded", "test_gelu_tanh_2_expanded",
        "test_prelu_example_expanded", "test_relu_expanded_ver18", "test_softsign_expanded_ver18",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExpandedCasePasses(string name)
    {
        ConformanceCaseFolder folder = Assert.Single(ConformanceCaseFolder.Find(Path.Combine(ConformanceData.OnnxNode, name)));
        ConformanceResult r = new ConformanceRunner().Run(folder);
        Assert.True(r.Outcome == ConformanceOutcome.Pass, r.Line);
    }
}
