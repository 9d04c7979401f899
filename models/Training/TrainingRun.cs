using System.Diagnostics;
using System.Globalization;
using Simd.Models.Cli;
using Simd.Models.ModelFiles;
using Simd.Models.Reporting;
using Simd.Runtime.Data;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Serialization;
using Simd.Runtime.Training;

namespace Simd.Models.Training;

/// <summary>The one place where the command line hands prepared data and options to the training runtime.</summary>
internal static class TrainingRun
{
    public static int Execute(TrainOptions options, AppConsole console, CancellationToken cancellation)
    {
        var reporter = new TrainingReporter(console);
        reporter.Line(Isa.Describe());
        if (AheadOfTime.Note is string note) reporter.Line(note);
        if (options.Patience > 0 && options.ValidationFraction == 0)
            throw new ArgumentException("--patience needs a validation split to watch: give --validation-fraction a value above 0.");
        foreach (string? target in new[] { options.SavePath, options.CheckpointPath })
        {
            if (target is null) continue;
            foreach (string stale in ModelContainer.RemoveStaleTemporaryFiles(target))
                reporter.Line($"removed stale temporary file {stale} (left by an interrupted save)");
        }
        var clock = Stopwatch.StartNew();
        TrainingData data = TrainingData.Prepare(options);
        reporter.Line(Describe(data) + $"; loaded in {TextLayout.Duration(clock.Elapsed)}");

        Loss loss = TrainingSetup.CreateLoss(options.Loss, options.LabelSmoothing, data.IsBinary, data.Name);
        using Model model = TrainingSetup.BuildModel(options, data);
        ImageAugmentation? augmentation = ImageAugmentation.For(options, data);
        int batchSize = Math.Min(options.BatchSize, data.Train.Count);
        int batchesPerEpoch = (data.Train.Count + batchSize - 1) / batchSize;
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
            EpochCompleted = e =>
            {
                reporter.Epoch(ToReport(e, options.Epochs, data.Validation is not null));
                if (e.Epoch < options.Epochs) augmentation?.Prepare(e.Epoch + 1);
            },
            BatchCompleted = _ => reporter.Batch(),
        };
        var trainer = new Trainer(model, loss, TrainingSetup.CreateOptimizer(options), trainerOptions);
        reporter.Line(DescribeModel(options, model, loss, batchSize));
        if (options.CheckpointPath is string checkpoint && File.Exists(checkpoint))
        {
            trainer.LoadCheckpoint(checkpoint);
            reporter.Line($"resumed from {checkpoint} after epoch {trainer.CompletedEpochs}");
        }
        int resumedEpochs = trainer.CompletedEpochs;
        augmentation?.Prepare(resumedEpochs + 1);

        clock.Restart();
        TrainingHistory history;
        try
        {
            history = reporter.Run($"epoch {resumedEpochs + 1}/{options.Epochs}", (long)(options.Epochs - resumedEpochs) * batchesPerEpoch,
                () => trainer.Fit(augmentation?.Train ?? data.Train, data.Validation, cancellation));
        }
        catch (NonFiniteValueException e) when (!e.IsInInput)
        {
            // The curves up to the divergence are what a user needs to pick a lower rate.
            if (options.PlotPath is string diverged) TrainingPlot.Write(diverged, trainer.History, $"{data.Name}: diverged in epoch {trainer.CompletedEpochs + 1}");
            throw new InvalidOperationException(Diverged(e, options), e);
        }
        TimeSpan trainTime = clock.Elapsed;
        EvaluationResult test = trainer.Evaluate(data.Test);

