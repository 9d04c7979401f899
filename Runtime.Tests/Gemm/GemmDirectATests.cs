using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>
/// The blocked path reads op(A) in place unless its rows would collide in L2, and computes a small batch's A·Bᵀ as
/// Cᵀ = B·Aᵀ on B's rows in place: each gives the same bits as packing (the same multiply-adds in the same order),
/// with and without packed weights, across row and K blocks and partial last panels; and the choice follows the caches.
/// </summary>
[Trait("Category", "Kernels")]
public class GemmDirectATests
{
    public static TheoryData<SimdWidth> Widths => new(GemmCase.Widths);

    const long Way = 64 << 10;

    /// <summary>
    /// op(B) = Bᵀ with M &lt; K computes Cᵀ = B·Aᵀ on B's rows in place, unless they collide in L2 (then Bᵀ is
    /// packed as before): the same bits either way, across strips, K blocks, edges, epilogues and threads.
    /// </summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void TransposedProductGivesTheBlockedBits(SimdWidth width)
    {
        var (_, blocks) = Gemm.Blocking(width);
        long way = CacheTopology.Current.L2.WayBytes;
        int farLdb = (int)Math.Max(1024, way / sizeof(float));
        (int M, int N, int K, float Beta, ActivationKind Activation)[] cases =
        [
            (9, 45, 50, 0.5f, ActivationKind.Relu),        // one row past the small-M path, edge strip
            (33, 70, 100, 0, ActivationKind.Identity),     // two column panels of A, C not read
            (20, 77, blocks.KC + 9, 1, ActivationKind.Relu), // two K blocks
            (40, 131, 64, 0.5f, ActivationKind.Tanh),      // an activation after the stores
            (64, 96, 256, 1, ActivationKind.Identity),     // whole strips and tiles
            (32, 72, 128, 0, ActivationKind.Relu),         // whole tiles with ReLU, an edge of eight columns
        ];
        foreach (var (m, n, k, beta, activation) in cases)
        {
            var g = new GemmCase(MatrixOp.None, MatrixOp.Transpose, m, n, k, alpha: 0.5f, beta: beta, padC: 3,
                bias: true, activation: activation);
            Assert.True(GemmBlocking.ReadsAInPlace(way, g.Ldb, Math.Min(blocks.MC, n), Math.Min(blocks.KC, k)));
            Assert.False(GemmBlocking.ReadsAInPlace(way, farLdb, Math.Min(blocks.MC, n), Math.Min(blocks.KC, k)));
            var far = new float[(long)(n - 1) * farLdb + k];
            for (int r = 0; r < n; r++) Array.Copy(g.B, r * g.Ldb, far, (long)r * farLdb, k);
            string label = $"{Isa.Name(width)} NT m={m} n={n} k={k} beta={beta} {activation}";
            var transposed = g.Run(width);
            if (activation != ActivationKind.Tanh) g.Check(transposed, label);
            var blocked = g.NewC();
            Gemm.Multiply(width, MatrixOp.None, MatrixOp.Transpose, m, n, k, g.Alpha, g.A, g.Lda, far, farLdb, g.Beta,
                blocked, g.Ldc, g.Epilogue);
            Assert.True(transposed.AsSpan().SequenceEqual(blocked), $"{label}: Cᵀ = B·Aᵀ and the blocked path differ");
            Assert.True(transposed.AsSpan().SequenceEqual(g.Run(width, threads: 2)), $"{label}: two threads differ");
        }
    }

