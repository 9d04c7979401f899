using Simd.Runtime.Graphs;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>PRelu (its slope a trainable constant, broadcast as ONNX does) and Celu: import, refusals and the export read back.</summary>
public sealed class PReluImportTests
{
    private const int Rows = 3;

    private static float[] Input(int n) => KernelTestData.Uniform(Rows * n, 6, -2, 2);

    [Theory]
    [InlineData(new long[] { 1 }, new[] { 1 })]
    [InlineData(new long[] { 2, 1, 1 }, new[] { 2, 1, 1 })]
    [InlineData(new long[] { 1, 2, 3, 4 }, new[] { 2, 3, 4 })]
    [InlineData(new long[] { 4 }, new[] { 4 })]
    public void ASlopeBroadcastAsOnnxDoesBecomesTheOpsParameter(long[] slopeDims, int[] sampleSlope)
    {
        int count = (int)slopeDims.Aggregate(1L, (a, d) => a * d);
        float[] slope = KernelTestData.Uniform(count, 2, -0.5f, 0.5f);
        byte[] bytes = Model([Node("PRelu", ["x", "s"], ["y"])], [Tensor("s", slopeDims, slope)], [Value("x", [null, 2, 3, 4])], [Value("y", [null, 2, 3, 4])], opset: 16);
        using Model model = OnnxImporter.Import(bytes).Model;
        var op = Assert.IsType<PReluOp>(Assert.Single(model.Ops));
        Assert.Equal(new TensorShape(sampleSlope), op.SlopeShape);
        Assert.Equal(slope, op.Slope.ToArray());
        Assert.Equal(count, model.ParameterCount);
        float[] x = Input(24), y = new float[x.Length];
        model.Predict(x, y);
        int[] dims = [Rows, 2, 3, 4];
        bool[] broadcast = [true, .. Enumerable.Range(0, 3).Select(k => k + sampleSlope.Length - 3 < 0 || sampleSlope[k + sampleSlope.Length - 3] == 1)];
        int[] target = AxisReductionReference.OutputIndex(dims, broadcast);
        for (int i = 0; i < x.Length; i++) Assert.Equal(x[i] > 0 ? x[i] : slope[target[i]] * x[i], y[i]);
    }

    [Fact]
    public void SlopesThatDoNotFitAreRefused()
    {
        AssertRefused(Model([Node("PRelu", ["x", "s"], ["y"])], [Tensor("s", [3, 2, 3], new float[18])], [Value("x", [null, 2, 3])], [Value("y", [null, 2, 3])], opset: 16),
            "PRelu", "the slope 's' has shape [3, 2, 3], a slope per sample of the batch; the batch axis must be 1.");
        AssertRefused(Model([Node("PRelu", ["x", "s"], ["y"])], [Tensor("s", [3], new float[3])], [Value("x", [null, 2, 4])], [Value("y", [null, 2, 4])], opset: 16),
            "PRelu", "prelu slope [3] does not broadcast over samples of [2×4]: each of its sizes, aligned at the right, must be 1 or the sample's.");
        AssertRefused(Model([Node("Relu", ["x"], ["s"]), Node("PRelu", ["x", "s"], ["y"])], [], [Value("x", [null, 2])], [Value("y", [null, 2])], opset: 16),
            "PRelu", "input 1 's' is not an initializer; weights must be constant.");
    }

    [Fact]
    public void CeluTakesItsAlpha()
    {
        byte[] bytes = Model([Node("Celu", ["x"], ["y"], FloatAttribute("alpha", 0.5f))], [], [Value("x", [null, 4])], [Value("y", [null, 4])], opset: 12);
        using Model model = OnnxImporter.Import(bytes).Model;
        Assert.Equal(0.5f, Assert.IsType<CeluOp>(Assert.Single(model.Ops)).Alpha);
        AssertRefused(Model([Node("Celu", ["x"], ["y"], FloatAttribute("alpha", 0))], [], [Value("x", [null, 4])], [Value("y", [null, 4])], opset: 12),
            "Celu", "alpha is 0; the importer maps Celu with a positive finite alpha.");
    }

    [Fact]
    public void ATrainedGraphWithBothExportsAndImportsBackBitwise()
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(12));
        Value h = g.Single(new PReluOp(new TensorShape(2, 1, 1)), g.Reshape(g.Dense(x, 24), 2, 3, 4));
        g.Output(g.Dense(g.Single(new CeluOp(0.7f), g.Flatten(h)), 3));
        using Model model = g.Build(seed: 4, maxBatch: 8);
        model.Ops.OfType<PReluOp>().Single().Slope.CopyTo([0.1f, -0.3f]);
        var stream = new MemoryStream();
        model.ExportOnnx(stream);
        OnnxModel onnx = OnnxModel.Read(stream.ToArray());
        Assert.Equal(17, onnx.Opset(""));
        OnnxNode prelu = onnx.Graph.Nodes.Single(n => n.OpType == "PRelu");
        Assert.Equal([2L, 1, 1], onnx.Graph.Initializer(prelu.Inputs[1])!.Dims);
        Assert.Equal(0.7f, onnx.Graph.Nodes.Single(n => n.OpType == "Celu").Float("alpha", 0));
        using Model back = OnnxImporter.Import(stream.ToArray()).Model;
        Assert.Equal(model.ParameterCount, back.ParameterCount);
        float[] input = KernelTestData.Uniform(7 * 12, 1, -1, 1), expected = new float[21], actual = new float[21];
        model.Predict(input, expected);
        back.Predict(input, actual);
        Assert.Equal(expected, actual);
    }

    private static void AssertRefused(byte[] bytes, string opType, string detail)
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Equal(opType, e.OpType);
        Assert.EndsWith(detail, e.Message);
    }
}
