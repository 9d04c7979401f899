using System.Runtime.CompilerServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Single-precision GEMM: C = alpha·op(A)·op(B) + beta·C, row-major with leading dimensions, then an optional
/// epilogue (bias row, activation) applied while each tile of C is in cache.
/// </summary>
/// <remarks>
/// Threads: <c>threads</c> ≤ 1 runs on the calling thread only (the default); larger values share the work with
/// <see cref="WorkerPool.Shared"/> (at most <see cref="Environment.ProcessorCount"/> threads run at once).
/// Results are bitwise identical for every thread count. Small problems run on the caller whatever the count.
/// </remarks>
public static unsafe class Gemm
{
    /// <summary>
    /// C[m×n] = alpha·op(A)[m×k]·op(B)[k×n] + beta·C, then the epilogue. Row-major with leading dimensions
    /// lda, ldb, ldc (elements between rows as stored). beta = 0 ignores C's old contents (NaN included);
    /// alpha = 0 or k = 0 leaves beta·C without reading A or B.
    /// <paramref name="threads"/> worker threads share the work; results are bitwise identical for any count.
    /// </summary>
    public static void Multiply(
        MatrixOp opA, MatrixOp opB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc,
        GemmEpilogue epilogue = default, int threads = 1) =>
        Multiply(Isa.Width, opA, opB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, threads);

