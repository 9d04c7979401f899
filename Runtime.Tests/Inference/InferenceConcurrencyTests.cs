using Simd.Runtime.Inference;

namespace Simd.Runtime.Tests.Inference;

public class InferenceConcurrencyTests
{
    [Fact]
    public void ManyThreadsOnOneModelGetBitwiseTheSingleThreadOutputs()
    {
        var plan = InferencePlans.Mlp();
        using var model = InferenceModel.Freeze(plan, new InferenceOptions { MaxBatch = 4 });
        const int samples = 64;
        var rng = new Random(9);
        var inputs = Enumerable.Range(0, samples).Select(_ => InferencePlans.Uniform(rng, plan.InputSize, 2f)).ToArray();
        var expected = inputs.Select(x =>
        {
            var y = new float[model.OutputSize];
            model.Predict(x, y);
            return y;
        }).ToArray();
        var expectedBatch = new float[4 * model.OutputSize];
        var batchInput = inputs.Take(4).SelectMany(x => x).ToArray();
        model.Predict(batchInput, 4, expectedBatch);

        const int threads = 6, callsPerThread = 400;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var output = new float[model.OutputSize];
            var batchOutput = new float[4 * model.OutputSize];
            start.SignalAndWait();
            for (int call = 0; call < callsPerThread; call++)
            {
                int s = (call * 7 + t * 13) % samples;
                if (call % 5 == 4)
                {
                    model.Predict(batchInput, 4, batchOutput);
                    if (!InferencePlans.BitwiseEqual(batchOutput, expectedBatch)) failures.Enqueue($"thread {t} call {call}: batch differs");
                }
                else
                {
                    model.Predict(inputs[s], output);
                    if (!InferencePlans.BitwiseEqual(output, expected[s])) failures.Enqueue($"thread {t} call {call}: sample {s} differs");
                }
            }
        })).ToArray();
        foreach (var w in workers) w.Start();
        foreach (var w in workers) w.Join();
        Assert.Empty(failures);
    }
}
