using Simd.Runtime.Ops;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// The importer on MLP graphs written here as protobuf bytes: the imported model's evaluation outputs against a
/// plain double-precision evaluation of the same graph, and the errors for graphs it cannot import.
/// </summary>
public class OnnxImporterTests
{
    private static float[] Values(int n, int seed, float scale = 1)
    {
        var random = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        return v;
    }

    /// <summary>
    /// Gemm (transB = 1) → Relu → BatchNormalization → Dropout → Gemm (alpha 0.5, beta 2, bias [1, 3]) → Softmax.
    /// </summary>
    [Fact]
    public void ImportsGemmReluBatchNormDropoutGemmSoftmax()
    {
        float[] w1 = Values(8 * 4, 1), b1 = Values(8, 2), gamma = Values(8, 3), beta = Values(8, 4), mean = Values(8, 5);
        float[] variance = Values(8, 6).Select(v => v + 1.5f).ToArray(), w2 = Values(8 * 3, 7), b2 = Values(3, 8);
        byte[] bytes = Model(
            [
                Node("Gemm", ["x", "w1", "b1"], ["h1"], IntAttribute("transB", 1)),
                Node("Relu", ["h1"], ["a1"]),
                Node("BatchNormalization", ["a1", "gamma", "beta", "mean", "var"], ["n1"], FloatAttribute("epsilon", 1e-3f), FloatAttribute("momentum", 0.8f)),
                Node("Dropout", ["n1", "ratio"], ["d1"]),
                Node("Gemm", ["d1", "w2", "b2"], ["logits"], FloatAttribute("alpha", 0.5f), FloatAttribute("beta", 2f)),
                Node("Softmax", ["logits"], ["p"], IntAttribute("axis", -1)),
            ],
            [
                Tensor("w1", [8, 4], w1), Tensor("b1", [8], b1), Tensor("gamma", [8], gamma), Tensor("beta", [8], beta),
                Tensor("mean", [8], mean), Tensor("var", [8], variance), Tensor("ratio", [], [0.25f]),
                Tensor("w2", [8, 3], w2), Tensor("b2", [1, 3], b2),
            ],
            [Value("x", [null, 4])],
            [Value("p", [null, 3])]);

        OnnxImportResult result = OnnxImporter.Import(bytes);
        Assert.True(result.EndsWithSoftmax);
        using Model model = result.Model;
        Assert.Equal(4, model.InputSize);
        Assert.Equal(3, model.OutputSize);
        var batchNorm = Assert.Single(model.Ops.OfType<BatchNormOp>());
        Assert.Equal(0.2f, batchNorm.Momentum, 1e-6f);
        Assert.Equal(0.25f, Assert.Single(model.Ops.OfType<DropoutOp>()).Rate);

        const int rows = 5;
        float[] x = Values(rows * 4, 9, 2);
        var logits = new float[rows * 3];
        model.Predict(x, logits);
        for (int r = 0; r < rows; r++)
        {
            var h = new double[8];
            for (int o = 0; o < 8; o++)
            {
                double s = b1[o];
                for (int i = 0; i < 4; i++) s += x[r * 4 + i] * (double)w1[o * 4 + i];
                s = Math.Max(s, 0);
                h[o] = gamma[o] * (s - mean[o]) / Math.Sqrt(variance[o] + 1e-3) + beta[o];
            }
            for (int o = 0; o < 3; o++)
            {
                double s = 0;
                for (int i = 0; i < 8; i++) s += h[i] * w2[i * 3 + o];
                double expected = 0.5 * s + 2 * b2[o];
                // float GEMM over 8 and 4 terms of order one: 1e-5 absolute leaves ample margin.
                Assert.True(Math.Abs(logits[r * 3 + o] - expected) < 1e-5, $"row {r} output {o}: {logits[r * 3 + o]} vs {expected}");
            }
        }
    }

