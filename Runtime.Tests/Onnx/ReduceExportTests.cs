using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// A trained graph with every reduction and a log-softmax exports and imports back to the same bits. At opset 17
/// ReduceSum takes its axes as an input and the others as an attribute; a Mish raises the opset to 18, where all
/// of them take the input.
/// </summary>
public sealed class ReduceExportTests
{
    private static Model Network(bool mish)
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(12));
        Value h = g.Reshape(g.Dense(x, 24, mish ? ActivationKind.Mish : ActivationKind.Tanh), 2, 3, 4);
        var parts = new List<Value>();
        foreach (ReduceFunction f in Enum.GetValues<ReduceFunction>())
            parts.Add(g.Flatten(g.Reduce(f, h, f == ReduceFunction.Prod ? [2] : [0, -1], keepDims: f == ReduceFunction.Max)));
        g.Output(g.LogSoftmax(g.Dense(g.Concat(-1, [.. parts]), 5)));
        return g.Build(seed: 3, maxBatch: 8);
    }

    [Theory]
    [InlineData(false, 17)]
    [InlineData(true, 18)]
    public void ExportsInTheOpsetsFormAndImportsBackBitwise(bool mish, long opset)
    {
        using Model model = Network(mish);
        var stream = new MemoryStream();
        model.ExportOnnx(stream);
        byte[] bytes = stream.ToArray();
        OnnxModel onnx = OnnxModel.Read(bytes);
        Assert.Equal(opset, onnx.Opset(""));
        var reduces = onnx.Graph.Nodes.Where(n => n.OpType.StartsWith("Reduce", StringComparison.Ordinal)).ToList();
        Assert.Equal(["ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSumExp", "ReduceSumSquare"],
            reduces.Select(n => n.OpType));
        foreach (OnnxNode node in reduces)
        {
            bool input = node.OpType == "ReduceSum" || opset >= 18;
            long[] axes = node.OpType == "ReduceProd" ? [3] : [1, 3];
            Assert.Equal(input ? 2 : 1, node.Inputs.Count);
            Assert.Equal(axes, input ? onnx.Graph.Initializer(node.Inputs[1])!.Int64s.ToArray() : node.Ints("axes"));
            Assert.Equal(input, node.Attribute("axes") is null);
            Assert.Equal(node.OpType == "ReduceMax" ? 1 : 0, node.Int("keepdims", -1));
        }
        Assert.Equal("LogSoftmax", onnx.Graph.Nodes[^1].OpType);
        Assert.Equal(-1, onnx.Graph.Nodes[^1].Int("axis", 0));

        OnnxImportResult imported = OnnxImporter.Import(bytes);
        using Model back = imported.Model;
        Assert.False(imported.EndsWithSoftmax);
        float[] x = KernelTestData.Uniform(7 * 12, 9, -1, 1);
        float[] expected = new float[7 * 5], actual = new float[7 * 5];
        model.Predict(x, expected);
        back.Predict(x, actual);
        Assert.Equal(expected, actual);
    }
}
