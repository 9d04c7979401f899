using Simd.Runtime.Intrinsics;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// SoftmaxCrossEntropyLoss, 2-D scores [N, C] with int64 labels and no weights: loss_i = −log_softmax(x_i)[y_i],
/// reduced by none / sum / mean; a label equal to ignore_index contributes 0 and is left out of the mean's count.
/// The optional second output is the log-softmax itself. The training runtime has no loss on this branch yet, so the loss is our
/// <see cref="Softmax.LogForward"/> kernel plus the negative-log-likelihood pick written here.
/// </summary>
[Trait("Category", "Conformance")]
public class LossConformanceTests
{
    public static TheoryData<string, SimdWidth> Cases()
    {
        var data = new TheoryData<string, SimdWidth>();
        foreach (string c in new[] { "test_sce_mean", "test_sce_none", "test_sce_sum", "test_sce_mean_log_prob", "test_sce_none_log_prob",
            "test_sce_sum_log_prob", "test_sce_mean_no_weight_ii", "test_sce_mean_no_weight_ii_log_prob" })
            foreach (SimdWidth w in ConformanceKernels.Widths) data.Add(c, w);
        return data;
    }

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
        ReadOnlySpan<long> labels = c.Inputs[1].Int64s;

        var logProbabilities = new float[rows * classes];
        ConformanceKernels.LogSoftmax(width, scores.Floats, logProbabilities, rows, classes);
        var losses = new float[rows];
        int counted = 0;
        for (int i = 0; i < rows; i++)
        {
            if (labels[i] == ignore) continue;
            Assert.InRange(labels[i], 0, classes - 1);
            losses[i] = -logProbabilities[i * classes + (int)labels[i]];
            counted++;
        }

        string reduction = node.String("reduction", "mean");
        float[] actual = reduction switch
        {
            "none" => losses,
            "sum" => [losses.Sum()],
            "mean" => [losses.Sum() / counted],
            _ => throw new InvalidOperationException($"{name}: unknown reduction '{reduction}'"),
        };
        OnnxAssert.Close(c.Outputs[0], actual, $"{name} {width}");
        if (c.Outputs.Length > 1)
            OnnxAssert.Close(c.Outputs[1], logProbabilities, $"{name} {width} log_prob");
    }
}
