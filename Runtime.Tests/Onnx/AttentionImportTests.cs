using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// The importer's forms for attention: a MatMul by constant weights over the last axis of [N, T, D] (with its Add)
/// as one Dense over tokens, a MatMul of two computed values as MatMul, a Transpose that reorders sample axes as
/// Transpose (the batch recorded where perm puts it), and what it refuses; the exporter writes each back so that
/// our own import predicts the same bits.
/// </summary>
public sealed class AttentionImportTests
{
    private const int Rows = 5;

    private static float[] Values(int n, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1))];
    }

    private static float[] Run(Model model, float[] x, int rows = Rows)
    {
        var y = new float[rows * model.OutputSize];
        model.Predict(x, y);
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = rows });
        var z = new float[y.Length];
        frozen.Predict(x, rows, z);
        Assert.Equal(y, z);
        return y;
    }

    [Fact]
    public void ALinearOverTokensIsOneDenseWithTheFollowingAdd()
    {
        float[] w = Values(8 * 5, 1), b = Values(5, 2), x = Values(Rows * 6 * 8, 3);
        byte[] bytes = Model([Node("MatMul", ["x", "w"], ["p"]), Node("Add", ["p", "b"], ["y"])], [Tensor("w", [8, 5], w), Tensor("b", [5], b)],
            [Value("x", [null, 6, 8])], [Value("y", [null, 6, 5])]);
        using Model model = OnnxImporter.Import(bytes).Model;
        DenseOp dense = Assert.IsType<DenseOp>(Assert.Single(model.Ops));
        Assert.Equal((8, 5, 6), (dense.Inputs, dense.Outputs, dense.RowsPerSample));
        Assert.Equal(new TensorShape(6, 5), model.Graph.Outputs[0].SampleShape);
        float[] y = Run(model, x);
        for (int r = 0; r < Rows * 6; r++)
            for (int o = 0; o < 5; o++)
            {
                double z = b[o];
                for (int i = 0; i < 8; i++) z += x[r * 8 + i] * w[i * 5 + o];
                Assert.Equal(z, y[r * 5 + o], 1e-5);
            }
    }

    [Fact]
    public void WeightsOfAnotherWidthThanTheLastAxisAreRefused()
    {
        byte[] bytes = Model([Node("MatMul", ["x", "w"], ["y"])], [Tensor("w", [6, 5], Values(30, 1))], [Value("x", [null, 6, 8])], [Value("y", [null, 6, 5])]);
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Contains("weights take 6 features, but 8 arrive (the last axis of [N, 6, 8]).", e.Message);
    }

    [Fact]
    public void AMatMulOfTwoValuesIsABatchedMatMulAndATransposeOfSampleAxesATranspose()
    {
        // scores = x·xᵀ per sample, then the keys transposed back: [N, 4, 3] · [N, 3, 4] → [N, 4, 4].
        byte[] bytes = Model([Node("Transpose", ["x"], ["t"], IntsAttribute("perm", 0, 2, 1)), Node("MatMul", ["x", "t"], ["y"])], [],
            [Value("x", [null, 4, 3])], [Value("y", [null, 4, 4])]);
        using Model model = OnnxImporter.Import(bytes).Model;
        Assert.Equal([TransposeOp.Name, MatMulOp.Name], model.Ops.Select(o => o.Kind));
        float[] x = Values(Rows * 12, 4), y = Run(model, x);
        for (int r = 0; r < Rows; r++)
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                {
                    double s = 0;
                    for (int k = 0; k < 3; k++) s += x[r * 12 + i * 3 + k] * x[r * 12 + j * 3 + k];
                    Assert.Equal(s, y[r * 16 + i * 4 + j], 1e-5);
                }
    }

    [Fact]
    public void ATransposeThatMovesTheBatchPermutesTheSampleAndRecordsWhereTheBatchIs()
    {
        // [N, 3, 4] with perm [2, 0, 1] is [4, N, 3]: the value is [N, 4, 3], its batch on ONNX axis 1.
        byte[] bytes = Model([Node("Transpose", ["x"], ["y"], IntsAttribute("perm", 2, 0, 1))], [], [Value("x", [null, 3, 4])], [Value("y", [4, null, 3])]);
        OnnxImportResult imported = OnnxImporter.Import(bytes);
        using Model model = imported.Model;
        Assert.Equal(1, imported.OutputBatchAxis);
        Assert.Equal(new TensorShape(4, 3), model.Graph.Outputs[0].SampleShape);
        float[] x = Values(Rows * 12, 5), y = Run(model, x);
        for (int r = 0; r < Rows; r++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 4; j++)
                    Assert.Equal(x[r * 12 + i * 4 + j], y[r * 12 + j * 3 + i]);
    }

    [Fact]
    public void AMatMulOfValuesOfDifferentRanksIsRefused()
    {
        byte[] bytes = Model([Node("Flatten", ["x"], ["f"], IntAttribute("axis", 1)), Node("MatMul", ["x", "f"], ["y"])], [],
            [Value("x", [null, 3, 4])], [Value("y", [null, 3])]);
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Equal(("MatMul_y", "MatMul"), (e.Node, e.OpType));
        Assert.Contains("MatMul of the computed values [N, 3, 4] and [N, 12]: both must have one rank, at least 3 with the batch", e.Message);
    }

    /// <summary>Dense over tokens as MatMul + Add, Transpose, MatMul of values: read back, the same ops and the same bits.</summary>
    [Fact]
    public void AnAttentionBlockExportsAndImportsBackBitwise()
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(6, 8));
        Value q = g.Dense(x, 8), k = g.Dense(x, 8, Intrinsics.ActivationKind.Tanh), v = g.Dense(x, 8);
        Value h = g.LayerNorm(g.Add(x, g.MatMul(g.Softmax(g.MatMul(q, g.Transpose(k, 1, 0))), v)));
        g.Output(h);
        using Model model = g.Build(seed: 4, maxBatch: Rows);
        var stream = new MemoryStream();
        model.ExportOnnx(stream);
        OnnxModel onnx = OnnxModel.Read(stream.ToArray());
        Assert.Contains("Transpose", onnx.Graph.Nodes.Select(n => n.OpType));
        Assert.DoesNotContain("Gemm", onnx.Graph.Nodes.Select(n => n.OpType));
        Assert.Equal([0L, 2, 1], onnx.Graph.Nodes.Single(n => n.OpType == "Transpose").Ints("perm"));
        using Model back = OnnxImporter.Import(stream.ToArray()).Model;
        // The residual Add of two values comes back as the broadcasting binary op, the Dense's Tanh as an activation node.
        string[] kept = [DenseOp.Name, MatMulOp.Name, TransposeOp.Name, SoftmaxOp.Name, LayerNormOp.Name];
        Assert.Equal(model.Ops.Select(o => o.Kind).Where(kept.Contains), back.Ops.Select(o => o.Kind).Where(kept.Contains));
        Assert.Equal(model.ParameterCount, back.ParameterCount);
        float[] input = Values(Rows * 48, 6);
        Assert.Equal(Run(model, input), Run(back, input));
    }
}
