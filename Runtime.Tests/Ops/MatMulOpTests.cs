using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// MatMulOp of two inputs over a sweep of matrix sizes (1 to 33, past the GEMM tiles' edges) and broadcast leading
/// axes ([2, 1] against [1, 3], [1] against [4]), and of one value with itself: forward against a plain triple loop
/// in double, backward (NT and TN products, summed where an operand was broadcast) against its finite differences.
/// </summary>
public sealed class MatMulOpTests
{
    /// <summary>c[r, l, i, j] = Σₖ a[r, l broadcast, i, k]·b[r, l broadcast, k, j].</summary>
    private static double[] Reference(int rows, double[] a, int[] aShape, double[] b, int[] bShape)
    {
        int rank = aShape.Length, m = aShape[rank - 2], k = aShape[rank - 1], n = bShape[rank - 1];
        int[] lead = [.. aShape[..^2].Zip(bShape[..^2], Math.Max)];
        int matrices = lead.Aggregate(1, (p, d) => p * d);
        int aLength = aShape.Aggregate(1, (p, d) => p * d), bLength = bShape.Aggregate(1, (p, d) => p * d);
        var c = new double[rows * matrices * m * n];
        for (int r = 0; r < rows; r++)
            for (int l = 0; l < matrices; l++)
            {
                int rest = l, ai = 0, bi = 0, aStride = 1, bStride = 1;
                for (int d = lead.Length - 1; d >= 0; d--)
                {
                    int at = rest % lead[d];
                    rest /= lead[d];
                    ai += (aShape[d] == 1 ? 0 : at) * aStride;
                    bi += (bShape[d] == 1 ? 0 : at) * bStride;
                    aStride *= aShape[d];
                    bStride *= bShape[d];
                }
                int aAt = r * aLength + ai * m * k, bAt = r * bLength + bi * k * n, cAt = (r * matrices + l) * m * n;
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        double sum = 0;
                        for (int p = 0; p < k; p++) sum += a[aAt + i * k + p] * b[bAt + p * n + j];
                        c[cAt + i * n + j] = sum;
                    }
            }
        return c;
    }

    private static OpCase Case(int[] aShape, int[] bShape, bool training = true) =>
        new($"matmul {new TensorShape(aShape)} {new TensorShape(bShape)}{(training ? "" : " evaluation")}", () => new MatMulOp(),
            [new TensorShape(aShape), new TensorShape(bShape)], x => [Reference(x.Rows, x.Inputs[0], aShape, x.Inputs[1], bShape)])
        {
            Training = training,
            ForwardTolerance = 1e-5,
        };

    public static TheoryData<int, int, int> Sizes() => new() { { 1, 1, 1 }, { 6, 8, 6 }, { 6, 6, 8 }, { 3, 4, 3 }, { 1, 7, 5 }, { 9, 1, 4 }, { 17, 33, 19 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void MatricesOfEachSizeTrain(int m, int k, int n)
    {
        OpTester.Check(Case([m, k], [k, n]));
        OpTester.Check(Case([2, m, k], [2, k, n]));
    }

    [Fact]
    public void LeadingAxesBroadcast()
    {
        OpTester.Check(Case([2, 1, 3, 4], [1, 3, 4, 2]));
        OpTester.Check(Case([1, 3, 4], [4, 4, 2]));
        OpTester.Check(Case([4, 3, 4], [1, 4, 5]));
        OpTester.Check(Case([2, 3, 6, 8], [2, 3, 8, 6]));
    }

    [Fact]
    public void EvaluationMatchesTheReference() => OpTester.Check(Case([2, 6, 8], [2, 8, 6], training: false));

    /// <summary>x·x of a square matrix: one value in both slots, whose two gradients the runtime adds.</summary>
    [Fact]
    public void OneValueInBothInputs()
    {
        var shape = new TensorShape(2, 4, 4);
        OpTester.Check(new OpCase("matmul self", () => new MatMulOp(), [shape], a => [Reference(a.Rows, a.Inputs[0], [2, 4, 4], a.Inputs[0], [2, 4, 4])])
        {
            NodeInputs = [0, 0],
        });
    }

    [Fact]
    public void ShapesThatDoNotMultiplyAreRefused()
    {
        var op = new MatMulOp();
        Assert.Equal("matmul of [2×3×4] and [2×5×3]: the first has 4 columns, the second 5 rows; they must agree.",
            Assert.Throws<ArgumentException>(() => op.InferShapes([new TensorShape(2, 3, 4), new TensorShape(2, 5, 3)])).Message);
        Assert.Equal("matmul of [2×3×4] and [3×4×3]: axis 0 has sizes 2 and 3, which do not broadcast (equal, or one of them 1).",
            Assert.Throws<ArgumentException>(() => op.InferShapes([new TensorShape(2, 3, 4), new TensorShape(3, 4, 3)])).Message);
        Assert.Equal("matmul takes two samples of matrices of one rank, at least 2 ([… × M × K] and [… × K × N]); got [2×3×4] and [4×3].",
            Assert.Throws<ArgumentException>(() => op.InferShapes([new TensorShape(2, 3, 4), new TensorShape(4, 3)])).Message);
        Assert.IsType<MatMulOp>(OpRegistry.Clone(op));
    }
}
