using System.Diagnostics;
using System.Globalization;
using Simd.Models.Cli;
using Simd.Models.ModelFiles;
using Simd.Models.Reporting;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Training;

namespace Simd.Models.Training;

/// <summary>The one place where the command line hands prepared data and options to the training runtime.</summary>
internal static class TrainingRun
{
    public static int Execute(TrainOptions options, AppConsole console, CancellationToken cancellation)
    {
        console.Output.WriteLine(Isa.Describe());
        if (options.Patience > 0 && options.ValidationFraction == 0)
            throw new ArgumentException("--patience needs a validation split to watch: give --validation-fraction a value above 0.");
        var clock = Stopwatch.StartNew();
        TrainingData data = TrainingData.Prepare(options);
        console.Output.WriteLine(Describe(data) + Invariant($"; loaded in {clock.Elapsed.TotalSeconds:F1} s"));

        Loss loss = TrainingSetup.CreateLoss(options.Loss, options.LabelSmoothing, data.IsBinary, data.Name);
        using Model model = TrainingSetup.BuildModel(options, data);
        int batchSize = Math.Min(options.BatchSize, data.Train.Count);
        int batchesPerEpoch = (data.Train.Count + batchSize - 1) / batchSize;
        var reporter = new TrainingReporter(console);
        var trainerOptions = new TrainerOptions
        {
            Epochs = options.Epochs,
            BatchSize = batchSize,
            Seed = options.Seed,
            Threads = options.Threads,
            LearningRate = options.EffectiveLearningRate,
            Schedule = TrainingSetup.CreateSchedule(options, batchesPerEpoch),
            ClipGradientNorm = options.ClipNorm,
            EarlyStoppingPatience = options.Patience,
            RestoreBestWeights = true,
            CheckpointPath = options.CheckpointPath,
            EpochCompleted = e => reporter.Epoch(ToReport(e, options.Epochs, data.Validation is not null)),
            BatchCompleted = _ => reporter.Batch(),
        };
        var trainer = new Trainer(model, loss, TrainingSetup.CreateOptimizer(options), trainerOptions);
        console.Output.WriteLine(DescribeModel(options, model, loss, batchSize));
        if (options.CheckpointPath is string checkpoint && File.Exists(checkpoint))
        {
            trainer.LoadCheckpoint(checkpoint);
            console.Output.WriteLine($"resumed from {checkpoint} after epoch {trainer.CompletedEpochs}");
        }

        clock.Restart();
        TrainingHistory history = reporter.Run($"epoch 1/{options.Epochs}", (long)options.Epochs * batchesPerEpoch,
            () => trainer.Fit(data.Train, data.Validation, cancellation));
        double trainSeconds = clock.Elapsed.TotalSeconds;
        EvaluationResult test = trainer.Evaluate(data.Test);

        string stop = history.StoppedEarly ? $", stopped early; weights of epoch {history.BestEpoch} restored" : "";
        console.Output.WriteLine(Invariant($"trained {history.Epochs.Count} epochs in {trainSeconds:F1} s{stop}"));
        console.Output.WriteLine(Invariant($"test loss: {test.Loss:F4} ({test.Count} samples)"));
        if (options.SavePath is string path)
        {
            SavedModel.Save(path, model, loss, options, data);
            console.Output.WriteLine($"saved: {path}");
        }
        console.Output.WriteLine(Invariant($"test accuracy: {test.Accuracy:F4}"));
        return 0;
    }

    internal static string Describe(TrainingData data)
    {
        string output = data.IsBinary ? "binary (1 sigmoid output)" : $"{data.Train.ClassCount} classes";
        string validation = data.Validation is null ? "" : $", validation {data.Validation.Count}";
        return $"data: {data.Name}, {data.Train.FeatureCount} features, {output}; train {data.Train.Count}{validation}, test {data.Test.Count}; " +
               $"scaling {TrainChoices.Scalings.NameOf(data.Scaler.Kind)}";
    }

    private static string DescribeModel(TrainOptions o, Model model, Loss loss, int batchSize)
    {
        string widths = string.Join("-", [model.InputSize, .. o.Layers, model.OutputSize]);
        string extras = (o.BatchNorm && o.Layers.Length > 0 ? " + batch-norm" : "") + (o.Dropout > 0 ? Invariant($" + dropout {o.Dropout}") : "");
        return Invariant($"model: {widths} {TrainChoices.Activations.NameOf(o.Activation)}{extras}, {model.ParameterCount:N0} parameters; ") +
               Invariant($"{loss.Name}, {TrainChoices.Optimizers.NameOf(o.Optimizer)} lr {o.EffectiveLearningRate} {TrainChoices.Schedules.NameOf(o.Schedule)}, ") +
               Invariant($"batch {batchSize}, {o.Epochs} epochs, seed {o.Seed}, {o.Threads} thread{(o.Threads == 1 ? "" : "s")}");
    }

    private static EpochReport ToReport(EpochResult e, int epochs, bool validation) =>
        new(e.Epoch, epochs, e.TrainLoss, e.TrainAccuracy,
            validation ? e.ValidationLoss : null, validation ? e.ValidationAccuracy : null, e.LearningRate, e.Elapsed, e.Improved);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