    [Fact]
    public void RowsThatCollideInL2ArePacked()
    {
        // 2048² floats: rows 8 KiB apart start in 8 places of a 64 KiB way and 1 KiB spans leave 7/8 of it unused.
        Assert.False(GemmBlocking.ReadsAInPlace(Way, lda: 2048, rows: 896, span: 256));
        Assert.False(GemmBlocking.ReadsAInPlace(Way, lda: 1024, rows: 896, span: 256));
        // The MLP's inputs (784 floats: 64-byte gap) and hidden rows (256 floats, spans as wide as the stride).
        Assert.True(GemmBlocking.ReadsAInPlace(Way, lda: 784, rows: 256, span: 784));
        Assert.True(GemmBlocking.ReadsAInPlace(Way, lda: 256, rows: 256, span: 256));
        // A transposed A of 256 columns, 32 deep: 32 rows of 256 floats, 1 KiB apart.
        Assert.True(GemmBlocking.ReadsAInPlace(Way, lda: 256, rows: 32, span: 256));
        // Few enough rows to start in distinct sets, however far apart.
        Assert.True(GemmBlocking.ReadsAInPlace(Way, lda: 2048, rows: 8, span: 16));
        Assert.False(GemmBlocking.ReadsAInPlace(Way, lda: 2048, rows: 9, span: 16));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void InPlaceAndPackedGiveTheSameBits(SimdWidth width)
    {
        var (_, blocks) = Gemm.Blocking(width);
        long way = CacheTopology.Current.L2.WayBytes;
        // A stride of one whole way puts every row in the same sets: that A is packed.
        int farLda = (int)Math.Max(1024, way / sizeof(float));
        (int M, int N, int K)[] shapes =
        [
            (37, 45, 50),                  // a partial last panel and edge columns
            (blocks.MC + 11, 33, 19),      // two row blocks
            (20, 70, blocks.KC + 9),       // two K blocks
        ];
        foreach (var (m, n, k) in shapes)
        foreach (var opA in (MatrixOp[])[MatrixOp.None, MatrixOp.Transpose])
        foreach (var opB in (MatrixOp[])[MatrixOp.None, MatrixOp.Transpose])
        {
            var g = new GemmCase(opA, opB, m, n, k, alpha: 0.5f, beta: 1, padC: 3, bias: true, activation: ActivationKind.Relu);
            int rowsA = opA == MatrixOp.None ? m : k, colsA = opA == MatrixOp.None ? k : m;
            int rows = opA == MatrixOp.None ? Math.Min(blocks.MC, m) : Math.Min(blocks.KC, k);
            int span = opA == MatrixOp.None ? Math.Min(blocks.KC, k) : Math.Min(blocks.MC, m);
            Assert.True(GemmBlocking.ReadsAInPlace(way, g.Lda, rows, span));
            Assert.False(GemmBlocking.ReadsAInPlace(way, farLda, rows, span));

            var far = new float[(long)(rowsA - 1) * farLda + colsA];
            for (int r = 0; r < rowsA; r++) Array.Copy(g.A, r * g.Lda, far, (long)r * farLda, colsA);
            string label = $"{Isa.Name(width)} {opA}{opB} m={m} n={n} k={k}";
            var inPlace = g.Run(width);
            g.Check(inPlace, label);
            var packed = g.NewC();
            Gemm.Multiply(width, opA, opB, m, n, k, g.Alpha, far, farLda, g.B, g.Ldb, g.Beta, packed, g.Ldc, g.Epilogue);
            Assert.True(inPlace.AsSpan().SequenceEqual(packed), $"{label}: A read in place and A packed differ");

            if (opA == MatrixOp.Transpose) continue;
            // Packed weights: the inference path.
            using var weights = Gemm.PackB(width, opB, k, n, g.B, g.Ldb);
            var c1 = g.NewC();
            Gemm.Multiply(m, g.Alpha, g.A, g.Lda, weights, g.Beta, c1, g.Ldc, g.Epilogue);
            var c2 = g.NewC();
            Gemm.Multiply(m, g.Alpha, far, farLda, weights, g.Beta, c2, g.Ldc, g.Epilogue, threads: 2);
            Assert.True(c1.AsSpan().SequenceEqual(c2), $"{label}: packed weights, A in place and packed differ");
            g.Check(c1, label + " packed weights");
        }
    }
}

/// <summary>The transposed product and A read in place allocate nothing after warm-up, on one thread or two.</summary>
[Trait("Category", "Kernels")]
[Collection(nameof(AllocationCollection))]
public class GemmDirectAAllocationTests
{
    static void Calls(float[] a, float[] b, float[] c, float[] bias, int threads)
    {
        var relu = new GemmEpilogue(bias, ActivationKind.Relu);
        Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, 32, 63, 64, 1, a, 64, b, 64, 0, c, 64, relu, threads);
        Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, 20, 64, 64, 1, a, 64, b, 64, 1, c, 64, default, threads);
        Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, 61, 64, 30, 1, a, 64, b, 64, 0.5f, c, 64, relu, threads);
    }

    [Fact]
    public void CallsAllocateNothingAfterWarmup()
    {
        float[] a = new float[64 * 64], b = new float[64 * 64], c = new float[64 * 64], bias = new float[64];
        Calls(a, b, c, bias, 1);
        Assert.Equal(0, Allocations.OnThisThread(() => Calls(a, b, c, bias, 1)));
        for (int i = 0; i < 20; i++) Calls(a, b, c, bias, 2);
        Assert.Equal(0, Allocations.InProcess(() =>
        {
            for (int i = 0; i < 10; i++) Calls(a, b, c, bias, 2);
        }));
    }
}
