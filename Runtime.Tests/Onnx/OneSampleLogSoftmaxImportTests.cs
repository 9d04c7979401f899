using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Onnx.Conformance;
using Simd.Runtime.Tests.Conformance;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// LogSoftmax in a graph imported as one sample (ONNX's function body of SoftmaxCrossEntropyLoss takes it over the
/// classes of [N, D, C]): every axis is the tensor's own, axis 0 included, as for Softmax.
/// </summary>
public sealed class OneSampleLogSoftmaxImportTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(-1L)]
    public void OverAnyAxisOfTheTensor(long axis)
    {
        byte[] bytes = Model([Node("LogSoftmax", ["x"], ["y"], IntAttribute("axis", axis))], [], [Value("x", [3, 4])], [Value("y", [3, 4])]);
        using Model model = OnnxImporter.Import(bytes, batchMode: OnnxBatchMode.OneSample).Model;
        float[] x = [.. Enumerable.Range(0, 12).Select(i => (float)Math.Sin(i) * 3)];
        var y = new float[12];
        model.Predict(x, y);
        int a = axis == 0 ? 0 : 1;
        for (int i = 0; i < 12; i++)
        {
            int row = i / 4, col = i % 4;
            var along = Enumerable.Range(0, a == 0 ? 3 : 4).Select(k => (double)x[a == 0 ? k * 4 + col : row * 4 + k]).ToArray();
            double max = along.Max();
            double expected = x[i] - max - Math.Log(along.Sum(v => Math.Exp(v - max)));
            Assert.Equal(expected, y[i], 2e-6);
        }
    }

    [Fact]
    public void TheCaseOverAxis0PassesTheRunner()
    {
        ConformanceCaseFolder folder = Assert.Single(ConformanceCaseFolder.Find(Path.Combine(ConformanceData.OnnxNode, "test_logsoftmax_axis_0")));
        ConformanceResult r = new ConformanceRunner(rtol: 1e-5, atol: 1e-6).Run(folder);
        Assert.True(r.Outcome == ConformanceOutcome.Pass && r.Reason is null, r.Line);
    }
}
