using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// SoftmaxCrossEntropyLoss, 2-D scores [N, C] with int64 labels and no weights, against the training runtime's
/// <see cref="SoftmaxCrossEntropyLoss"/> (mean over the rows it is given): the mean case is one call over the kept
/// rows (a label equal to ignore_index is left out, as ONNX leaves it out of the mean); none and sum take each
/// row's loss as a one-row call. The optional second output, the log-softmax, comes from <c>Softmax.LogForward</c>.
/// </summary>
[Trait("Category", "Conformance")]
public class LossConformanceTests
{
    public static TheoryData<string, SimdWidth> Cases() => ConformanceKernels.CaseWidths(
        "test_sce_mean", "test_sce_none", "test_sce_sum", "test_sce_mean_log_prob", "test_sce_none_log_prob",
        "test_sce_sum_log_prob", "test_sce_mean_no_weight_ii", "test_sce_mean_no_weight_ii_log_prob");

    [Theory]
    [MemberData(nameof(Cases))]
    public void SoftmaxCrossEntropyMatchesOnnx(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxNode node = c.Node;
        Assert.Equal("SoftmaxCrossEntropyLoss", node.OpType);
        long? ignore = node.Attribute("ignore_index") is null ? null : node.Int("ignore_index", 0);
        Assert.False(node.HasInput(2), $"{name}: class weights are not covered here");
        OnnxTensor scores = c.Inputs[0];
        Assert.Equal(2, scores.Dims.Count);
        int rows = (int)scores.Dims[0], classes = (int)scores.Dims[1];
        ReadOnlySpan<float> x = scores.Floats;
        ReadOnlySpan<long> labels = c.Inputs[1].Int64s;

        var loss = new SoftmaxCrossEntropyLoss();
        var losses = new float[rows];
        var kept = new List<float>();
        var keptLabels = new List<int>();
        for (int i = 0; i < rows; i++)
        {
            if (labels[i] == ignore) continue;
            ReadOnlySpan<float> row = x.Slice(i * classes, classes);
            int label = checked((int)labels[i]);
            losses[i] = (float)loss.Compute(row, 1, classes, [label], default, default);
            kept.AddRange(row);
            keptLabels.Add(label);
        }

        string reduction = node.String("reduction", "mean");
        float[] actual = reduction switch
        {
            "none" => losses,
            "sum" => [losses.Sum()],
            "mean" => [(float)loss.Compute(kept.ToArray(), keptLabels.Count, classes, keptLabels.ToArray(), default, default)],
            _ => throw new InvalidOperationException($"{name}: unknown reduction '{reduction}'"),
        };
        OnnxAssert.Close(c.Outputs[0], actual, $"{name} {width}");

        if (c.Outputs.Length > 1)
        {
            var logProbabilities = new float[rows * classes];
            ConformanceKernels.LogSoftmax(width, x, logProbabilities, rows, classes);
            OnnxAssert.Close(c.Outputs[1], logProbabilities, $"{name} {width} log_prob");
        }
    }
}
