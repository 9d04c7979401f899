using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// Gemm in a graph imported as one sample: A is the whole matrix, so transA = 1 transposes it and a C that differs
/// between rows (M × N, M × 1) adds after the product; against the product by hand. With a batch axis both stay
/// refused, saying why.
/// </summary>
public sealed class GemmOneSampleImportTests
{
    private static readonly float[] A = [1, 2, 3, 4, 5, 6];          // [2, 3], or [3, 2] read transposed
    private static readonly float[] B = [1, 0, -1, 2, 0.5f, 1];      // [3, 2]

    private static float[] Run(byte[] bytes)
    {
        using Model model = OnnxImporter.Import(bytes, batchMode: OnnxBatchMode.OneSample).Model;
        var y = new float[model.OutputSize];
        model.Predict([(ReadOnlyMemory<float>)A], [y]);
        return y;
    }

    /// <summary>alpha·op(A)·B + beta·C by hand, op(A) [2, 3].</summary>
    private static float[] Expected(bool transA, float alpha, float beta, Func<int, int, float> c)
    {
        var y = new float[4];
        for (int m = 0; m < 2; m++)
            for (int n = 0; n < 2; n++)
            {
                float sum = 0;
                for (int k = 0; k < 3; k++) sum += (transA ? A[k * 2 + m] : A[m * 3 + k]) * B[k * 2 + n];
                y[m * 2 + n] = alpha * sum + beta * c(m, n);
            }
        return y;
    }

    [Fact]
    public void TransposedAAndAMatrixBias()
    {
        float[] c = [10, 20, 30, 40];
        byte[] transposed = Model([Node("Gemm", ["a", "b", "c"], ["y"], IntAttribute("transA", 1), FloatAttribute("alpha", 0.5f), FloatAttribute("beta", 2))],
            [Tensor("b", [3, 2], B), Tensor("c", [2, 2], c)], [Value("a", [3, 2])], [Value("y", [2, 2])]);
        OnnxAssert.Close(Expected(true, 0.5f, 2, (m, n) => c[m * 2 + n]), Run(transposed), "Gemm transA, C [2, 2]", rtol: 1e-6, atol: 1e-6);
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(transposed));
        Assert.Contains("transA = 1 transposes A, whose first axis is the batch here", e.Message);

        byte[] column = Model([Node("Gemm", ["a", "b", "c"], ["y"])], [Tensor("b", [3, 2], B), Tensor("c", [2, 1], [1, -1])], [Value("a", [2, 3])], [Value("y", [2, 2])]);
        OnnxAssert.Close(Expected(false, 1, 1, (m, _) => m == 0 ? 1 : -1), Run(column), "Gemm, C [2, 1]", rtol: 1e-6, atol: 1e-6);
        e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(column));
        Assert.Contains("does not broadcast over one sample of [2] (a batch dimension must be 1)", e.Message);

        byte[] row = Model([Node("Gemm", ["a", "b", "c"], ["y"])], [Tensor("b", [3, 2], B), Tensor("c", [2], [1, -1])], [Value("a", [2, 3])], [Value("y", [2, 2])]);
        OnnxAssert.Close(Expected(false, 1, 1, (_, n) => n == 0 ? 1 : -1), Run(row), "Gemm, C [2]", rtol: 1e-6, atol: 1e-6);
    }

    [Fact]
    public void AOfAnotherRankIsRefused()
    {
        byte[] vector = Model([Node("Gemm", ["a", "b"], ["y"])], [Tensor("b", [3, 2], B)], [Value("a", [3])], [Value("y", [2])]);
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(vector, batchMode: OnnxBatchMode.OneSample));
        Assert.Contains("A 'a' has shape [3]; Gemm multiplies matrices (rank 2).", e.Message);
    }
}
