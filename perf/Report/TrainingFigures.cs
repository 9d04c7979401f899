using Simd.Perf.Timing;
using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Perf.Report;

/// <summary>
/// <c>train.mlp.b{1,32,512}.ms</c>: median milliseconds per training step (forward, softmax cross-entropy,
/// backward, SGD with momentum 0.9) of the 784-256-128-10 ReLU MLP on one thread, and
/// <c>train.mlp.b32.alloc_bytes</c>: bytes allocated per step after warm-up (0 is the target).
/// perf/compare/torch_train_mlp.py times the same step in PyTorch.
/// </summary>
public sealed class TrainingFigures : IReportSection
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    public string Name => "train";

    public void Run(ReportWriter writer)
    {
        foreach (int batch in (int[])[1, 32, 512])
        {
            string name = $"train.mlp.b{batch}.ms";
            bool wantsAllocation = batch == 32 && writer.Wants("train.mlp.b32.alloc_bytes");
            if (!writer.Wants(name) && !wantsAllocation) continue;
            var step = new MlpStep(batch);
            var m = Measure.Run(step.Run, Budget, minRepetitions: 5);
            if (writer.Wants(name)) writer.Add(name, m.MedianSeconds * 1e3, Units.Milliseconds);
            if (wantsAllocation) writer.Add("train.mlp.b32.alloc_bytes", m.AllocatedBytesPerCall, Units.Bytes);
            step.Dispose();
        }
    }

    /// <summary>One seeded model, batch and trainer; <see cref="Run"/> is one training step.</summary>
    internal sealed class MlpStep : IDisposable
    {
        private readonly Model _model;
        private readonly Trainer _trainer;
        private readonly float[] _inputs;
        private readonly int[] _labels;
        private readonly int _batch;

        public MlpStep(int batch, int threads = 1)
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
}
