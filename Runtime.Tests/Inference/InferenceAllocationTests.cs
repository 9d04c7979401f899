using System.Diagnostics.Metrics;
using Simd.Runtime.Inference;
using Simd.Runtime.Models;

namespace Simd.Runtime.Tests.Inference;

/// <summary>
/// Process-wide allocation counts and a process-wide meter listener: these tests run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(nameof(InferenceAllocationTests), DisableParallelization = true)]
public sealed class InferenceAllocationCollection;

[Collection(nameof(InferenceAllocationTests))]
public class InferenceAllocationTests
{
    private static readonly Model Plan = InferencePlans.Mlp();

    [Fact]
    public void CallsAllocateNothingOnOneThread()
    {
        using var model = InferenceModel.Freeze(Plan, new InferenceOptions { MaxBatch = 8 });
        var input = InferencePlans.Uniform(new Random(1), 8 * model.InputSize, 1f);
        var output = new float[8 * model.OutputSize];
        var row = new float[model.OutputSize];
        void Calls()
        {
            model.Predict(input.AsSpan(0, model.InputSize), row);
            model.Predict(input, 8, output);
            model.PredictClass(input.AsSpan(0, model.InputSize));
            model.PredictProbabilities(input.AsSpan(0, model.InputSize), row);
        }
        Assert.Equal(0, Allocations.OnThisThread(() =>
        {
            for (int i = 0; i < 200; i++) Calls();
        }));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void CallsAllocateNothingWithThreadsCallingAtOnce(int intraOpThreads)
    {
        var plan = InferencePlans.Mlp(inputs: 96, hidden1: 256, hidden2: 128, outputs: 10);
        using var model = InferenceModel.Freeze(plan, new InferenceOptions { MaxBatch = 4, IntraOpThreads = intraOpThreads });
        const int threads = 3, calls = 1000;
        var input = InferencePlans.Uniform(new Random(2), 4 * model.InputSize, 1f);
        using var start = new Barrier(threads + 1);
        using var done = new Barrier(threads + 1);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var output = new float[4 * model.OutputSize];
            // Rounds 0 and 1 warm up under the same contention as round 2: the pool grows to as many scratch objects
            // as calls ever overlap, GEMM's workers start, the JIT settles. Round 2 is measured.
            for (int round = 0; round < 3; round++)
            {
                start.SignalAndWait();
                for (int i = 0; i < calls; i++)
                    model.Predict(input.AsSpan(0, (1 + t) * model.InputSize), 1 + t, output.AsSpan(0, (1 + t) * model.OutputSize));
                done.SignalAndWait();
            }
        })).ToArray();
        foreach (var w in workers) w.Start();
        for (int warm = 0; warm < 2; warm++)
        {
            start.SignalAndWait();
            done.SignalAndWait();
        }
        start.SignalAndWait();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        done.SignalAndWait();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        foreach (var w in workers) w.Join();
        // The whole process is counted: the runtime and the test host allocate a few hundred bytes now and then
        // (thread synchronisation, tiering). The smallest per-call allocation, 24 bytes × 3000 calls, is 72 KB.
        Assert.True(allocated < 16 * 1024, $"{allocated} bytes allocated over {threads * calls} concurrent calls");
    }

    [Fact]
    public void MetricsCountCallsAndRecordWithoutAllocating()
    {
        using var model = InferenceModel.Freeze(Plan, new InferenceOptions { MaxBatch = 4 });
        var input = InferencePlans.Uniform(new Random(3), 4 * model.InputSize, 1f);
        var output = new float[4 * model.OutputSize];
        var listener = new MeterListener();
        var sink = new MetricSink();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Simd.Runtime.Inference") l.EnableMeasurementEvents(instrument, sink);
        };
        listener.SetMeasurementEventCallback<long>((i, v, _, state) => ((MetricSink)state!).Calls += v);
        listener.SetMeasurementEventCallback<int>((i, v, _, state) => ((MetricSink)state!).Samples += v);
        listener.SetMeasurementEventCallback<double>((i, v, _, state) =>
        {
            var s = (MetricSink)state!;
            s.LatencyRecords++;
            s.MinLatency = Math.Min(s.MinLatency, v);
        });
        using (listener)
        {
            listener.Start();
            model.Predict(input, 4, output);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 99; i++) model.Predict(input.AsSpan(0, 2 * model.InputSize), 2, output.AsSpan(0, 2 * model.OutputSize));
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(100, sink.Calls);
        Assert.Equal(4 + 99 * 2, sink.Samples);
        Assert.Equal(100, sink.LatencyRecords);
        Assert.True(sink.MinLatency >= 0);

        // With the listener gone the instruments are off again: nothing more is counted, nothing is timed.
        Assert.False(InferenceMetrics.Calls.Enabled);
        Assert.False(InferenceMetrics.Latency.Enabled);
        Assert.False(InferenceMetrics.BatchSize.Enabled);
        model.Predict(input, 4, output);
        Assert.Equal(100, sink.Calls);
    }

    private sealed class MetricSink
    {
        public long Calls;
        public long Samples;
        public int LatencyRecords;
        public double MinLatency = double.MaxValue;
    }
}
