using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>IEEE special values, the epilogue, pre-packed B and thread-count independence.</summary>
[Trait("Category", "Kernels")]
public class GemmSemanticsTests
{
    // Shapes covering the small-M path (m ≤ 8), the blocked path, full tiles and edges at every width.
    static readonly (int M, int N, int K)[] Shapes = [(1, 37, 20), (3, 64, 9), (8, 33, 17), (9, 40, 31), (14, 67, 40), (21, 75, 1)];

    static readonly MatrixOp[] BothOps = [MatrixOp.None, MatrixOp.Transpose];

    [Fact]
    public void BetaZeroNeverReadsC()
    {
        foreach (var (m, n, k) in Shapes)
        foreach (var opA in BothOps)
        foreach (var opB in BothOps)
        foreach (var width in GemmCase.Widths)
        {
            var g = new GemmCase(opA, opB, m, n, k, alpha: 1, beta: 0);
            var c = new float[m * n];
            c.AsSpan().Fill(float.NaN);
            Gemm.Multiply(width, opA, opB, m, n, k, 1, g.A, g.Lda, g.B, g.Ldb, 0, c, n);
            Assert.DoesNotContain(c, float.IsNaN);
            Array.Fill(c, float.NaN);
            Gemm.Multiply(width, opA, opB, m, n, k, 0, g.A, g.Lda, g.B, g.Ldb, 0, c, n);
            Assert.All(c, v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void NaNAndInfinityInAPropagate()
    {
        foreach (var (m, n, k) in Shapes)
        foreach (var width in GemmCase.Widths)
        {
            int rows = m, cols = k;
            var a = new float[rows * cols];
            var b = new float[k * n];
            a.AsSpan().Fill(0.25f);
            b.AsSpan().Fill(0.5f);
            a[0] = float.NaN;                               // A[0, 0]
            if (m > 1) a[(m - 1) * k + k - 1] = float.PositiveInfinity; // A[m−1, k−1], B all positive
            var c = new float[m * n];
            Gemm.Multiply(width, MatrixOp.None, MatrixOp.None, m, n, k, 1, a, k, b, n, 0, c, n);
            for (int j = 0; j < n; j++)
            {
                Assert.True(float.IsNaN(c[j]), $"{Isa.Name(width)} m={m} n={n} k={k}: C[0,{j}] = {c[j]}, expected NaN");
                if (m > 1) Assert.Equal(float.PositiveInfinity, c[(m - 1) * n + j]);
                if (m > 2) Assert.Equal(0.125f * k, c[n + j]);
            }
        }
    }

    [Fact]
    public void EpilogueAddsBiasThenActivation()
    {
        foreach (var (m, n, k) in Shapes.Append((30, 300, 270)))
        foreach (var act in new[] { ActivationKind.Identity, ActivationKind.Relu })
        foreach (float beta in new[] { 0f, 0.5f })
        foreach (var opB in BothOps)
        {
            var g = new GemmCase(MatrixOp.None, opB, m, n, k, alpha: 1, beta: beta, padC: 1, bias: true, activation: act);
            foreach (var width in GemmCase.Widths) g.Check(g.Run(width), $"{Isa.Name(width)} {act}");
            // Activation without bias.
            var h = new GemmCase(MatrixOp.Transpose, opB, m, n, k, alpha: 0.5f, beta: beta, activation: act);
            foreach (var width in GemmCase.Widths) h.Check(h.Run(width, threads: 2), $"{Isa.Name(width)} {act} no bias");
        }
    }

    /// <summary>Activations other than ReLU run through <see cref="Activations.Forward(ActivationKind, ReadOnlySpan{float}, Span{float}, float)"/> tile by tile.</summary>
    [Fact]
    public void FusedActivationEqualsActivationAfterwards()
    {
        foreach (var (m, n, k) in Shapes.Append((40, 70, 30)))
        foreach (var act in new[] { ActivationKind.Sigmoid, ActivationKind.LeakyRelu, ActivationKind.GeluTanh })
        foreach (var opB in BothOps)
        foreach (var width in GemmCase.Widths)
        {
            var g = new GemmCase(MatrixOp.None, opB, m, n, k, alpha: 1, beta: 0.5f, bias: true);
            var plain = g.NewC();
            Gemm.Multiply(width, g.OpA, g.OpB, m, n, k, 1, g.A, g.Lda, g.B, g.Ldb, 0.5f, plain, g.Ldc, new GemmEpilogue(g.Bias));
            Activations.Forward(act, plain, plain);
            var fused = g.NewC();
            Gemm.Multiply(width, g.OpA, g.OpB, m, n, k, 1, g.A, g.Lda, g.B, g.Ldb, 0.5f, fused, g.Ldc, new GemmEpilogue(g.Bias, act), threads: 2);
            for (int i = 0; i < plain.Length; i++)
                Assert.True(Math.Abs(plain[i] - fused[i]) <= 1e-6f * (1 + Math.Abs(plain[i])),
                    $"{Isa.Name(width)} {act} {m}x{n}x{k}: {fused[i]} vs {plain[i]} at {i}");
        }
    }

    [Fact]
    public void EpilogueWithZeroAlphaOrK()
    {
        foreach (var (alpha, k) in new[] { (0f, 5), (1f, 0) })
        {
            var g = new GemmCase(MatrixOp.None, MatrixOp.None, 4, 9, k, alpha, beta: 0.5f, bias: true, activation: ActivationKind.Relu);
            foreach (var width in GemmCase.Widths) g.Check(g.Run(width), Isa.Name(width));
        }
    }

    [Fact]
    public void PackedBMatchesUnpacked()
    {
        int[] rows = GemmCase.SoftwareVectors ? [1, 2, 5, 8, 9, 13] : [1, 2, 3, 4, 5, 7, 8, 9, 13, 33, 100];
        foreach (var (n, k) in new[] { (37, 20), (64, 300), (100, 513), (45, 1) })
        foreach (var opB in BothOps)
        foreach (var width in GemmCase.Widths)
        {
            foreach (int m in rows)
            {
                var g = new GemmCase(MatrixOp.None, opB, m, n, k, alpha: 0.5f, beta: 0.5f, padA: 2, padB: 3, padC: 1,
                    bias: true, activation: ActivationKind.Relu);
                using var packed = Gemm.PackB(width, opB, k, n, g.B, g.Ldb);
                Assert.Equal(width, packed.Width);
                var c = g.NewC();
                Gemm.Multiply(m, g.Alpha, g.A, g.Lda, packed, g.Beta, c, g.Ldc, g.Epilogue);
                g.Check(c, $"{Isa.Name(width)} packed");
                var c2 = g.NewC();
                Gemm.Multiply(m, g.Alpha, g.A, g.Lda, packed, g.Beta, c2, g.Ldc, g.Epilogue, threads: 3);
                Assert.Equal(c, c2);
            }
        }
    }

    [Fact]
    public void ResultsAreBitwiseEqualForAnyThreadCount()
    {
        var shapes = new[]
        {
            (MatrixOp.None, MatrixOp.None, 150, 200, 300),      // blocked, split over N
            (MatrixOp.Transpose, MatrixOp.Transpose, 200, 20, 270), // blocked, split over M
            (MatrixOp.None, MatrixOp.None, 1, 500, 300),        // small-M, B in place
            (MatrixOp.Transpose, MatrixOp.Transpose, 7, 300, 90), // small-M, B packed on the fly
            (MatrixOp.Transpose, MatrixOp.None, 300, 200, 1),    // outer product, split over M
            (MatrixOp.None, MatrixOp.Transpose, 90, 77, 1),      // outer product, B gathered, edge columns
        };
        foreach (var (opA, opB, m, n, k) in shapes)
        foreach (var width in GemmCase.Widths)
        {
            var g = new GemmCase(opA, opB, m, n, k, alpha: 0.75f, beta: 0.5f, bias: true, activation: ActivationKind.Relu);
            var one = g.Run(width, threads: 1);
            g.Check(one, Isa.Name(width));
            foreach (int threads in new[] { 2, 3, 8 })
            {
                var many = g.Run(width, threads);
                for (int i = 0; i < one.Length; i++)
                {
                    if (BitConverter.SingleToInt32Bits(one[i]) != BitConverter.SingleToInt32Bits(many[i]))
                        Assert.Fail($"{Isa.Name(width)} {opA}{opB} {m}x{n}x{k}: threads={threads} differs at {i}: {many[i]} vs {one[i]}");
                }
            }
        }
    }

    [Fact]
    public void DescribeNamesTheKernel()
    {
        Assert.StartsWith("v256 6x16 ", Gemm.Describe(SimdWidth.V256));
        Assert.StartsWith(Isa.Name(Isa.Width) + " ", Gemm.Describe());
    }
}
