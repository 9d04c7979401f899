using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>Every width against the double reference over the shape cube, alpha/beta and leading dimensions.</summary>
[Trait("Category", "Kernels")]
public class GemmShapeTests
{
    static readonly int[] Sizes = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 257];

    // With the Vector API in software, the cube keeps every edge case around the tiles (MR ≤ 6, NR ≤ 32) and the
    // small-M boundary but drops the large sizes, whose interiors repeat the same tiles.
    static readonly int[] SoftwareSizes = [1, 2, 3, 5, 7, 8, 9, 16, 17, 33];

    public static TheoryData<MatrixOp, MatrixOp> Ops => new()
    {
        { MatrixOp.None, MatrixOp.None }, { MatrixOp.None, MatrixOp.Transpose },
        { MatrixOp.Transpose, MatrixOp.None }, { MatrixOp.Transpose, MatrixOp.Transpose },
    };

    [Theory]
    [MemberData(nameof(Ops))]
    public void ShapeCube(MatrixOp opA, MatrixOp opB)
    {
        int[] sizes = GemmCase.SoftwareVectors ? SoftwareSizes : Sizes;
        foreach (int m in sizes)
        foreach (int n in sizes)
        foreach (int k in sizes)
        {
            var g = new GemmCase(opA, opB, m, n, k, alpha: 1, beta: 0.5f);
            foreach (var width in GemmCase.Widths) g.Check(g.Run(width), Isa.Name(width));
        }
    }

    /// <summary>Every alpha/beta pair, with padded leading dimensions, on a diagonal of mixed shapes.</summary>
    [Theory]
    [MemberData(nameof(Ops))]
    public void AlphaBetaAndLeadingDimensions(MatrixOp opA, MatrixOp opB)
    {
        float[] scalars = [0, 1, 0.5f];
        int[] sizes = GemmCase.SoftwareVectors ? SoftwareSizes : Sizes;
        for (int i = 0; i < sizes.Length; i++)
        {
            int m = sizes[i], n = sizes[(i + 5) % sizes.Length], k = sizes[(i + 11) % sizes.Length];
            foreach (float alpha in scalars)
            foreach (float beta in scalars)
            {
                var g = new GemmCase(opA, opB, m, n, k, alpha, beta, padA: 3, padB: 5, padC: 2);
                foreach (var width in GemmCase.Widths) g.Check(g.Run(width), Isa.Name(width));
            }
        }
    }

    /// <summary>K beyond one K block (KC = 256) and N beyond NC exercise the block loops and beta = 1 accumulation.</summary>
    [Theory]
    [InlineData(20, 40, 600)]
    [InlineData(3, 70, 530)]
    [InlineData(13, 4100, 9)]
    public void LargeBlocks(int m, int n, int k)
    {
        foreach (var (opA, opB) in new[] { (MatrixOp.None, MatrixOp.None), (MatrixOp.Transpose, MatrixOp.Transpose) })
        {
            var g = new GemmCase(opA, opB, m, n, k, alpha: 0.5f, beta: 1, padA: 1, padC: 3);
            foreach (var width in GemmCase.Widths) g.Check(g.Run(width), Isa.Name(width));
        }
    }

    [Fact]
    public void ReferenceAgreesWithDouble()
    {
        var g = new GemmCase(MatrixOp.Transpose, MatrixOp.None, 9, 17, 33, alpha: 0.5f, beta: 0.5f, padA: 2, padB: 1, padC: 4,
            bias: true, activation: ActivationKind.Relu);
        var c = g.NewC();
        GemmReference.Multiply(g.OpA, g.OpB, g.M, g.N, g.K, g.Alpha, g.A, g.Lda, g.B, g.Ldb, g.Beta, c, g.Ldc, g.Epilogue);
        g.Check(c, "reference");
    }
}
