using Simd.Runtime.Onnx.Conformance;
using Simd.Runtime.Tests.Conformance;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// Every NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss node case, and SoftmaxCrossEntropyLoss's expanded
/// function bodies (Reshape, Transpose, LogSoftmax over the classes, NegativeLogLikelihoodLoss), pass the conformance
/// runner imported as one sample (the labels and class weights bound as initializers), to rtol 1e-5 and atol 1e-6,
/// 100 times tighter than ONNX's bound. A case imports with all its outputs but for the expanded log_prob bodies,
/// where the log_prob output alone leaves the loss node unread.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class LossConformanceRunnerTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var row in ConformanceCase.Manifest())
        {
            bool loss = row.Case.StartsWith("test_sce_", StringComparison.Ordinal) || row.Case.StartsWith("test_nllloss_", StringComparison.Ordinal);
            // The expanded NegativeLogLikelihoodLoss bodies need GatherElements.
            if (loss && !(row.Case.StartsWith("test_nllloss_", StringComparison.Ordinal) && row.Case.EndsWith("_expanded", StringComparison.Ordinal)))
                data.Add(row.Case);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CasePasses(string name)
    {
        ConformanceCaseFolder folder = Assert.Single(ConformanceCaseFolder.Find(Path.Combine(ConformanceData.OnnxNode, name)));
        ConformanceResult r = new ConformanceRunner(rtol: 1e-5, atol: 1e-6).Run(folder);
        Assert.True(r.Outcome == ConformanceOutcome.Pass, r.Line);
        if (!name.EndsWith("_log_prob_expanded", StringComparison.Ordinal)) Assert.True(r.Reason is null, r.Line);
    }
}
