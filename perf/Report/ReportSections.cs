namespace Simd.Perf.Report;

/// <summary>
/// The report's sections, in the order they run. The whole report must finish within two minutes on a 2-core
/// machine: FMA peak ~5 s, GEMM ≤ 60 s, the ONNX load ~15 s (10 child processes), leaving the rest to the training
/// and inference sections.
/// </summary>
public static class ReportSections
{
    public static IReadOnlyList<IReportSection> All() =>
    [
        new FmaPeakFigures(),
        new ReadBandwidthFigures(),
        new GemmFigures(),
        new TrainingFigures(),
        new InferenceFigures(),
        new OnnxLoadFigures(),
    ];
}
