using Simd.Runtime.Intrinsics;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// SoftmaxCrossEntropyLoss, 2-D scores [N, C] with int64 labels and no weights: loss_i = −log_softmax(x_i)[y_i],
/// reduced by none / sum / mean. The training runtime has no loss on this branch yet, so the loss is our
/// <see cref="Softmax.LogForward"/> kernel plus the negative-log-likelihood pick written here.
/// </summary>
[Trait("Category", "Conformance")]
public class LossConformanceTests
{
    public static TheoryData<string, SimdWidth> Cases()
    {
        var data = new TheoryData<string, SimdWidth>();
        foreach (string c in new[] { "test_sce_mean", "test_sce_none", "test_sce_sum" })
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
        Assert.Null(node.Attribute("ignore_index"));
        Assert.False(node.HasInput(2), $"{name}: class weights are not covered here");
        OnnxTensor scores = c.Inputs[0];
        Assert.Equal(2, scores.Dims.Count);
        int rows = (int)scores.Dims[0], classes = (int)scores.Dims[1];
        ReadOnlySpan<long> labels = c.Inputs[1].Int64s;

        var logProbabilities = new float[rows * classes];
        ConformanceKernels.LogSoftmax(width, scores.Floats, logProbabilities, rows, classes);
        var losses = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            Assert.InRange(labels[i], 0, classes - 1);
            losses[i] = -logProbabilities[i * classes + (int)labels[i]];
        }

        string reduction = node.String("reduction", "mean");
        float[] actual = reduction switch
        {
            "none" => losses,
            "sum" => [losses.Sum()],
            "mean" => [losses.Sum() / rows],
            _ => throw new InvalidOperationException($"{name}: unknown reduction '{reduction}'"),
        };
        OnnxAssert.Close(c.Outputs[0], actual, $"{name} {width}");
    }
}
