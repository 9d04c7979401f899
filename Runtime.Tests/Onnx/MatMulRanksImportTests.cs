using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// MatMul of computed tensors of different ranks imported as one sample, against numpy's rules computed here in
/// double: a vector first is a row, a vector second a column (each axis dropped from the product), and the lower
/// rank gains leading axes of 1 that broadcast. Two vectors (a scalar) are refused by name.
/// </summary>
public sealed class MatMulRanksImportTests
{
    public static TheoryData<int[], int[], int[]> Shapes() => new()
    {
        { [3], [2, 3, 4], [2, 4] },
        { [2, 3, 4], [4], [2, 3] },
        { [5, 3, 4], [4, 2], [5, 3, 2] },
        { [3, 4], [2, 1, 4, 6], [2, 1, 3, 6] },
        { [4], [4, 5], [5] },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesNumpysMatmul(int[] shapeA, int[] shapeB, int[] shapeY)
    {
        byte[] bytes = Model([Node("MatMul", ["a", "b"], ["y"])], [],
            [Value("a", [.. shapeA.Select(d => (long?)d)]), Value("b", [.. shapeB.Select(d => (long?)d)])],
            [Value("y", [.. shapeY.Select(d => (long?)d)])]);
        var random = new Random(shapeA.Sum() * 31 + shapeB.Sum());
        float[] a = [.. Enumerable.Range(0, shapeA.Aggregate(1, (p, d) => p * d)).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        float[] b = [.. Enumerable.Range(0, shapeB.Aggregate(1, (p, d) => p * d)).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        OnnxImportResult imported = OnnxImporter.Import(bytes, batchMode: OnnxBatchMode.OneSample);
        using Model model = imported.Model;
        Assert.Equal(shapeY, model.Graph.Outputs[0].SampleShape.ToArray());
        var y = new float[model.OutputSize];
        model.Predict([(ReadOnlyMemory<float>)a, (ReadOnlyMemory<float>)b], [y]);
        double[] expected = Reference(a, shapeA, b, shapeB);
        Assert.Equal(expected.Length, y.Length);
        for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(expected[i] - y[i]) <= 1e-5, $"[{i}]: {y[i]} against {expected[i]}");
    }

    [Fact]
    public void TwoVectorsAreRefusedByName()
    {
        byte[] bytes = Model([Node("MatMul", ["a", "b"], ["y"])], [], [Value("a", [4]), Value("b", [4])], [Value("y", [])]);
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes, batchMode: OnnxBatchMode.OneSample));
        Assert.True(e.Message.Contains("MatMul of the vectors [4] and [4] is a scalar (rank 0)", StringComparison.Ordinal), e.Message);
    }

    /// <summary>numpy.matmul in double: promote vectors, pad ranks with 1, broadcast, multiply, drop the added axes.</summary>
    private static double[] Reference(float[] a, int[] shapeA, float[] b, int[] shapeB)
    {
        int[] da = shapeA.Length == 1 ? [1, shapeA[0]] : shapeA, db = shapeB.Length == 1 ? [shapeB[0], 1] : shapeB;
        int rank = Math.Max(da.Length, db.Length);
        da = [.. Enumerable.Repeat(1, rank - da.Length), .. da];
        db = [.. Enumerable.Repeat(1, rank - db.Length), .. db];
        int m = da[^2], k = da[^1], n = db[^1];
        int[] batch = [.. Enumerable.Range(0, rank - 2).Select(i => Math.Max(da[i], db[i]))];
        int batches = batch.Aggregate(1, (p, d) => p * d);
        var y = new double[batches * m * n];
        for (int t = 0; t < batches; t++)
        {
            int ia = 0, ib = 0, rest = t;
            int strideA = 1, strideB = 1;
            for (int i = rank - 3; i >= 0; i--)
            {
                int index = rest % batch[i];
                rest /= batch[i];
                ia += (da[i] == 1 ? 0 : index) * strideA;
                ib += (db[i] == 1 ? 0 : index) * strideB;
                strideA *= da[i];
                strideB *= db[i];
            }
            for (int r = 0; r < m; r++)
                for (int c = 0; c < n; c++)
                {
                    double sum = 0;
                    for (int j = 0; j < k; j++) sum += (double)a[(ia * m + r) * k + j] * b[(ib * k + j) * n + c];
                    y[(t * m + r) * n + c] = sum;
                }
        }
        return y;
    }
}