    /// <summary>[N, 2, 3] → Flatten → MatMul + Add (bias first operand) → LeakyRelu(0.2) → MatMul.</summary>
    [Fact]
    public void ImportsFlattenMatMulAddLeakyRelu()
    {
        float[] w1 = Values(6 * 5, 11), b1 = Values(5, 12), w2 = Values(5 * 2, 13);
        byte[] bytes = Model(
            [
                Node("Flatten", ["x"], ["f"]),
                Node("MatMul", ["f", "w1"], ["m1"]),
                Node("Add", ["b1", "m1"], ["z1"]),
                Node("LeakyRelu", ["z1"], ["a1"], FloatAttribute("alpha", 0.2f)),
                Node("Identity", ["a1"], ["i1"]),
                Node("MatMul", ["i1", "w2"], ["y"]),
            ],
            [Tensor("w1", [6, 5], w1), Tensor("b1", [5], b1), Tensor("w2", [5, 2], w2)],
            [Value("x", [null, 2, 3])],
            [Value("y", [null, 2])]);

        OnnxImportResult result = OnnxImporter.Import(bytes);
        Assert.False(result.EndsWithSoftmax);
        using Model model = result.Model;
        const int rows = 3;
        float[] x = Values(rows * 6, 14);
        var y = new float[rows * 2];
        model.Predict(x, y);
        for (int r = 0; r < rows; r++)
        {
            var h = new double[5];
            for (int o = 0; o < 5; o++)
            {
                double s = b1[o];
                for (int i = 0; i < 6; i++) s += x[r * 6 + i] * (double)w1[i * 5 + o];
                h[o] = s > 0 ? s : 0.2 * s;
            }
            for (int o = 0; o < 2; o++)
            {
                double s = 0;
                for (int i = 0; i < 5; i++) s += h[i] * w2[i * 2 + o];
                Assert.True(Math.Abs(y[r * 2 + o] - s) < 1e-5, $"row {r} output {o}: {y[r * 2 + o]} vs {s}");
            }
        }
    }

    [Fact]
    public void UnsupportedOpNamesTheNodeAndOp()
    {
        byte[] bytes = Model([Node("NonMaxSuppression", ["x", "w"], ["y"])], [Tensor("w", [1, 1, 1, 1], [1])], [Value("x", [null, 1, 4, 4])], [Value("y", [null, 1, 4, 4])]);
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Equal("NonMaxSuppression_y", e.Node);
        Assert.Equal("NonMaxSuppression", e.OpType);
        Assert.Contains("not supported", e.Message);
    }

    [Fact]
    public void RejectsWhatHasNoLayer()
    {
        // A Selu whose backward could not read its output: a negative gamma flips the output's sign.
        AssertFails(Model([Node("Gemm", ["x", "w"], ["h"]), Node("Selu", ["h"], ["y"], FloatAttribute("gamma", -1f))],
            [Tensor("w", [2, 2], [1, 0, 0, 1])], [Value("x", [null, 2])], [Value("y", [null, 2])]), "Selu", "gamma");
        // A branch that leads nowhere: the model trains through its one output.
        AssertFails(Model([Node("Relu", ["x"], ["a"]), Node("Sigmoid", ["x"], ["y"])], [], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "Relu", "used by nothing");
        // A product of two computed rows of features: in ONNX it would pair the batch with the features.
        AssertFails(Model([Node("MatMul", ["x", "x"], ["y"])], [], [Value("x", [null, 2])], [Value("y", [null, 2])]), "MatMul", "at least 3 with the batch");
        // Mismatched widths.
        AssertFails(Model([Node("MatMul", ["x", "w"], ["y"])], [Tensor("w", [3, 2], new float[6])], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "MatMul", "3 features");
        // A layer that needs flat features on an image-shaped input.
        AssertFails(Model([Node("Gemm", ["x", "w"], ["y"])], [Tensor("w", [18, 2], new float[36])],
            [Value("x", [null, 2, 3, 3])], [Value("y", [null, 2])]), "Gemm", "Flatten");
    }

    private static void AssertFails(byte[] bytes, string op, string detail)
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Equal(op, e.OpType);
        Assert.Contains(detail, e.Message);
    }
}
