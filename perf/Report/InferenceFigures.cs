using Simd.Perf.Inference;
using Simd.Perf.Timing;
using Simd.Perf.Training;
using Simd.Runtime.Inference;

namespace Simd.Perf.Report;

/// <summary>
/// <c>infer.mlp.*</c>: the frozen 784-256-128-10 ReLU MLP. Batch 1 on one thread: p50 and p99 of 5,000
/// individually timed calls and the bytes one call allocates; the same p50 with two intra-op threads; batch 256
/// throughput on one thread. About 3 s in all. <c>infer.noise_floor.p99_us</c> is the p99 of a loop that streams a
/// buffer as large as the weights for as long as a call, timed alternately with the batch-1 calls
/// (<see cref="NoiseFloor"/>): the tail this machine adds to any code reading that much memory;
/// <c>infer.noise_floor.beside.p99_us</c> is the p99 of those alternating calls.
/// <c>infer.{lenet,resnet}.b1.p50_us</c> and <c>.p99_us</c>: the frozen reference convolutional networks
/// (<see cref="ReferenceNetwork"/>) at batch 1 on one thread, with <c>infer.lenet.b1.alloc_bytes</c>, and
/// <c>infer.lenet.b256.samples_per_s</c>, the same way as the MLP's. About 3 s more. <c>infer.{lstm,gru}.b1.p50_us</c>
/// and <c>.p99_us</c>: the frozen recurrent networks over the whole 28-step sequence at batch 1, with
/// <c>infer.lstm.b1.alloc_bytes</c> and <c>infer.lstm.b256.samples_per_s</c> as LeNet's. About 3 s more.
/// </summary>
public sealed class InferenceFigures : IReportSection
{
    private const int LatencyCalls = 5000;
    private const int ThroughputCalls = 300;

    // A ResNet call costs about 30 MLP calls at batch 1: fewer calls keep the figure near a second.
    private const int ResNetLatencyCalls = 1000;

    // A recurrent call (28 steps) costs a few MLP calls at batch 1.
    private const int RecurrentLatencyCalls = 3000;

    // A LeNet or LSTM call at batch 256 costs about 40 MLP calls; the latency harness's 100 warm-up calls per run would
    // take seconds, so the throughput is timed like the training step: a short warm-up, then the median of a budget.
    private static readonly TimeSpan LeNetThroughputBudget = TimeSpan.FromSeconds(0.4);

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
        RunLatency(writer, ReferenceNetwork.LeNet, LatencyCalls, withAllocation: true);
        RunLatency(writer, ReferenceNetwork.ResNet, ResNetLatencyCalls, withAllocation: false);
        RunThroughput(writer, ReferenceNetwork.LeNet, batch: 256);
        RunLatency(writer, ReferenceNetwork.Lstm, RecurrentLatencyCalls, withAllocation: true);
        RunThroughput(writer, ReferenceNetwork.Lstm, batch: 256);
        RunLatency(writer, ReferenceNetwork.Gru, RecurrentLatencyCalls, withAllocation: false);
    }

    private static void RunThroughput(ReportWriter writer, ReferenceNetwork network, int batch)
    {
        string name = $"infer.{network}.b{batch}.samples_per_s";
        if (!writer.Wants(name)) return;
        using var model = network.Freeze(new InferenceOptions { MaxBatch = batch });
        var input = InferenceMlp.Inputs(batch * model.InputSize);
        var output = new float[batch * model.OutputSize];
        var m = Measure.Best(Measure.Runs, () => Measure.Run(() => model.Predict(input, batch, output), LeNetThroughputBudget, minRepetitions: 10));
        writer.Add(name, batch / m.MedianSeconds, Units.SamplesPerSecond);
    }

    private static void RunLatency(ReportWriter writer, ReferenceNetwork network, int calls, bool withAllocation)
    {
        string name = $"infer.{network}.b1";
        if (!writer.WantsAnyUnder(name + ".p") && !(withAllocation && writer.Wants(name + ".alloc_bytes"))) return;
        using var model = network.Freeze(new InferenceOptions { MaxBatch = 1 });
        var s = LatencyHarness.Measure(model, batch: 1, calls);
        writer.Add(name + ".p50_us", s.P50, Units.Microseconds);
        writer.Add(name + ".p99_us", s.P99, Units.Microseconds);
        if (withAllocation) writer.Add(name + ".alloc_bytes", s.AllocatedBytesPerCall, Units.Bytes);
    }
}
