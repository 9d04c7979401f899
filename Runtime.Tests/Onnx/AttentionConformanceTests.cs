using Simd.Runtime.Onnx.Conformance;
using Simd.Runtime.Tests.Conformance;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// ONNX's node tests of batched MatMul and of Transpose through the conformance runner (the importer, the imported
/// model frozen, ONNX's bounds): each passes. test_transpose_all_permutations_2 moves only the batch, so no node
/// computes its output. test_matmul_bcast broadcasts the batch itself (3 samples against 1): no batch reading fits
/// its data, so the runner reads it as one sample; so is test_matmul_1d_3d, whose rank-1 first operand has no batch
/// and multiplies as a row (numpy's rule).
/// </summary>
[Trait("Category", "Conformance")]
public sealed class AttentionConformanceTests
{
    [Theory]
    [InlineData("test_matmul_3d")]
    [InlineData("test_matmul_4d")]
    [InlineData("test_matmul_bcast")]
    [InlineData("test_matmul_1d_3d")]
    [InlineData("test_transpose_all_permutations_1")]
    [InlineData("test_transpose_all_permutations_4")]
    [InlineData("test_transpose_all_permutations_5")]
    [InlineData("test_transpose_default")]
    public void CasePasses(string name)
    {
        ConformanceCaseFolder folder = ConformanceCaseFolder.Find(ConformanceData.OnnxNode).Single(f => f.Name == name);
        ConformanceResult result = new ConformanceRunner().Run(folder);
        Assert.True(result.Outcome == ConformanceOutcome.Pass, $"{name}: {result.Line}");
    }
}
