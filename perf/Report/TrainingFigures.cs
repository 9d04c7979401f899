using Simd.Perf.Timing;
using Simd.Perf.Training;

namespace Simd.Perf.Report;

/// <summary>
/// <c>train.mlp.b{1,32,512}.ms</c>: median milliseconds per training step (forward, softmax cross-entropy,
/// backward, SGD with momentum 0.9) of the 784-256-128-10 ReLU MLP on one thread, and
/// <c>train.mlp.b32.alloc_bytes</c>: bytes allocated per step after warm-up (0 is the target).
/// <c>train.mlp.b32.arena_bytes</c>: the activation arena of that model at batch 32.
/// <c>train.mlp.b{1,32}.steady_ms</c>: the median step of a fresh model after <see cref="SteadySteps"/> steps on its
/// one batch, when the fitted batch's gradients have vanished and the momentum buffer has decayed through the range
/// where it would be subnormal without the optimizer's flush (several times slower steps on Intel cores).
/// <c>train.{lenet,resnet,lstm,gru}.b32.ms</c>: the same step of the reference networks (<see cref="ReferenceNetwork"/>;
/// the recurrent ones backpropagate through all 28 steps), best of three medians, with <c>.pct_peak</c>: the step's
/// multiply-add FLOPs (<see cref="StepFlops"/>) per second over the one-thread FMA peak; <c>train.{lenet,lstm,gru}.b32.alloc_bytes</c> per step.
/// perf/compare/torch_train.py times the same steps in PyTorch.
/// </summary>
public sealed class TrainingFigures : IReportSection
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SteadyBudget = TimeSpan.FromSeconds(1);

    /// <summary>Steps before the steady figure: momentum 0.9 decays a buffer from 1 to below 2⁻¹²⁶ in about 830.</summary>
    public const int SteadySteps = 2000;

    public string Name => "train";

    public void Run(ReportWriter writer)
    {
        foreach (int batch in (int[])[1, 32, 512])
        {
            string name = $"train.mlp.b{batch}.ms";
            bool wantsAllocation = batch == 32 && writer.Wants("train.mlp.b32.alloc_bytes");
            if (!writer.Wants(name) && !wantsAllocation) continue;
            using var step = TrainingStep.Mlp(batch);
            var m = Measure.Best(Measure.Runs, () => Measure.Run(step.Run, Budget / Measure.Runs, minRepetitions: 5));
            if (writer.Wants(name)) writer.Add(name, m.MedianSeconds * 1e3, Units.Milliseconds);
            if (wantsAllocation) writer.Add("train.mlp.b32.alloc_bytes", m.AllocatedBytesPerCall, Units.Bytes);
        }
        if (writer.Wants("train.mlp.b32.arena_bytes"))
        {
            // Values, their gradients and node scratch, planned from lifetimes for 32 rows.
            using var step = TrainingStep.Mlp(32);
            writer.Add("train.mlp.b32.arena_bytes", step.Model.ArenaBytes, Units.Bytes);
        }
        foreach (int batch in (int[])[1, 32])
        {
            string name = $"train.mlp.b{batch}.steady_ms";
            if (!writer.Wants(name)) continue;
            using var step = TrainingStep.Mlp(batch);
            for (int i = 0; i < SteadySteps; i++) step.Run();
            var m = Measure.Run(step.Run, SteadyBudget, warmup: TimeSpan.Zero, minRepetitions: 5);
            writer.Add(name, m.MedianSeconds * 1e3, Units.Milliseconds);
        }
        RunNetwork(writer, ReferenceNetwork.LeNet, batch: 32, withAllocation: true);
        RunNetwork(writer, ReferenceNetwork.ResNet, batch: 32, withAllocation: false);
        RunNetwork(writer, ReferenceNetwork.Lstm, batch: 32, withAllocation: true);
        RunNetwork(writer, ReferenceNetwork.Gru, batch: 32, withAllocation: true);
    }

    private static void RunNetwork(ReportWriter writer, ReferenceNetwork network, int batch, bool withAllocation)
    {
        string name = $"train.{network}.b{batch}";
        bool wantsAllocation = withAllocation && writer.Wants(name + ".alloc_bytes");
        if (!writer.Wants(name + ".ms") && !wantsAllocation && !writer.Wants(name + ".pct_peak")) return;
        using var step = network.TrainingStep(batch);
        var flops = StepFlops.PerSample(step.Model.Graph);
        writer.Note($"{name}: {flops.Training / 1e6:0.###} MFLOP per sample (convolution, recurrent and dense multiply-adds, forward and backward)");
        var m = Measure.Best(Measure.Runs, () => Measure.Run(step.Run, Budget / Measure.Runs, minRepetitions: 5));
        if (writer.Wants(name + ".ms")) writer.Add(name + ".ms", m.MedianSeconds * 1e3, Units.Milliseconds);
        if (wantsAllocation) writer.Add(name + ".alloc_bytes", m.AllocatedBytesPerCall, Units.Bytes);
        if (writer.Wants(name + ".pct_peak"))
            writer.Add(name + ".pct_peak", MachinePeak.Percent(m.Gflops(flops.Training * batch), threads: 1), Units.Percent);
    }
}
