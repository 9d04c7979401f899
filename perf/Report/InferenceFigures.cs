using Simd.Perf.Inference;
using Simd.Perf.Timing;
using Simd.Runtime.Inference;

namespace Simd.Perf.Report;

/// <summary>
/// <c>infer.mlp.*</c>: the frozen 784-256-128-10 ReLU MLP. Batch 1 on one thread: p50 and p99 of 5,000
/// individually timed calls and the bytes one call allocates; the same p50 with two intra-op threads; batch 256
/// throughput on one thread. About 3 s in all. <c>infer.noise_floor.p99_us</c> is the p99 of a loop that streams a
/// buffer as large as the weights for as long as a call, timed alternately with the batch-1 calls
/// (<see cref="NoiseFloor"/>): the tail this machine adds to any code reading that much memory;
/// <c>infer.noise_floor.beside.p99_us</c> is the p99 of those alternating calls.
/// </summary>
public sealed class InferenceFigures : IReportSection
{
    private const int LatencyCalls = 5000;
    private const int ThroughputCalls = 300;

    public string Name => "infer";

    public void Run(ReportWriter writer)
    {
        if (writer.WantsAnyUnder("infer.mlp.b1.p") || writer.Wants("infer.mlp.b1.alloc_bytes"))
        {
            using var model = InferenceMlp.Freeze(new InferenceOptions { MaxBatch = 1 });
            var s = LatencyHarness.Measure(model, batch: 1, LatencyCalls);
            writer.Add("infer.mlp.b1.p50_us", s.P50, Units.Microseconds);
            writer.Add("infer.mlp.b1.p99_us", s.P99, Units.Microseconds);
            writer.Add("infer.mlp.b1.alloc_bytes", s.AllocatedBytesPerCall, Units.Bytes);
        }
        if (writer.Wants("infer.noise_floor.p99_us"))
        {
            using var model = InferenceMlp.Freeze(new InferenceOptions { MaxBatch = 1 });
            var (call, floor) = NoiseFloor.MeasureBeside(model, LatencyCalls, InferenceMlp.WeightCount);
            // The calls here share the cache with the loop, so only their tail is comparable with the loop's.
            writer.Add("infer.noise_floor.p99_us", floor.P99, Units.Microseconds);
            writer.Add("infer.noise_floor.beside.p99_us", call.P99, Units.Microseconds);
        }
        if (writer.Wants("infer.mlp.b1.t2.p50_us"))
        {
            using var model = InferenceMlp.Freeze(new InferenceOptions { MaxBatch = 1, IntraOpThreads = 2 });
            writer.Add("infer.mlp.b1.t2.p50_us", LatencyHarness.Measure(model, batch: 1, LatencyCalls).P50, Units.Microseconds);
        }
        if (writer.Wants("infer.mlp.arena_bytes"))
        {
            // One call's activation arena at batch 256 (the caller's input and output are not in it).
            using var model = InferenceMlp.Freeze(new InferenceOptions { MaxBatch = 256 });
            writer.Add("infer.mlp.arena_bytes", model.ArenaBytes, Units.Bytes);
        }
        if (writer.Wants("infer.mlp.b256.samples_per_s"))
        {
            using var model = InferenceMlp.Freeze(new InferenceOptions { MaxBatch = 256 });
            // Throughput from the median call (the service rate a steady stream of batches sees, outliers aside),
            // the best of several runs: a rate, unlike the latency percentiles, whose spread is the figure.
            double rate = Measure.Best(Measure.Runs, () => 256 / (LatencyHarness.Measure(model, batch: 256, ThroughputCalls).P50 * 1e-6));
            writer.Add("infer.mlp.b256.samples_per_s", rate, Units.SamplesPerSecond);
        }
    }
}
