using Simd.Runtime.Intrinsics;

namespace Simd.Perf.Shapes;

/// <summary>
/// One GEMM problem, C[m×n] = op(A)·op(B), with its operands stored densely (leading dimension = row length as
/// stored). <see cref="Name"/> is the figure-name stem: <c>n512</c> for squares, <c>m32k784n256</c> for NN
/// shapes, with <c>.nt</c>/<c>.tn</c> appended for transposed operands.
/// </summary>
public readonly record struct GemmShape(MatrixOp OpA, MatrixOp OpB, int M, int N, int K)
{
    public static GemmShape Square(int n) => new(MatrixOp.None, MatrixOp.None, n, n, n);

    public static GemmShape NN(int m, int k, int n) => new(MatrixOp.None, MatrixOp.None, m, n, k);

    public string Name
    {
        get
        {
            string stem = M == N && N == K && OpA == MatrixOp.None && OpB == MatrixOp.None
                ? $"n{N}"
                : $"m{M}k{Format(K)}n{Format(N)}";
            return (OpA, OpB) switch
            {
                (MatrixOp.None, MatrixOp.None) => stem,
                (MatrixOp.None, MatrixOp.Transpose) => stem + ".nt",
                (MatrixOp.Transpose, MatrixOp.None) => stem + ".tn",
                _ => stem + ".tt",
            };
        }
    }

    /// <summary>Short name for benchmark tables: <c>NN 32×784·784×256</c>.</summary>
    public string Display => $"{Op(OpA)}{Op(OpB)} {M}x{K}*{K}x{N}";

    public double Flops => 2.0 * M * N * K;

    // op(A) is m×k: stored m×k (lda = k) as is, or k×m (lda = m) when transposed.
    public int Lda => OpA == MatrixOp.None ? K : M;

    public int Ldb => OpB == MatrixOp.None ? N : K;

    public int Ldc => N;

    public int ASize => M * K;

    public int BSize => K * N;

    public int CSize => M * N;

    public override string ToString() => Display;

    private static string Op(MatrixOp op) => op == MatrixOp.None ? "N" : "T";

    private static string Format(int v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
