using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// Shapes that cross the blocks each width runs with on this machine (derived from its caches, so they move with
/// it): K past two K blocks, M past MC, N past NC, against the double reference, and identical at any thread count.
/// </summary>
[Trait("Category", "Kernels")]
public class GemmBlockEdgeTests
{
    public static TheoryData<SimdWidth> Widths => new(GemmCase.Widths);

    [Theory]
    [MemberData(nameof(Widths))]
    public void ShapesAcrossTheBlocks(SimdWidth width)
    {
        var (_, b) = Gemm.Blocking(width);
        (int M, int N, int K)[] shapes =
        [
            (9, 40, 2 * b.KC + 7),      // three K blocks, the last partial
            (33, 37, b.KC + 1),         // a second K block of one step, small-M rows beyond SmallM
            (b.MC + 5, 19, 23),         // two row blocks
            (3, b.NC + 35, 5),          // two column blocks
        ];
        foreach (var (m, n, k) in shapes)
        foreach (var (opA, opB) in new[] { (MatrixOp.None, MatrixOp.None), (MatrixOp.Transpose, MatrixOp.Transpose), (MatrixOp.None, MatrixOp.Transpose) })
        {
            var g = new GemmCase(opA, opB, m, n, k, alpha: 0.5f, beta: 1, padA: 1, padC: 3, bias: true, activation: ActivationKind.Relu);
            var c = g.Run(width);
            g.Check(c, $"{Isa.Name(width)} {m}x{n}x{k} {opA}{opB}");
            Assert.Equal(c, g.Run(width, threads: 2));
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void PackedWeightsAcrossKBlocks(SimdWidth width)
    {
        var (_, b) = Gemm.Blocking(width);
        // Packed weights take K blocks of up to 1024: cross two of them.
        int k = Math.Max(2 * b.KC, 2 * GemmBlocking.MaxKC) + 9, n = 45;
        foreach (int m in (int[])[1, 5, 40])
        {
            var g = new GemmCase(MatrixOp.None, MatrixOp.None, m, n, k, alpha: 1, beta: 0.5f, padB: 2, bias: true);
            using var packed = Gemm.PackB(width, MatrixOp.None, k, n, g.B, g.Ldb);
            var c = g.NewC();
            Gemm.Multiply(m, g.Alpha, g.A, g.Lda, packed, g.Beta, c, g.Ldc, g.Epilogue);
            g.Check(c, $"{Isa.Name(width)} packed m={m}");
            // The same again on more threads, bit for bit.
            var c2 = g.NewC();
            Gemm.Multiply(m, g.Alpha, g.A, g.Lda, packed, g.Beta, c2, g.Ldc, g.Epilogue, threads: 2);
            Assert.Equal(c, c2);
        }
    }
}
