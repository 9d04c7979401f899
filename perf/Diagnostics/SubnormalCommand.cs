using System.Diagnostics;
using System.Globalization;
using Simd.Perf.Training;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Optimization;

namespace Simd.Perf.Diagnostics;

/// <summary>
/// <c>subnormals [--steps N] [--batch B] [--optimizer sgd|adam] [--batchnorm before|after] [--every K]</c>: trains the perf MLP on
/// one batch, the vanishing-gradient case (the batch is fitted, its gradients decay towards zero, dead ReLU units
/// have none), and every K steps prints how many values are subnormal in each kind of buffer, beside the median
/// step time since the last line. Shows where subnormals still arise once the optimizer flushes its own.
/// </summary>
public static class SubnormalCommand
{
    public const string Usage = "subnormals [--steps N] [--batch B] [--optimizer sgd|adam] [--batchnorm before|after] [--every K]";

    public static int Run(string[] args)
    {
        int steps = 3000, batch = 32, every = 500;
        string optimizer = "sgd";
        var batchNorm = BatchNormPlacement.None;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--steps" when i + 1 < args.Length && Positive(args[i + 1]) is int n: steps = n; i++; break;
                case "--batch" when i + 1 < args.Length && Positive(args[i + 1]) is int b: batch = b; i++; break;
                case "--every" when i + 1 < args.Length && Positive(args[i + 1]) is int k: every = k; i++; break;
                case "--optimizer" when i + 1 < args.Length && args[i + 1] is "sgd" or "adam": optimizer = args[++i]; break;
                case "--batchnorm" when i + 1 < args.Length && args[i + 1] is "before" or "after":
                    batchNorm = args[++i] == "before" ? BatchNormPlacement.BeforeRelu : BatchNormPlacement.AfterRelu;
                    break;
                default:
                    Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'; usage: {Usage}");
                    return 2;
            }
        }

        // The perf step's SGD (momentum 0.9, lr 0.01), or Adam at the learning rate one would train with.
        using var step = optimizer == "adam"
            ? TrainingStep.Mlp(batch, optimizer: new Adam(), learningRate: 1e-3f, batchNorm: batchNorm)
            : TrainingStep.Mlp(batch, batchNorm: batchNorm);
        var model = step.Model;
        var block = model.Parameters;
        Console.WriteLine($"# {model}, {optimizer}, batch {batch}, the same batch every step; counts are subnormal values");
        Console.WriteLine($"# {"step",6} {"ms/step",8} {"loss",9} {"weights",8} {"w.grads",8} {"state0",8} {"state1",8} {"acts",8} {"act.grads",9} {"bn.stats",8}");
        var times = new List<double>();
        for (int s = 1; s <= steps; s++)
        {
            long start = Stopwatch.GetTimestamp();
            step.Run();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (s % every != 0 && s != 1) continue;
            int activations = 0, activationGradients = 0;
            for (int l = 0; l < model.Nodes.Count; l++)
            {
                activations += Subnormals.Count(model.NodeOutput(l, batch));
                activationGradients += Subnormals.Count(model.NodeOutputGradient(l, batch));
            }
            bool hasBatchNorm = model.HasBatchNorm;
            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {s,6} {times[times.Count / 2],8:0.000} {step.LastLoss,9:0.###e+0} {Subnormals.Count(block.Parameters),8} {Subnormals.Count(block.Gradients),8} " +
                $"{Subnormals.Count(block.OptimizerState(0)),8} {Subnormals.Count(block.OptimizerState(1)),8} {activations,8} {activationGradients,9} " +
                $"{(hasBatchNorm ? Subnormals.Count(block.Buffers).ToString(CultureInfo.InvariantCulture) : "-"),8}"));
            times.Clear();
        }
        Console.WriteLine("# state0/state1: SGD's velocity (state1 unused), Adam's m and v; acts/act.grads: every layer's outputs and dLoss/d(outputs)");
        return 0;
    }

    private static int? Positive(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : null;
}
