using Simd.Perf.Timing;
using Simd.Perf.Training;

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
            using var step = new MlpTrainingStep(batch);
            var m = Measure.Run(step.Run, Budget, minRepetitions: 5);
            if (writer.Wants(name)) writer.Add(name, m.MedianSeconds * 1e3, Units.Milliseconds);
            if (wantsAllocation) writer.Add("train.mlp.b32.alloc_bytes", m.AllocatedBytesPerCall, Units.Bytes);
        }
    }
}
