using System.Runtime.Intrinsics;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// Builds one GEMM case (random operands with leading-dimension padding), computes its reference in double and
/// checks a result against it.
/// </summary>
internal sealed class GemmCase
{
    public static readonly SimdWidth[] Widths = [SimdWidth.Scalar, SimdWidth.V128, SimdWidth.V256, SimdWidth.V512];

    /// <summary>
    /// At the scalar ISA level every Vector API call runs in software (20–100× slower), so sweeps shrink there.
    /// </summary>
    public static bool SoftwareVectors => !Vector128.IsHardwareAccelerated;

    public readonly MatrixOp OpA, OpB;
    public readonly int M, N, K, Lda, Ldb, Ldc;
    public readonly float Alpha, Beta;
    public readonly float[] A, B, C0, Bias;
    public readonly ActivationKind Activation;
    readonly double[] _expected, _bound;

    public GemmCase(MatrixOp opA, MatrixOp opB, int m, int n, int k, float alpha = 1, float beta = 0.5f,
        int padA = 0, int padB = 0, int padC = 0, bool bias = false, ActivationKind activation = ActivationKind.Identity,
        int seed = 0)
    {
        OpA = opA; OpB = opB; M = m; N = n; K = k; Alpha = alpha; Beta = beta; Activation = activation;
        var rnd = new Random(HashCode.Combine(m, n, k, (int)opA, (int)opB, seed));
        int rowsA = opA == MatrixOp.None ? m : k, colsA = opA == MatrixOp.None ? k : m;
        int rowsB = opB == MatrixOp.None ? k : n, colsB = opB == MatrixOp.None ? n : k;
        Lda = Math.Max(1, colsA + padA); Ldb = Math.Max(1, colsB + padB); Ldc = Math.Max(1, n + padC);
        A = Fill(rnd, rowsA * Lda);
        B = Fill(rnd, rowsB * Ldb);
        C0 = Fill(rnd, m * Ldc);
        Bias = bias ? Fill(rnd, n) : [];
        (_expected, _bound) = Reference();
    }

    static float[] Fill(Random rnd, int length)
    {
        var x = new float[length];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rnd.NextDouble() * 2 - 1);
        return x;
    }

    public static float At(float[] x, MatrixOp op, int ld, int row, int col) =>
        op == MatrixOp.None ? x[row * ld + col] : x[col * ld + row];

    (double[] Value, double[] Bound) Reference()
    {
        var value = new double[M * N];
        var bound = new double[M * N];
        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < N; j++)
            {
                double sum = 0, abs = 0;
                if (Alpha != 0)
                {
                    for (int p = 0; p < K; p++)
                    {
                        double t = (double)At(A, OpA, Lda, i, p) * At(B, OpB, Ldb, p, j);
                        sum += t;
                        abs += Math.Abs(t);
                    }
                }
                double v = Alpha * sum, scale = Math.Abs(Alpha) * abs;
                if (Beta != 0) { v += Beta * (double)C0[i * Ldc + j]; scale += Math.Abs(Beta * (double)C0[i * Ldc + j]); }
                if (Bias.Length > 0) { v += Bias[j]; scale += Math.Abs(Bias[j]); }
                if (Activation == ActivationKind.Relu) v = Math.Max(v, 0);
                value[i * N + j] = v;
                bound[i * N + j] = scale;
            }
        }
        return (value, bound);
    }

    public float[] NewC() => (float[])C0.Clone();

    public GemmEpilogue Epilogue => new(Bias, Activation);

    /// <summary>
    /// Float32 sums of k products err by at most about k·u·Σ|a·b| (u = 2⁻²⁴) whatever the order or blocking;
    /// alpha, beta·C and bias add a few more roundings. So the check is |got − exact| ≤ (k + 4)·u·scale with scale
    /// the sum of magnitudes of every term, plus a tiny absolute floor for exact zeros. Padding past the matrix
    /// (ldc > n) must be left untouched.
    /// </summary>
    public void Check(float[] c, string label)
    {
        const double u = 1.0 / (1 << 24);
        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < N; j++)
            {
                double expected = _expected[i * N + j], got = c[i * Ldc + j];
                double tolerance = (K + 4) * u * _bound[i * N + j] + 1e-30;
                if (!(Math.Abs(got - expected) <= tolerance))
                    Assert.Fail($"{label} {OpA}{OpB} m={M} n={N} k={K} alpha={Alpha} beta={Beta} lda={Lda} ldb={Ldb} ldc={Ldc}: " +
                        $"C[{i},{j}] = {got}, expected {expected} ± {tolerance:G3}");
            }
            for (int j = N; j < Ldc && i * Ldc + j < c.Length; j++)
            {
                if (BitConverter.SingleToInt32Bits(c[i * Ldc + j]) != BitConverter.SingleToInt32Bits(C0[i * Ldc + j]))
                    Assert.Fail($"{label} {OpA}{OpB} m={M} n={N} k={K}: padding C[{i},{j}] was overwritten");
            }
        }
    }

    public float[] Run(SimdWidth width, int threads = 1)
    {
        var c = NewC();
        Gemm.Multiply(width, OpA, OpB, M, N, K, Alpha, A, Lda, B, Ldb, Beta, c, Ldc, Epilogue, threads);
        return c;
    }
}
