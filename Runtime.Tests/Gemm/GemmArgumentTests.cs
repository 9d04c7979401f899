using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

[Trait("Category", "Kernels")]
public class GemmArgumentTests
{
    static void Call(int m, int n, int k, int aLen, int lda, int bLen, int ldb, int cLen, int ldc,
        MatrixOp opA = MatrixOp.None, MatrixOp opB = MatrixOp.None, int biasLen = 0) =>
        Gemm.Multiply(opA, opB, m, n, k, 1, new float[aLen], lda, new float[bLen], ldb, 0, new float[cLen], ldc,
            new GemmEpilogue(new float[biasLen]));

    [Fact]
    public void NegativeDimensionsThrow()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Call(-1, 2, 2, 4, 2, 4, 2, 4, 2));
        Assert.Contains("-1", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Call(2, -2, 2, 4, 2, 4, 2, 4, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Call(2, 2, -3, 4, 2, 4, 2, 4, 2));
    }

    [Fact]
    public void ShortSpansNameExpectedAndActualLength()
    {
        // A 3×4 with lda 5 needs 2·5 + 4 = 14 elements.
        var e = Assert.Throws<ArgumentException>(() => Call(3, 2, 4, 13, 5, 8, 2, 6, 2));
        Assert.Equal("a", e.ParamName);
        Assert.Contains("13", e.Message);
        Assert.Contains("14", e.Message);
        // op(B) 4×2 transposed is stored 2×4.
        e = Assert.Throws<ArgumentException>(() => Call(3, 2, 4, 12, 4, 7, 4, 6, 2, opB: MatrixOp.Transpose));
        Assert.Equal("b", e.ParamName);
        Assert.Contains("8", e.Message);
        e = Assert.Throws<ArgumentException>(() => Call(3, 2, 4, 12, 4, 8, 2, 5, 2));
        Assert.Equal("c", e.ParamName);
        Assert.Contains("6", e.Message);
        e = Assert.Throws<ArgumentException>(() => Call(3, 2, 4, 12, 4, 8, 2, 6, 2, biasLen: 1));
        Assert.Contains("bias", e.Message);
    }

    [Fact]
    public void LeadingDimensionBelowRowWidthThrows()
    {
        var e = Assert.Throws<ArgumentException>(() => Call(3, 2, 4, 100, 3, 100, 2, 100, 2));
        Assert.Equal("lda", e.ParamName);
        Assert.Contains("4", e.Message);
        // Aᵀ stored k×m: rows are m = 3 wide.
        e = Assert.Throws<ArgumentException>(() => Call(3, 2, 4, 100, 2, 100, 2, 100, 2, opA: MatrixOp.Transpose));
        Assert.Equal("lda", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Call(3, 2, 4, 100, 4, 100, 1, 100, 2));
        Assert.Equal("ldb", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Call(3, 2, 4, 100, 4, 100, 2, 100, 1));
        Assert.Equal("ldc", e.ParamName);
    }

    [Fact]
    public void EmptyProductsNeedNoStorage()
    {
        Call(0, 5, 5, 0, 5, 25, 5, 0, 5);
        Call(5, 0, 5, 25, 5, 0, 1, 0, 1);
        var c = new float[] { 1, 2, 3, 4 };
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, 2, 2, 0, 1, [], 1, [], 2, 2, c, 2);
        Assert.Equal([2f, 4, 6, 8], c);
    }

    [Fact]
    public void PackedArgumentsAreChecked()
    {
        using var packed = Gemm.PackB(MatrixOp.None, 4, 3, new float[12], 3);
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(2, 1, new float[7], 4, packed, 0, new float[6], 3));
        Assert.Contains("8", e.Message);
        Assert.Throws<ArgumentException>(() => Gemm.PackB(MatrixOp.Transpose, 4, 3, new float[11], 4));
        packed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Gemm.Multiply(2, 1, new float[8], 4, packed, 0, new float[6], 3));
    }
}
