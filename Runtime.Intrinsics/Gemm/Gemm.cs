namespace Simd.Runtime.Intrinsics;

/// <summary>Single-precision GEMM: C = alpha·op(A)·op(B) + beta·C, row-major. (Placeholder: being replaced by the blocked SIMD GEMM.)</summary>
public static class Gemm
{
    /// <summary>
    /// C[m×n] = alpha·op(A)[m×k]·op(B)[k×n] + beta·C, then the epilogue. Row-major with leading dimensions
    /// lda, ldb, ldc (elements between rows as stored). beta = 0 ignores C's old contents (NaN included).
    /// <paramref name="threads"/> worker threads share the work; results are bitwise identical for any count.
    /// </summary>
    public static void Multiply(
        MatrixOp opA, MatrixOp opB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc,
        GemmEpilogue epilogue = default, int threads = 1)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = opA == MatrixOp.None ? a[i * lda + p] : a[p * lda + i];
                    float bv = opB == MatrixOp.None ? b[p * ldb + j] : b[j * ldb + p];
                    sum += av * bv;
                }
                float old = beta == 0 ? 0 : beta * c[i * ldc + j];
                float v = alpha * sum + old;
                if (!epilogue.Bias.IsEmpty) v += epilogue.Bias[j];
                c[i * ldc + j] = v;
            }
            if (epilogue.Activation != ActivationKind.Identity)
                Activations.Forward(epilogue.Activation, c.Slice(i * ldc, n), c.Slice(i * ldc, n), epilogue.Alpha);
        }
    }
}