        reporter.Line(Trained(history, resumedEpochs, trainTime));
        reporter.Line(Invariant($"test loss: {test.Loss:F4} ({test.Count} samples)"));
        if (options.SavePath is string path)
        {
            SavedModel.Save(path, model, loss, options, data);
            reporter.Line($"saved: {path}");
        }
        if (options.PlotPath is string plot)
        {
            TrainingPlot.Write(plot, history.Epochs, Invariant($"{data.Name}: test accuracy {test.Accuracy:F4}"));
            reporter.Line($"plot: {plot}");
        }
        if (ChanceLevel.Warning(test, data.Test) is string warning) reporter.Line(warning);
        reporter.Line(Invariant($"test accuracy: {test.Accuracy:F4}"));
        return 0;
    }

    /// <summary>"trained 1 epoch in 12 ms", or after a resume the epochs this run trained, each named once.</summary>
    internal static string Trained(TrainingHistory history, int resumedEpochs, TimeSpan elapsed)
    {
        int last = history.Epochs.Count == 0 ? resumedEpochs : history.Epochs[^1].Epoch;
        int thisRun = last - resumedEpochs;
        string stop = history.StoppedEarly ? $", stopped early; weights of epoch {history.BestEpoch} restored" : "";
        if (thisRun == 0) return $"nothing left to train: the checkpoint is at epoch {last}{stop}";
        string time = TextLayout.Duration(elapsed);
        if (resumedEpochs == 0) return $"trained {thisRun} epoch{(thisRun == 1 ? "" : "s")} in {time}{stop}";
        return $"trained epochs {resumedEpochs + 1}–{last} ({thisRun} this run) in {time}{stop}";
    }

    /// <summary>The library's divergence report in the command line's terms: which options to change.</summary>
    private static string Diverged(NonFiniteValueException e, TrainOptions options)
    {
        string what = e.Where == "loss" ? "the loss" : "the model's output";
        string lr = TextLayout.Rate(options.EffectiveLearningRate / 10);
        string clip = options.ClipNorm > 0 ? "a smaller --clip-norm" : "--clip-norm 1";
        string scaling = options.Scaling == FeatureScaling.None ? "--scaling standardize" : "the data's scaling";
        // Three short lines rather than one of 150 columns.
        return Invariant($"training diverged: {what} became {e.Value}\nin {e.Position}.\n") +
               $"Try a lower --lr (e.g. {lr}), {clip}, or check {scaling}.";
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
        string shape;
        if (o.Model == ModelChoice.Mlp)
        {
            string widths = string.Join("-", [model.InputSize, .. o.Layers, model.OutputSize]);
            string extras = (o.BatchNorm && o.Layers.Length > 0 ? " + batch-norm" : "") + (o.Dropout > 0 ? Invariant($" + dropout {o.Dropout}") : "");
            shape = $"{widths} {TrainChoices.Activations.NameOf(o.Activation)}{extras}";
        }
        else if (TrainChoices.IsRecurrent(o.Model))
        {
            int side = (int)Math.Round(Math.Sqrt(model.InputSize));
            shape = Invariant($"{TrainChoices.Models.NameOf(o.Model)} over {side} rows of {side} features, {ReferenceNetworks.RecurrentHidden} hidden, {model.OutputSize} outputs");
        }
        else
        {
            int side = (int)Math.Round(Math.Sqrt(model.InputSize));
            shape = Invariant($"{TrainChoices.Models.NameOf(o.Model)} on {side}×{side} images, {model.Nodes.Count} nodes, {model.OutputSize} outputs");
        }
        return Invariant($"model: {shape}, {model.ParameterCount:N0} parameters; ") +
               Invariant($"{loss.Name}, {TrainChoices.Optimizers.NameOf(o.Optimizer)} lr {o.EffectiveLearningRate} {TrainChoices.Schedules.NameOf(o.Schedule)}; ") +
               Invariant($"batch {batchSize}, {o.Epochs} epoch{(o.Epochs == 1 ? "" : "s")}{(o.Augment.Any ? $", augment {o.Augment}" : "")}, seed {o.Seed}, {o.Threads} thread{(o.Threads == 1 ? "" : "s")}");
    }

    private static EpochReport ToReport(EpochResult e, int epochs, bool validation) =>
        new(e.Epoch, epochs, e.TrainLoss, e.TrainAccuracy,
            validation ? e.ValidationLoss : null, validation ? e.ValidationAccuracy : null, e.LearningRate, e.Elapsed, e.Improved);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
