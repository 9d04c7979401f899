using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public class AllocationCollection;

/// <summary>After warm-up a GEMM call allocates nothing, on the caller's thread or on the workers.</summary>
[Trait("Category", "Kernels")]
[Collection(nameof(AllocationCollection))]
public class GemmAllocationTests
{
    static void Calls(float[] a, float[] b, float[] c, float[] bias, GemmPackedB packed, int threads)
    {
        var relu = new GemmEpilogue(bias, ActivationKind.Relu);
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, 64, 64, 64, 1, a, 64, b, 64, 0, c, 64, relu, threads);
        Gemm.Multiply(MatrixOp.Transpose, MatrixOp.Transpose, 64, 64, 64, 1, a, 64, b, 64, 1, c, 64, default, threads);
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, 1, 64, 64, 1, a, 64, b, 64, 0, c, 64, relu, threads);
        Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, 5, 63, 64, 1, a, 64, b, 64, 0.5f, c, 64, default, threads);
        // K = 1: the outer-product path, with B gathered from a column and an edge of columns.
        Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, 64, 64, 1, 1, a, 64, b, 64, 0, c, 64, relu, threads);
        Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, 64, 63, 1, 1, a, 1, b, 1, 0.5f, c, 64, default, threads);
        Gemm.Multiply(64, 1, a, 64, packed, 0, c, 64, relu, threads);
        Gemm.Multiply(2, 1, a, 64, packed, 0, c, 64, default, threads);
    }

    [Fact]
    public void CallsAllocateNothingAfterWarmup()
    {
        var a = new float[64 * 64];
        var b = new float[64 * 64];
        var c = new float[64 * 64];
        var bias = new float[64];
        using var packed = Gemm.PackB(MatrixOp.None, 64, 64, b, 64);
        Assert.Equal(0, Allocations.OnThisThread(() => Calls(a, b, c, bias, packed, 1)));
        for (int i = 0; i < 20; i++) Calls(a, b, c, bias, packed, 2);
        Assert.Equal(0, Allocations.InProcess(() =>
        {
            for (int i = 0; i < 10; i++) Calls(a, b, c, bias, packed, 2);
        }));
    }
}
