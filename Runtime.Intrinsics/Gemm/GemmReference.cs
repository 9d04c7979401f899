namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The plain triple loop GEMM is checked against: same arguments and semantics as
/// <see cref="Gemm.Multiply(MatrixOp, MatrixOp, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int, GemmEpilogue, int)"/>,
/// no blocking, no vectors. Arguments are not validated beyond what span indexing checks.
/// </summary>
internal static class GemmReference
{
    public static void Multiply(
        MatrixOp opA, MatrixOp opB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc,
        GemmEpilogue epilogue = default)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                if (alpha != 0)
                {
                    for (int p = 0; p < k; p++)
                    {
                        float av = opA == MatrixOp.None ? a[i * lda + p] : a[p * lda + i];
                        float bv = opB == MatrixOp.None ? b[p * ldb + j] : b[j * ldb + p];
                        sum += av * bv;
                    }
                }
                float old = beta == 0 ? 0 : beta * c[i * ldc + j];
                float v = alpha == 0 ? old : alpha * sum + old;
                if (!epilogue.Bias.IsEmpty) v += epilogue.Bias[j];
                c[i * ldc + j] = v;
            }
            if (epilogue.Activation != ActivationKind.Identity)
                Activations.Forward(epilogue.Activation, c.Slice(i * ldc, n), c.Slice(i * ldc, n), epilogue.Alpha);
        }
    }
}
