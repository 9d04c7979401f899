using Simd.Perf.Timing;
using Simd.Runtime.Intrinsics;

namespace Simd.Perf.Report;

/// <summary>
/// The report's first lines, whatever the filter: the CPU, its caches as read, the GEMM blocking each width runs
/// with (derived from those caches, or forced by <c>SIMD_GEMM_BLOCKING</c>) and the one-thread FMA peak every
/// <c>.pct_peak</c> figure divides by. Comments, so that tools reading <c>name value unit</c> lines skip them.
/// </summary>
public static class MachineSection
{
    public static void Write(ReportWriter writer)
    {
        writer.Note($"machine: {ReportCommand.CpuName()}, {Environment.ProcessorCount} logical CPUs");
        writer.Note($"caches: {CacheTopology.Current}");
        foreach (var width in (SimdWidth[])[SimdWidth.V512, SimdWidth.V256, SimdWidth.V128, SimdWidth.Scalar])
        {
            string mark = width == Isa.Width ? " (in use)" : "";
            writer.Note($"gemm {Gemm.Describe(width)}{mark}{(GemmBlocking.Override is null ? "" : $" [{GemmBlocking.Variable}]")}");
        }
        writer.Note($"fma peak: {MachinePeak.Gflops(1):0.0} GFLOPS on one thread at {Isa.Name(Isa.Width)} (best of several runs)");
    }
}
