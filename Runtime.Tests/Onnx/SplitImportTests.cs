using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// Split as each opset writes its sizes (the attribute before 13, the input from 13, num_outputs from 18, equal
/// pieces without them before 18), what it refuses, and the export read back bit for bit.
/// </summary>
public sealed class SplitImportTests
{
    private const int Rows = 4;

    private static float[] Values(int n) => [.. Enumerable.Range(0, n).Select(i => (i % 11) * 0.25f - 1)];

    /// <summary>x [N, 2, 9] split along ONNX axis 2; the pieces joined back by Concat, so the output is x.</summary>
    private static byte[] SplitModel(long opset, Action<ProtoWriter>[] attributes, string[] inputs, int pieces, Action<ProtoWriter>[]? initializers = null)
    {
        string[] outputs = [.. Enumerable.Range(0, pieces).Select(i => $"p{i}")];
        return Model([Node("Split", inputs, outputs, [IntAttribute("axis", 2), .. attributes]), Node("Concat", outputs, ["y"], IntAttribute("axis", 2))],
            initializers ?? [], [Value("x", [null, 2, 9])], [Value("y", [null, 2, 9])], opset: opset);
    }

    private static int[] Pieces(byte[] bytes)
    {
        using Model model = OnnxImporter.Import(bytes).Model;
        float[] x = Values(Rows * 18), y = new float[x.Length];
        model.Predict(x, y);
        Assert.Equal(x, y);
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = Rows });
        frozen.Predict(x, Rows, y);
        Assert.Equal(x, y);
        return [.. Assert.IsType<SplitOp>(model.Ops[0]).Sizes];
    }

    [Fact]
    public void EachOpsetsFormOfTheSizes()
    {
        Assert.Equal([2, 7], Pieces(SplitModel(11, [IntsAttribute("split", 2, 7)], ["x"], 2)));
        Assert.Equal([3, 3, 3], Pieces(SplitModel(11, [], ["x"], 3)));
        Assert.Equal([4, 5], Pieces(SplitModel(13, [], ["x", "s"], 2, [Int64Tensor("s", [2], [4, 5])])));
        Assert.Equal([3, 3, 3], Pieces(SplitModel(17, [], ["x"], 3)));
        Assert.Equal([5, 4], Pieces(SplitModel(18, [IntAttribute("num_outputs", 2)], ["x"], 2)));
        Assert.Equal([1, 8], Pieces(SplitModel(18, [], ["x", "s"], 2, [Int64Tensor("s", [2], [1, 8])])));
    }

    [Fact]
    public void WhatHasNoSplitFormIsRefused()
    {
        static string Refused(byte[] bytes)
        {
            var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
            Assert.Equal("Split", e.OpType);
            return e.Message;
        }
        Assert.Contains("axis 0 splits [N, 2, 9] along the batch (axis 0)",
            Refused(Model([Node("Split", ["x"], ["a", "b"]), Node("Add", ["a", "b"], ["y"])], [], [Value("x", [null, 2, 9])], [Value("y", [null, 2, 9])], opset: 13)));
        Assert.Contains("axis 2 has 9 entries, which do not split into 2 equal pieces.", Refused(SplitModel(13, [], ["x"], 2)));
        Assert.Contains("the split [4, 4] does not cover axis 2 of [N, 2, 9] (9) with sizes ≥ 0.",
            Refused(SplitModel(13, [], ["x", "s"], 2, [Int64Tensor("s", [2], [4, 4])])));
        Assert.Contains("from opset 18 one of them says the pieces", Refused(SplitModel(18, [], ["x"], 2)));
        Assert.Contains("num_outputs is 3, but the node has 2 outputs.", Refused(SplitModel(18, [IntAttribute("num_outputs", 3)], ["x"], 2)));
    }

    [Fact]
    public void TheExportReadsBackBitwise()
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(6, 24));
        IReadOnlyList<Value> qkv = g.Split(g.Dense(x, 24), 1, 8, 8, 8);
        g.Output(g.MatMul(g.Softmax(g.MatMul(qkv[0], g.Transpose(qkv[1], 1, 0))), qkv[2]));
        using Model model = g.Build(seed: 5, maxBatch: Rows);
        var stream = new MemoryStream();
        model.ExportOnnx(stream);
        OnnxNode split = OnnxModel.Read(stream.ToArray()).Graph.Nodes.Single(n => n.OpType == "Split");
        Assert.Equal(2, split.Int("axis", 0));
        using Model back = OnnxImporter.Import(stream.ToArray()).Model;
        Assert.Equal([8, 8, 8], back.Ops.OfType<SplitOp>().Single().Sizes);
        float[] input = Values(Rows * 144), expected = new float[Rows * 48], actual = new float[Rows * 48];
        model.Predict(input, expected);
        back.Predict(input, actual);
        Assert.Equal(expected, actual);
    }
}
