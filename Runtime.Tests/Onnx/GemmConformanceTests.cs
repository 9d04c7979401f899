using Simd.Runtime.Intrinsics;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>ONNX Gemm and MatMul cases against <c>Gemm.Multiply</c>.</summary>
[Trait("Category", "Conformance")]
public class GemmConformanceTests
{
    private static readonly string[] GemmCases =
    [
        "test_gemm_all_attributes", "test_gemm_alpha", "test_gemm_default_matrix_bias", "test_gemm_default_no_bias",
        "test_gemm_default_single_elem_vector_bias", "test_gemm_default_vector_bias", "test_gemm_default_zero_bias",
        "test_gemm_transposeB",
    ];

    private static readonly string[] MatMulCases =
    [
        "test_matmul_2d", "test_matmul_3d", "test_matmul_4d", "test_matmul_bcast", "test_matmul_1d_3d",
    ];

    public static TheoryData<string, SimdWidth> GemmCaseWidths() => ConformanceKernels.CaseWidths(GemmCases);

    public static TheoryData<string, SimdWidth> MatMulCaseWidths() => ConformanceKernels.CaseWidths(MatMulCases);

    /// <summary>
    /// Y = alpha·A'·B' + beta·C with C broadcast to M×N (scalar, [N], [1,N], [M,1] or [M,N]). C is broadcast into the
    /// output and GEMM's beta scales it; when C is one row, the same case also runs with C as the fused epilogue's
    /// bias (pre-scaled by beta, GEMM beta 0), the way a Dense layer calls it.
    /// </summary>
    [Theory]
    [MemberData(nameof(GemmCaseWidths))]
    public void GemmMatchesOnnx(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxNode node = c.Node;
        Assert.Equal("Gemm", node.OpType);
        float alpha = node.Float("alpha", 1f), beta = node.Float("beta", 1f);
        bool transA = node.Int("transA", 0) != 0, transB = node.Int("transB", 0) != 0;
        OnnxTensor a = c.Inputs[0], b = c.Inputs[1];
        int m = (int)(transA ? a.Dims[1] : a.Dims[0]), k = (int)(transA ? a.Dims[0] : a.Dims[1]);
        int n = (int)(transB ? b.Dims[0] : b.Dims[1]);
        Assert.Equal(k, (int)(transB ? b.Dims[1] : b.Dims[0]));
        MatrixOp opA = transA ? MatrixOp.Transpose : MatrixOp.None, opB = transB ? MatrixOp.Transpose : MatrixOp.None;
        int lda = (int)a.Dims[1], ldb = (int)b.Dims[1];
        OnnxTensor? bias = node.HasInput(2) ? c.Inputs[2] : null;

        var y = new float[m * n];
        if (bias is not null) Broadcast(bias, m, n, y);
        ConformanceKernels.Gemm(width, opA, opB, m, n, k, alpha, a.Floats, lda, b.Floats, ldb, bias is null ? 0 : beta, y, n);
        OnnxAssert.Close(c.Outputs[0], y, $"{name} {width}");

        if (bias is not null && IsRow(bias, n))
        {
            var row = new float[n];
            Broadcast(bias, 1, n, row);
            for (int j = 0; j < n; j++) row[j] *= beta;
            var fused = new float[m * n];
            fused.AsSpan().Fill(float.NaN); // beta 0 must ignore C's old contents
            ConformanceKernels.Gemm(width, opA, opB, m, n, k, alpha, a.Floats, lda, b.Floats, ldb, 0, fused, n, new GemmEpilogue(row));
            OnnxAssert.Close(c.Outputs[0], fused, $"{name} {width} (bias epilogue)");
        }
    }

    /// <summary>
    /// MatMul as numpy.matmul: 1-D operands are promoted (a row for A, a column for B) and the promoted axis removed
    /// again; the batch dimensions broadcast; each batch is one GEMM on the 2-D slices.
    /// </summary>
    [Theory]
    [MemberData(nameof(MatMulCaseWidths))]
    public void MatMulMatchesOnnx(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        Assert.Equal("MatMul", c.Node.OpType);
        var aDims = c.Inputs[0].Dims.ToList();
        var bDims = c.Inputs[1].Dims.ToList();
        bool aVector = aDims.Count == 1, bVector = bDims.Count == 1;
        if (aVector) aDims.Insert(0, 1);
        if (bVector) bDims.Add(1);
        int m = (int)aDims[^2], k = (int)aDims[^1], n = (int)bDims[^1];
        Assert.Equal(k, (int)bDims[^2]);

        int batchRank = Math.Max(aDims.Count, bDims.Count) - 2;
        long[] aBatch = Pad(aDims, batchRank), bBatch = Pad(bDims, batchRank), outBatch = new long[batchRank];
        for (int d = 0; d < batchRank; d++)
        {
            Assert.True(aBatch[d] == bBatch[d] || aBatch[d] == 1 || bBatch[d] == 1, $"{name}: batch dims do not broadcast");
            outBatch[d] = Math.Max(aBatch[d], bBatch[d]);
        }
        int batches = (int)outBatch.Aggregate(1L, (p, d) => p * d);
        var y = new float[batches * m * n];
        var index = new long[batchRank];
        for (int t = 0; t < batches; t++)
        {
            long rest = t;
            for (int d = batchRank - 1; d >= 0; d--) { index[d] = rest % outBatch[d]; rest /= outBatch[d]; }
            int ai = Flat(index, aBatch), bi = Flat(index, bBatch);
            ConformanceKernels.Gemm(width, MatrixOp.None, MatrixOp.None, m, n, k, 1f,
                c.Inputs[0].Floats.Slice(ai * m * k, m * k), k, c.Inputs[1].Floats.Slice(bi * k * n, k * n), n,
                0f, y.AsSpan(t * m * n, m * n), n);
        }

        var dims = new List<long>(outBatch);
        if (!aVector) dims.Add(m);
        if (!bVector) dims.Add(n);
        OnnxAssert.Shape(c.Outputs[0], dims, name);
        OnnxAssert.Close(c.Outputs[0], y, $"{name} {width}");
    }

    private static long[] Pad(List<long> dims, int batchRank)
    {
        var batch = new long[batchRank];
        int given = dims.Count - 2;
        for (int d = 0; d < batchRank; d++) batch[d] = d < batchRank - given ? 1 : dims[d - (batchRank - given)];
        return batch;
    }

    /// <summary>Row-major index of a broadcast batch position in an operand whose size-1 batch dims repeat.</summary>
    private static int Flat(long[] index, long[] dims)
    {
        long flat = 0;
        for (int d = 0; d < dims.Length; d++) flat = flat * dims[d] + (dims[d] == 1 ? 0 : index[d]);
        return (int)flat;
    }

    /// <summary>Unidirectional (right-aligned) broadcast of C to rows×cols.</summary>
    private static void Broadcast(OnnxTensor c, int rows, int cols, Span<float> y)
    {
        ReadOnlySpan<float> v = c.Floats;
        long cRows = c.Dims.Count >= 2 ? c.Dims[^2] : 1, cCols = c.Dims.Count >= 1 ? c.Dims[^1] : 1;
        Assert.True(cRows == 1 || cRows == rows, $"C rows {cRows} do not broadcast to {rows}");
        Assert.True(cCols == 1 || cCols == cols, $"C cols {cCols} do not broadcast to {cols}");
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                y[i * cols + j] = v[(int)((cRows == 1 ? 0 : i) * cCols + (cCols == 1 ? 0 : j))];
    }

    private static bool IsRow(OnnxTensor c, int cols) => c.Dims.Count < 2 || c.Dims[^2] == 1;
}