    /// <summary>The same at a given width (tests run every width in one process).</summary>
    internal static void Multiply(SimdWidth width,
        MatrixOp opA, MatrixOp opB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc,
        GemmEpilogue epilogue = default, int threads = 1)
    {
        GemmArguments.Dimensions(m, n, k);
        bool transA = opA == MatrixOp.Transpose, transB = opB == MatrixOp.Transpose;
        GemmArguments.Matrix(nameof(a), nameof(lda), a.Length, transA ? k : m, transA ? m : k, lda);
        GemmArguments.Matrix(nameof(b), nameof(ldb), b.Length, transB ? n : k, transB ? k : n, ldb);
        GemmArguments.Matrix(nameof(c), nameof(ldc), c.Length, m, n, ldc);
        GemmArguments.Epilogue(epilogue, n);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c, pbias = epilogue.Bias)
        {
            var p = new GemmProblem
            {
                M = m, N = n, K = k,
                A = pa, Lda = lda, TransA = transA,
                B = pb, Ldb = ldb, TransB = transB,
                C = pc, Ldc = ldc, Alpha = alpha, Beta = beta,
                Bias = epilogue.Bias.IsEmpty ? null : pbias,
                Activation = epilogue.Activation, ActivationAlpha = epilogue.Alpha,
            };
            Execute(width, &p, threads);
        }
    }

    /// <summary>
    /// Packs op(B) (k×n; B as stored is k×n for <see cref="MatrixOp.None"/>, n×k for <see cref="MatrixOp.Transpose"/>)
    /// once for the kernels of <see cref="Isa.Width"/>, for repeated products with different A.
    /// </summary>
    public static GemmPackedB PackB(MatrixOp opB, int k, int n, ReadOnlySpan<float> b, int ldb) =>
        PackB(Isa.Width, opB, k, n, b, ldb);

    internal static GemmPackedB PackB(SimdWidth width, MatrixOp opB, int k, int n, ReadOnlySpan<float> b, int ldb)
    {
        GemmArguments.Dimensions(0, n, k);
        bool trans = opB == MatrixOp.Transpose;
        GemmArguments.Matrix(nameof(b), nameof(ldb), b.Length, trans ? n : k, trans ? k : n, ldb);
        var (nr, blocking) = Blocking(width);
        // Weights are packed before any batch size is known: the K blocks follow K alone.
        int kcBlock = blocking.KForPacked(k);
        var packed = new GemmPackedB(width, k, n, nr, kcBlock);
        fixed (float* pb = b)
        {
            for (int pc = 0; pc < k; pc += kcBlock)
            {
                int kc = Math.Min(kcBlock, k - pc);
                GemmPacking.PackB(nr, trans, pb, ldb, pc, kc, 0, n, packed.Data + (long)pc * packed.PaddedColumns);
            }
        }
        return packed;
    }

    /// <summary>
    /// C[m×N] = alpha·A[m×K]·B + beta·C, then the epilogue, with B packed by <see cref="PackB(MatrixOp, int, int, ReadOnlySpan{float}, int)"/>
    /// (K and N are its). A is row-major as stored (no transpose) with leading dimension lda.
    /// </summary>
    public static void Multiply(int m, float alpha, ReadOnlySpan<float> a, int lda, GemmPackedB b,
        float beta, Span<float> c, int ldc, GemmEpilogue epilogue = default, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(b);
        int n = b.N, k = b.K;
        GemmArguments.Dimensions(m, n, k);
        GemmArguments.Matrix(nameof(a), nameof(lda), a.Length, m, k, lda);
        GemmArguments.Matrix(nameof(c), nameof(ldc), c.Length, m, n, ldc);
        GemmArguments.Epilogue(epilogue, n);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a, pc = c, pbias = epilogue.Bias)
        {
            var p = new GemmProblem
            {
                M = m, N = n, K = k,
                A = pa, Lda = lda,
                PackedB = b.Data, PackedColumns = b.PaddedColumns, Kc = b.KC,
                C = pc, Ldc = ldc, Alpha = alpha, Beta = beta,
                Bias = epilogue.Bias.IsEmpty ? null : pbias,
                Activation = epilogue.Activation, ActivationAlpha = epilogue.Alpha,
            };
            Execute(b.Width, &p, threads);
        }
        GC.KeepAlive(b);
    }

    /// <summary>Kernel and blocking in use before any shape, e.g. <c>v512 8x32 MC=896 KC=256 NC=8192 small-m≤8</c>.</summary>
    public static string Describe() => Describe(Isa.Width);

    internal static string Describe(SimdWidth width) => width switch
    {
        SimdWidth.V512 => Describe<GemmKernel8x32V512>(),
        SimdWidth.V256 => Describe<GemmKernel6x16V256>(),
        SimdWidth.V128 => Describe<GemmKernel6x8V128>(),
        _ => Describe<GemmKernel4x4Scalar>(),
    };

    static string Describe<TK>() where TK : struct, IGemmKernel =>
        $"{Isa.Name(TK.Width)} {TK.MR}x{TK.NR} {GemmDriver<TK>.Blocking}" +
        (TK.HasRowKernels ? $" small-m≤{GemmDriver<TK>.SmallM}" : "");

    /// <summary>
    /// Runs every path once on small inputs so later calls find their code compiled and the caller's workspace
    /// allocated. Optional: the kernels are compiled fully optimised on first use anyway.
    /// </summary>
    public static void Warmup(int threads = 1)
    {
        const int size = 40;
        var a = new float[size * size];
        var b = new float[size * size];
        var c = new float[size * size];
        var bias = new float[size];
        foreach (var opB in (ReadOnlySpan<MatrixOp>)[MatrixOp.None, MatrixOp.Transpose])
        {
            Multiply(MatrixOp.None, opB, size, size, size, 1, a, size, b, size, 0, c, size, new GemmEpilogue(bias, ActivationKind.Relu), threads);
            Multiply(MatrixOp.None, opB, 1, size, size, 1, a, size, b, size, 1, c, size, default, threads);
        }
        using var packed = PackB(MatrixOp.None, size, size, b, size);
        Multiply(size, 1, a, size, packed, 0, c, size, default, threads);
        Multiply(1, 1, a, size, packed, 0, c, size, default, threads);
    }

    /// <summary>A width's tile width and blocks before any shape (what <see cref="Describe()"/> prints).</summary>
    internal static (int NR, GemmBlocking Blocking) Blocking(SimdWidth width) => width switch
    {
        SimdWidth.V512 => (GemmKernel8x32V512.NR, GemmDriver<GemmKernel8x32V512>.Blocking),
        SimdWidth.V256 => (GemmKernel6x16V256.NR, GemmDriver<GemmKernel6x16V256>.Blocking),
        SimdWidth.V128 => (GemmKernel6x8V128.NR, GemmDriver<GemmKernel6x8V128>.Blocking),
        _ => (GemmKernel4x4Scalar.NR, GemmDriver<GemmKernel4x4Scalar>.Blocking),
    };

    static void Execute(SimdWidth width, GemmProblem* p, int threads)
    {
        if (p->Alpha == 0 || p->K == 0)
        {
            Scale(p);
            return;
        }
        switch (width)
        {
            case SimdWidth.V512: GemmDriver<GemmKernel8x32V512>.Run(p, threads); break;
            case SimdWidth.V256: GemmDriver<GemmKernel6x16V256>.Run(p, threads); break;
            case SimdWidth.V128: GemmDriver<GemmKernel6x8V128>.Run(p, threads); break;
            default: GemmDriver<GemmKernel4x4Scalar>.Run(p, threads); break;
        }
    }

    /// <summary>C = beta·C (C not read when beta = 0), then the epilogue: the whole product when alpha or k is 0.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static void Scale(GemmProblem* p)
    {
        for (int i = 0; i < p->M; i++)
        {
            float* c = p->C + (long)i * p->Ldc;
            for (int j = 0; j < p->N; j++)
            {
                float v = p->Beta == 0 ? 0 : p->Beta * c[j];
                if (p->Bias != null) v += p->Bias[j];
                c[j] = v;
            }
            if (p->Activation != ActivationKind.Identity)
            {
                var row = new Span<float>(c, p->N);
                Activations.Forward(p->Activation, row, row, p->ActivationAlpha);
            }
        }
    }
}
