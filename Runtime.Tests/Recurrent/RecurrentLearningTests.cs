using Simd.Runtime.Graphs;
using Simd.Runtime.Losses;
using Simd.Runtime.Ops;
using Simd.Runtime.Optimization;
using Simd.Runtime.Tensors;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Recurrent;

/// <summary>
/// Each cell learns a task only memory across steps solves: the class is the step (of 8) at which a marker
/// appeared in the first feature, the other features noise, read from the final state.
/// </summary>
public sealed class RecurrentLearningTests
{
    private const int Steps = 8, Features = 3, Samples = 64;

    [Theory]
    [MemberData(nameof(RecurrentNetworks.Names), MemberType = typeof(RecurrentNetworks))]
    public void LearnsWhereTheMarkerWas(string cell)
    {
        var rng = new Random(5);
        var x = new float[Samples * Steps * Features];
        var labels = new int[Samples];
        for (int n = 0; n < Samples; n++)
        {
            labels[n] = n % 4;
            for (int t = 0; t < Steps; t++)
                for (int f = 0; f < Features; f++)
                    x[(n * Steps + t) * Features + f] = f == 0 ? (t == 2 * labels[n] ? 1f : 0f) : (float)(rng.NextDouble() - 0.5);
        }
        var g = new GraphBuilder();
        var input = g.Input(new TensorShape(Steps, Features));
        g.Output(g.Dense(RecurrentNetworks.Layer(g, cell, input, 16, RecurrentDirection.Forward, returnSequence: false), 4));
        using var model = g.Build(seed: 2, maxBatch: Samples);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { LearningRate = 0.02f });
        double first = trainer.TrainBatch(x, Samples, labels), last = first;
        for (int step = 0; step < 150; step++) last = trainer.TrainBatch(x, Samples, labels);
        Assert.True(last < 0.1 * first, $"{cell}: the loss went from {first:F4} to {last:F4}");
    }
}
