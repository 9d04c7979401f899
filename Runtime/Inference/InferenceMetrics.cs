using System.Diagnostics.Metrics;

namespace Simd.Runtime.Inference;

/// <summary>
/// The runtime's inference instruments. Each call checks <c>Enabled</c> first, so with nobody listening a call pays
/// three field reads; with a listener it records without allocating (no tags).
/// </summary>
internal static class InferenceMetrics
{
    public const string MeterName = "Simd.Runtime.Inference";

    public static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Calls =
        Meter.CreateCounter<long>("simd.inference.calls", "{call}", "Predict calls completed.");

    public static readonly Histogram<double> Latency =
        Meter.CreateHistogram<double>("simd.inference.latency", "us", "Wall time of one Predict call, in microseconds.");

    public static readonly Histogram<int> BatchSize =
        Meter.CreateHistogram<int>("simd.inference.batch_size", "{sample}", "Samples per Predict call.");
}
