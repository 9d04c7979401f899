using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Perf.Training;

/// <summary>
/// The 784-256-128-10 ReLU MLP with softmax cross-entropy and SGD momentum 0.9, seeded, at one batch size;
/// <see cref="Run"/> is one training step (forward, loss, backward, update). perf/compare/torch_train_mlp.py times
/// the same step in PyTorch.
/// </summary>
public sealed class MlpTrainingStep : IDisposable
{
    private readonly Model _model;
    private readonly Trainer _trainer;
    private readonly float[] _inputs;
    private readonly int[] _labels;
    private readonly int _batch;

    public MlpTrainingStep(int batch, int threads = 1)
    {
        _batch = batch;
        _model = new ModelBuilder(784).Dense(256, ActivationKind.Relu).Dense(128, ActivationKind.Relu).Dense(10).Build(seed: 1, maxBatch: batch);
        _trainer = new Trainer(_model, new SoftmaxCrossEntropyLoss(), new Sgd(momentum: 0.9f),
            new TrainerOptions { LearningRate = 0.01f, Threads = threads });
        var random = new DeterministicRandom(7);
        _inputs = new float[batch * 784];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = random.NextSingle();
        _labels = new int[batch];
        for (int i = 0; i < batch; i++) _labels[i] = random.NextInt32(10);
    }

    public void Run() => _trainer.TrainBatch(_inputs, _batch, _labels);

    public void Dispose() => _model.Dispose();
}
