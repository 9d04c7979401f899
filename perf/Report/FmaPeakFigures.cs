using System.Runtime.Intrinsics;
using Simd.Perf.Timing;
using Simd.Runtime.Intrinsics;

namespace Simd.Perf.Report;

/// <summary>
/// <c>fma_peak.t1</c> and <c>fma_peak.t2</c>: multiply-add GFLOPS at the kernels' width on one and two threads.
/// Where the hardware also accelerates a narrower width of at least 256 bits, its one-thread peak is added as
/// <c>fma_peak.v256.t1</c>, because a kernel may choose that width on such a machine.
/// </summary>
public sealed class FmaPeakFigures : IReportSection
{
    public string Name => "fma_peak";

    public void Run(ReportWriter writer)
    {
        foreach (int threads in (int[])[1, 2])
        {
            string name = $"fma_peak.t{threads}";
            if (writer.Wants(name)) writer.Add(name, MachinePeak.Gflops(threads), Units.Gflops);
        }

        if (Isa.Width == SimdWidth.V512 && Vector256.IsHardwareAccelerated && writer.Wants("fma_peak.v256.t1"))
            writer.Add("fma_peak.v256.t1", FmaPeak.Measure(SimdWidth.V256, 1, MachinePeak.Budget), Units.Gflops);
    }
}
