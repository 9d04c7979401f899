using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Training;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// A self-attention block (a Dense over tokens split into Q, K and V, the keys transposed, two MatMuls of values,
/// softmax, residual and LayerNorm) trains and serves without allocating, and its training lowers the loss.
/// </summary>
public sealed class AttentionAllocationTests
{
    private const int Tokens = 6, Width = 8, Classes = 3;

    private static Model Attention(int maxBatch)
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(Tokens, Width));
        // One projection cut into Q, K and V, as fused attention layers keep them.
        IReadOnlyList<Value> qkv = g.Split(g.Dense(x, 3 * Width), -1, Width, Width, Width);
        Value q = qkv[0], k = qkv[1], v = qkv[2];
        Value scores = g.Softmax(g.MatMul(q, g.Transpose(k, 1, 0)));
        Value h = g.LayerNorm(g.Add(x, g.MatMul(scores, v)));
        g.Output(g.Dense(g.Flatten(h), Classes));
        return g.Build(seed: 3, maxBatch: maxBatch);
    }

    [Fact]
    public void TrainingStepsAndInferenceCallsAllocateNothing()
    {
        const int rows = 16, sample = Tokens * Width;
        using Model model = Attention(rows);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Threads = 1, LearningRate = 0.01f });
        var input = TestModels.RandomArray(rows * sample, 5);
        var labels = Enumerable.Range(0, rows).Select(i => i % Classes).ToArray();
        double first = trainer.TrainBatch(input, rows, labels);
        void Steps()
        {
            for (int i = 0; i < 3; i++) trainer.TrainBatch(input, rows, labels);
            trainer.TrainBatch(input.AsSpan(0, 7 * sample), 7, labels.AsSpan(0, 7));
            trainer.TrainBatch(input.AsSpan(0, sample), 1, labels.AsSpan(0, 1));
        }
        Assert.Equal(0, Allocations.OnThisThread(Steps));
        double last = 0;
        for (int i = 0; i < 30; i++) last = trainer.TrainBatch(input, rows, labels);
        Assert.True(last < first, $"the loss went from {first} to {last}");

        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = rows, IntraOpThreads = 1 });
        var output = new float[rows * Classes];
        var expected = model.Forward(input, rows, training: false).ToArray();
        frozen.Predict(input, rows, output);
        for (int i = 0; i < output.Length; i++) Assert.Equal(expected[i], output[i], 1e-5f);
        void Calls()
        {
            frozen.Predict(input, rows, output);
            frozen.Predict(input.AsSpan(0, sample), output.AsSpan(0, Classes));
        }
        Assert.Equal(0, Allocations.OnThisThread(Calls));
    }
}
