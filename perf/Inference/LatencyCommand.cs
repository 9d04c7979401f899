using Simd.Runtime.Inference;

namespace Simd.Perf.Inference;

/// <summary>
/// <c>latency [--calls N] [--batch B[,B…]] [--load T[,T…]] [--intra-op T[,T…]]</c>: the 784-256-128-10 MLP's
/// per-call latency distribution for each batch size, at each number of concurrently calling threads (load) and
/// intra-op thread count. Defaults: 5,000 calls per thread, batch 1, load 1 and 2, intra-op 1. Two last rows time
/// batch-1 calls ("beside") alternating with a loop that streams a buffer the size of the weights for as long as a
/// call ("noise"): the machine's own tail, taken in the same moments (see NoiseFloor); then where the slow calls
/// fall in time (see SlowCalls).
/// </summary>
public static class LatencyCommand
{
    public static int Run(string[] args)
    {
        int calls = 5000;
        int[] batches = [1], loads = [1, 2], intraOp = [1];
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--calls": calls = int.Parse(Next()); break;
                case "--batch": batches = List(Next()); break;
                case "--load": loads = List(Next()); break;
                case "--intra-op": intraOp = List(Next()); break;
                default:
                    Console.Error.WriteLine($"Unknown option '{args[i]}'; expected --calls, --batch, --load or --intra-op.");
                    return 2;
            }
        }

        Console.WriteLine($"# MLP {string.Join("-", InferenceMlp.DefaultSizes)}, {calls} individually timed calls per thread");
        Console.WriteLine($"{"intra-op",8} {LatencySummary.Header}");
        foreach (int t in intraOp)
        {
            using var model = InferenceMlp.Freeze(new InferenceOptions { MaxBatch = batches.Max(), IntraOpThreads = t });
            foreach (int batch in batches)
                foreach (int load in loads)
                    Console.WriteLine($"{t,8} {LatencyHarness.Measure(model, batch, calls, load)}");
        }
        // Batch-1 calls alternating with a loop that streams the weights' size: the tail the machine adds (NoiseFloor).
        using (var single = InferenceMlp.Freeze(new InferenceOptions { MaxBatch = 1 }))
        {
            var (call, floor) = NoiseFloor.MeasureBeside(single, calls, InferenceMlp.WeightCount);
            Console.WriteLine($"{"beside",8} {call}");
            Console.WriteLine($"{"noise",8} {floor}");
            Console.WriteLine($"# {SlowCalls.Measure(single, Math.Max(calls, 20000))}");
        }
        return 0;
    }

    private static int[] List(string s) => s.Split(',').Select(int.Parse).ToArray();
}
