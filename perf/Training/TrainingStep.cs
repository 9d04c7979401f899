using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Perf.Training;

/// <summary>
/// One model's training step with softmax cross-entropy and SGD momentum 0.9 (or the given optimizer) at one batch
/// size: <see cref="Run"/> is forward, loss, backward and update on the same seeded batch every time. The step owns
/// the model. perf/compare/torch_train.py times the same steps in PyTorch.
/// </summary>
public sealed class TrainingStep : IDisposable
{
    private readonly Trainer _trainer;
    private readonly float[] _inputs;
    private readonly int[] _labels;

    public TrainingStep(Model model, int batch, int threads = 1, Optimizer? optimizer = null, float learningRate = 0.01f)
    {
        Model = model;
        Batch = batch;
        _trainer = new Trainer(Model, new SoftmaxCrossEntropyLoss(), optimizer ?? new Sgd(momentum: 0.9f),
            new TrainerOptions { LearningRate = learningRate, Threads = threads });
        var random = new DeterministicRandom(7);
        _inputs = new float[batch * model.InputSize];
        for (int i = 0; i < _inputs.Length; i++) _inputs[i] = random.NextSingle();
        _labels = new int[batch];
        for (int i = 0; i < batch; i++) _labels[i] = random.NextInt32(model.OutputSize);
    }

    /// <summary>The 784-256-128-10 ReLU MLP, seeded.</summary>
    /// <param name="batchNorm">Where each hidden layer gets a batch norm, for the subnormal diagnostic.</param>
    public static TrainingStep Mlp(int batch, int threads = 1, Optimizer? optimizer = null, float learningRate = 0.01f,
        BatchNormPlacement batchNorm = BatchNormPlacement.None)
    {
        var builder = new ModelBuilder(784);
        foreach (int width in (int[])[256, 128])
        {
            _ = batchNorm switch
            {
                BatchNormPlacement.BeforeRelu => builder.Dense(width).BatchNorm().Activation(ActivationKind.Relu),
                BatchNormPlacement.AfterRelu => builder.Dense(width, ActivationKind.Relu).BatchNorm(),
                _ => builder.Dense(width, ActivationKind.Relu),
            };
        }
        return new TrainingStep(builder.Dense(10).Build(seed: 1, maxBatch: batch), batch, threads, optimizer, learningRate);
    }

    public Model Model { get; }

    public int Batch { get; }

    /// <summary>The loss of the step's batch before its update.</summary>
    public double LastLoss { get; private set; }

    public void Run() => LastLoss = _trainer.TrainBatch(_inputs, Batch, _labels);

    public void Dispose() => Model.Dispose();
}
