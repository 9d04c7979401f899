using System.Globalization;
using Simd.Perf.Shapes;
using Simd.Perf.Timing;
using Simd.Runtime.Intrinsics;

namespace Simd.Perf.OpenBlas;

/// <summary>
/// <c>openblas [--filter text]</c>: our SGEMM and OpenBLAS's <c>cblas_sgemm</c> on the same shapes and operands,
/// at one and two threads, in one process so both meet the same machine state.
/// </summary>
public static class OpenBlasComparison
{
    private static readonly TimeSpan PerCase = TimeSpan.FromMilliseconds(400);

    public const string InstallHint =
        "OpenBLAS was not found (tried libopenblas.so.0, libopenblas.so). On Debian/Ubuntu: " +
        "apt-get install -y libopenblas-dev (Debian 12 ships 0.3.21); on macOS: brew install openblas. Skipping.";

    public static IEnumerable<GemmShape> Shapes() =>
        GemmShapes.Squares().Where(s => s.N >= 256).Concat(GemmShapes.Mlp());

    public static int Run(string[] args)
    {
        string? filter = args is ["--filter", var f] ? f : null;
        if (args.Length > 0 && filter is null)
        {
            Console.Error.WriteLine("usage: openblas [--filter <text in the shape name>]");
            return 2;
        }
        if (!OpenBlasNative.TryLoad())
        {
            Console.WriteLine(InstallHint);
            return 0;
        }
        Console.WriteLine($"# OpenBLAS from {OpenBlasNative.LoadedFrom}: {OpenBlasNative.Config}");
        Console.WriteLine($"# FMA peak: {MachinePeak.Gflops(1):0.0} GFLOPS on 1 thread, {MachinePeak.Gflops(2):0.0} on 2");
        Console.WriteLine();
        Console.WriteLine($"{"shape",-22} {"threads",7} {"ours",8} {"%peak",6} {"OpenBLAS",9} {"%peak",6} {"ours/OB",8}");

        foreach (var shape in Shapes())
        {
            if (filter is not null && !shape.Name.Contains(filter, StringComparison.Ordinal)) continue;
            foreach (int threads in (int[])[1, 2])
            {
                using var gemm = new GemmCase(shape, threads);
                double ours = Measure.Run(gemm.Call, PerCase, allCalls: threads > 1).Gflops(shape.Flops);
                double theirs = MeasureOpenBlas(gemm, threads);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{shape.Name,-22} {threads,7} {ours,8:0.0} {MachinePeak.Percent(ours, threads),6:0.0} " +
                    $"{theirs,9:0.0} {MachinePeak.Percent(theirs, threads),6:0.0} {ours / theirs,8:0.00}"));
            }
        }
        Console.WriteLine();
        Console.WriteLine("# GFLOPS = 2·m·n·k / median seconds per call; %peak against the FMA peak at the same thread count.");
        return 0;
    }

    private static unsafe double MeasureOpenBlas(GemmCase gemm, int threads)
    {
        OpenBlasNative.SetNumThreads(threads);
        var s = gemm.Shape;
        int transA = s.OpA == MatrixOp.None ? OpenBlasNative.NoTrans : OpenBlasNative.Trans;
        int transB = s.OpB == MatrixOp.None ? OpenBlasNative.NoTrans : OpenBlasNative.Trans;
        fixed (float* a = gemm.A)
        fixed (float* b = gemm.B)
        fixed (float* c = gemm.C)
        {
            // Pointers into native buffers, which never move: capturing them in the delegate is safe.
            nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
            void Call() => OpenBlasNative.Sgemm(OpenBlasNative.RowMajor, transA, transB, s.M, s.N, s.K,
                1f, (float*)pa, s.Lda, (float*)pb, s.Ldb, 0f, (float*)pc, s.Ldc);
            var result = Measure.Run(Call, PerCase);
            // Let OpenBLAS's worker threads go idle before our next case starts timing on the same cores.
            Thread.Sleep(50);
            return result.Gflops(s.Flops);
        }
    }
}
