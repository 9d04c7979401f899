using System.Globalization;
using System.Text;
using Simd.Models.Plotting;
using Simd.Runtime.Data;
using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Models.Experiments;

/// <summary>
/// The usual training tips, each measured on the same data: dropout, weight decay, early stopping, Xavier against He
/// initialisation, learning-rate schedules, and a gradient check that catches a broken backward pass.
/// </summary>
internal sealed partial class TipsExperiment : Experiment
{
    public static readonly float[] Decays = [0f, 1e-4f, 1e-3f, 1e-2f, 3e-2f, 1e-1f];

    public static readonly string[] Schedules = ["constant", "step", "cosine", "warm-up + cosine"];

    public static readonly string[] Initializers = ["Xavier uniform", "He uniform"];

    public override string Name => "tips";

    public override string Title => "Training tips, measured";

    public override string Question =>
        "What do dropout, weight decay, early stopping, Xavier or He initialisation and learning-rate schedules change on a real run, " +
        "and does a gradient check catch a backward pass whose derivative is off by a factor?";

    internal sealed record Settings(int Width, int Epochs, int MaxEpochs, int SmallTrain, int InitWidth, int MaxTrain)
    {
        public static readonly Settings Quick = new(128, 15, 60, 400, 128, int.MaxValue);
        public static readonly Settings Full = new(256, 20, 60, 5_000, 256, 20_000);
    }

    public override void Run(ExperimentContext context)
    {
        var settings = context.Quick ? Settings.Quick : Settings.Full;
        var data = ExperimentData.Load(context.Quick);
        var train = Head(data.Train, settings.MaxTrain);
        context.Setup = string.Create(CultureInfo.InvariantCulture,
            $"{data.Describe()} (training on the first {train.Count}). Unless a section says otherwise: two hidden ReLU layers of {settings.Width}, " +
            $"batch 32, {settings.Epochs} epochs, train-set figures evaluated in evaluation mode after each epoch (no dropout), " +
            $"test accuracy on the held-out test split.");
        int threads = context.Quick ? 1 : Environment.ProcessorCount;
        Dropout(context, settings, train, data, threads);
        WeightDecay(context, settings, train, data, threads);
        EarlyStopping(context, settings, data, threads);
        Initialisation(context, settings, train);
        LearningRateSchedules(context, settings, train, data, threads);
        GradientCheck(context, data);
    }

    private static Dataset Head(Dataset data, int count) =>
        data.Count > count ? data.Subset(Enumerable.Range(0, count).ToArray()) : data;

    private static Model Mlp(int inputs, int classes, int width, float dropout = 0f)
    {
        var builder = new ModelBuilder(inputs).Dense(width, ActivationKind.Relu);
        if (dropout > 0) builder.Dropout(dropout);
        builder.Dense(width, ActivationKind.Relu);
        if (dropout > 0) builder.Dropout(dropout);
        return builder.Dense(classes).Build(seed: 5);
    }

    private static TrainerOptions Options(int epochs, int threads, float learningRate) =>
        new() { Epochs = epochs, BatchSize = 32, LearningRate = learningRate, Threads = threads };

    private static void Dropout(ExperimentContext context, Settings settings, Dataset train, ExperimentData data, int threads)
    {
        var table = context.Table("dropout.csv", "dropout", "epoch", "train_loss", "train_accuracy", "validation_loss", "validation_accuracy");
        var lossSeries = new List<Series>();
        var accuracySeries = new List<Series>();
        var gaps = new List<(float Rate, double Gap, double Validation, double Test)>();
        foreach (float rate in new[] { 0f, 0.5f })
        {
            string label = rate == 0 ? "no dropout" : string.Create(CultureInfo.InvariantCulture, $"dropout {rate}");
            using var model = Mlp(train.FeatureCount, train.ClassCount, settings.Width, rate);
            var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), Options(settings.Epochs, threads, 1e-3f));
            var points = new List<(double Epoch, EvaluationResult Train, EvaluationResult Validation)>();
            trainer.Options.EpochCompleted = e =>
            {
                var t = trainer.Evaluate(train);
                var v = trainer.Evaluate(data.Validation);
                points.Add((e.Epoch, t, v));
                table.Add(rate, e.Epoch, t.Loss, t.Accuracy, v.Loss, v.Accuracy);
            };
            trainer.Fit(train, cancellationToken: context.Cancellation);
            double[] epochs = points.Select(p => p.Epoch).ToArray();
            lossSeries.Add(new Series($"{label}, train", epochs, points.Select(p => p.Train.Loss).ToArray()));
            lossSeries.Add(new Series($"{label}, validation", epochs, points.Select(p => p.Validation.Loss).ToArray()));
            accuracySeries.Add(new Series($"{label}, train", epochs, points.Select(p => p.Train.Accuracy).ToArray()));
            accuracySeries.Add(new Series($"{label}, validation", epochs, points.Select(p => p.Validation.Accuracy).ToArray()));
            var last = points[^1];
            gaps.Add((rate, last.Validation.Loss - last.Train.Loss, last.Validation.Accuracy, trainer.Evaluate(data.Test).Accuracy));
        }
        context.Figure("dropout.svg", "Train and validation loss and accuracy per epoch, with and without dropout 0.5 after each hidden layer (both in evaluation mode).", new ChartGrid
        {
            Title = "Dropout",
            Columns = 2,
            PanelWidth = 360,
            Panels =
            [
                new Chart { Title = "loss", XLabel = "epoch", YLabel = "cross-entropy", YScale = AxisScale.Log, Series = lossSeries },
                new Chart { Title = "accuracy", XLabel = "epoch", YLabel = "accuracy", Series = accuracySeries },
            ],
        });
        var (without, with) = (gaps[0], gaps[1]);
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"Dropout: after {settings.Epochs} epochs the validation loss exceeds the train loss by {without.Gap:F3} without dropout and {with.Gap:F3} with it; " +
            $"test accuracy {without.Test:F3} without, {with.Test:F3} with. ") +
            (with.Gap < without.Gap
                ? (with.Test >= without.Test ? "It narrows the gap and does not cost accuracy, as the textbook says." : "It narrows the gap, but unlike the textbook promise test accuracy is not better in this short run.")
                : "Unlike the textbook claim, dropout did not narrow the generalisation gap here."));
    }

    private static void WeightDecay(ExperimentContext context, Settings settings, Dataset train, ExperimentData data, int threads)
    {
        var table = context.Table("weight-decay.csv", "weight_decay", "weight_norm", "train_accuracy", "test_accuracy");
        var results = new List<(float Decay, double Norm, double Test)>();
        foreach (float decay in Decays)
        {
            using var model = Mlp(train.FeatureCount, train.ClassCount, settings.Width);
            var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd(momentum: 0.9f, weightDecay: decay), Options(settings.Epochs, threads, 0.02f));
            trainer.Fit(train, cancellationToken: context.Cancellation);
            double norm = Math.Sqrt(model.Ops.OfType<DenseOp>().Sum(d => Math.Pow(VanishingGradientsExperiment.Norm(d.Weights), 2)));
            double test = trainer.Evaluate(data.Test).Accuracy;
            table.Add(decay, norm, trainer.Evaluate(train).Accuracy, test);
            results.Add((decay, norm, test));
        }
        var positive = results.Where(r => r.Decay > 0).ToArray();
        double[] x = positive.Select(r => (double)r.Decay).ToArray();
        (double, double) span = (x[0], x[^1]);
        Series None(double value) => new("no decay", [span.Item1, span.Item2], [value, value]);
        context.Figure("weight-decay.svg", "The L2 norm of all Dense weights after training, and test accuracy, against the weight decay (SGD, momentum 0.9); the flat line is the run without decay.", new ChartGrid
        {
            Title = "Weight decay",
            Columns = 2,
            PanelWidth = 360,
            Panels =
            [
                new Chart { Title = "weight norm", XLabel = "weight decay", YLabel = "‖W‖", XScale = AxisScale.Log, YScale = AxisScale.Log,
                    Series = [new Series("with decay", x, positive.Select(r => r.Norm).ToArray(), SeriesKind.LineWithMarkers), None(results[0].Norm)] },
                new Chart { Title = "test accuracy", XLabel = "weight decay", YLabel = "accuracy", XScale = AxisScale.Log,
                    Series = [new Series("with decay", x, positive.Select(r => r.Test).ToArray(), SeriesKind.LineWithMarkers), None(results[0].Test)] },
            ],
        });
        var best = results.MaxBy(r => r.Test);
        bool shrinks = results.Zip(results.Skip(1)).All(p => p.Second.Norm <= p.First.Norm * 1.001);
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"Weight decay: the weight norm goes from {results[0].Norm:F1} without decay to {results[^1].Norm:F1} at {results[^1].Decay:G2}" +
            $"{(shrinks ? ", falling at every step" : ", not monotonically")}; test accuracy {string.Join(", ", results.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Test:F3} ({r.Decay:G2})")))}. ") +
            (best.Decay > 0 && best.Test > results[0].Test
                ? "A moderate decay helps and too much hurts, as the textbook says."
                : "Unlike the textbook claim, no decay improved test accuracy on this data in this run."));
    }

    private static void EarlyStopping(ExperimentContext context, Settings settings, ExperimentData data, int threads)
    {
        var small = Head(data.Train, settings.SmallTrain);
        var table = context.Table("early-stopping.csv", "epoch", "train_loss", "validation_loss", "validation_accuracy", "improved");
        using var model = Mlp(small.FeatureCount, small.ClassCount, settings.Width);
        var options = Options(settings.MaxEpochs, threads, 3e-3f);
        options.EarlyStoppingPatience = 5;
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), options);
        var history = trainer.Fit(small, data.Validation, context.Cancellation);
        foreach (var e in history.Epochs) table.Add(e.Epoch, e.TrainLoss, e.ValidationLoss, e.ValidationAccuracy, e.Improved);
        int lowest = history.Epochs.MinBy(e => e.ValidationLoss)!.Epoch;
        double bestLoss = history.Epochs[history.BestEpoch - 1].ValidationLoss;
        var restored = trainer.Evaluate(data.Validation);
        context.Check(history.BestEpoch == lowest, $"early stopping chose epoch {history.BestEpoch}, but the lowest validation loss is at epoch {lowest}");
        context.Check(Math.Abs(restored.Loss - bestLoss) <= 1e-6 * Math.Max(1, bestLoss),
            string.Create(CultureInfo.InvariantCulture, $"the restored weights give validation loss {restored.Loss:G9}, not the chosen epoch's {bestLoss:G9}"));
        double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        context.Figure("early-stopping.svg", $"Training on the first {small.Count} samples (Adam, learning rate 0.003) with patience 5 on the validation loss: the marker is the epoch the trainer chose and restored.", new Chart
        {
            Title = "Early stopping",
            XLabel = "epoch",
            YLabel = "cross-entropy",
            YScale = AxisScale.Log,
            Series =
            [
                new Series("train", epochs, history.Epochs.Select(e => e.TrainLoss).ToArray(), SeriesKind.LineWithMarkers),
                new Series("validation", epochs, history.Epochs.Select(e => e.ValidationLoss).ToArray(), SeriesKind.LineWithMarkers),
            ],
            Markers = [new VerticalMarker(history.BestEpoch, $"chosen: epoch {history.BestEpoch}")],
        });
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"Early stopping: {(history.StoppedEarly ? $"the trainer stopped after epoch {history.Epochs.Count}" : $"the run used all {history.Epochs.Count} epochs")}, " +
            $"chose epoch {history.BestEpoch} (validation loss {bestLoss:F4}, the lowest of the run) and restored its weights: the validation loss after the run is {restored.Loss:F4}; " +
            $"by the last epoch the train loss was {history.Last!.TrainLoss:F4} and the validation loss {history.Last.ValidationLoss:F4}" +
            $"{(history.Last.ValidationLoss > bestLoss && history.Last.TrainLoss < history.Epochs[history.BestEpoch - 1].TrainLoss ? ": the train loss kept falling while the validation loss rose, the overfitting early stopping cuts off." : ".")}"));
    }

    private static void Initialisation(ExperimentContext context, Settings settings, Dataset train)
    {
        const int Depth = 10;
        var table = context.Table("initialisation.csv", "activation", "initializer", "layer", "mean", "std", "saturated_fraction");
        var batch = Head(train, 256);
        var panels = new List<Chart>();
        var stds = new Dictionary<(string, string), double[]>();
        var saturated = new Dictionary<(string, string), double>();
        var meanPanels = new List<Chart>();
        foreach (var activation in new[] { ActivationKind.Tanh, ActivationKind.Relu })
        {
            string act = activation == ActivationKind.Tanh ? "tanh" : "relu";
            var stdSeries = new List<Series>();
            var meanSeries = new List<Series>();
            foreach (string name in Initializers)
            {
                var initializer = name == Initializers[0] ? WeightInitializer.XavierUniform : WeightInitializer.HeUniform;
                var builder = new ModelBuilder(batch.FeatureCount);
                for (int l = 0; l < Depth; l++) builder.Dense(settings.InitWidth, activation, initializer: initializer);
                using var model = builder.Dense(batch.ClassCount).Build(seed: 9, maxBatch: batch.Count);
                model.Forward(batch.Features, batch.Count, training: false);
                var means = new double[Depth];
                var deviations = new double[Depth];
                for (int l = 0; l < Depth; l++)
                {
                    var values = model.NodeOutput(l, batch.Count);
                    double sum = 0, squares = 0;
                    int high = 0;
                    foreach (float v in values)
                    {
                        sum += v;
                        squares += (double)v * v;
                        if (Math.Abs(v) > 0.99f) high++;
                    }
                    means[l] = sum / values.Length;
                    deviations[l] = Math.Sqrt(Math.Max(0, squares / values.Length - means[l] * means[l]));
                    double fraction = activation == ActivationKind.Tanh ? (double)high / values.Length : double.NaN;
                    table.Add(act, name, l + 1, means[l], deviations[l], fraction);
                    if (l == Depth - 1) saturated[(act, name)] = fraction;
                }
                stds[(act, name)] = deviations;
                double[] layers = Enumerable.Range(1, Depth).Select(l => (double)l).ToArray();
                stdSeries.Add(new Series(name, layers, deviations, SeriesKind.LineWithMarkers));
                meanSeries.Add(new Series(name, layers, means, SeriesKind.LineWithMarkers));
            }
            panels.Add(new Chart { Title = $"{act}: std", XLabel = "layer", YLabel = "activation std", YScale = AxisScale.Log, Series = stdSeries });
            meanPanels.Add(new Chart { Title = $"{act}: mean", XLabel = "layer", YLabel = "activation mean", Series = meanSeries });
        }
        context.Figure("initialisation.svg",
            $"The mean and standard deviation of each hidden layer's activations at initialisation ({Depth} layers of {settings.InitWidth}, one batch of {batch.Count} training samples, standardized).",
            new ChartGrid { Title = "Activations at initialisation", Columns = 2, PanelWidth = 360, Panels = [.. panels, .. meanPanels] });

        double PerLayer(string act, string init) => Math.Pow(stds[(act, init)][^1] / stds[(act, init)][0], 1.0 / (Depth - 1));
        double reluXavier = PerLayer("relu", Initializers[0]), reluHe = PerLayer("relu", Initializers[1]);
        double tanhXavier = PerLayer("tanh", Initializers[0]), tanhHe = PerLayer("tanh", Initializers[1]);
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"Initialisation, ReLU: the activation std changes by {reluXavier:F3} per layer with Xavier and {reluHe:F3} with He " +
            $"(layer {Depth}: {stds[("relu", Initializers[0])][^1]:G3} against {stds[("relu", Initializers[1])][^1]:G3}). ") +
            (Math.Abs(reluXavier - Math.Sqrt(0.5)) < 0.1 && Math.Abs(reluHe - 1) < 0.1
                ? "This is the textbook result: Xavier halves the variance at every ReLU layer (1/√2 ≈ 0.707 in std), He keeps it."
                : "The textbook predicts 1/√2 ≈ 0.707 per layer for Xavier and 1 for He; the measurement differs from that."));
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"Initialisation, tanh: the std changes by {tanhXavier:F3} per layer with Xavier and {tanhHe:F3} with He; at layer {Depth} " +
            $"{saturated[("tanh", Initializers[0])]:P1} (Xavier) and {saturated[("tanh", Initializers[1])]:P1} (He) of the activations are saturated (|a| > 0.99). ") +
            (saturated[("tanh", Initializers[1])] > saturated[("tanh", Initializers[0])] + 0.01
                ? "He's larger weights push tanh into saturation, as the textbook warns."
                : "The textbook warns that He's larger weights saturate tanh; at this depth few units saturate with either, and it is Xavier's " +
                  "activations that shrink with depth (Glorot and Bengio's variance argument holds only for the linear part of tanh)."));
    }

    private static LearningRateSchedule Schedule(string name, float rate, long totalSteps) => name switch
    {
        "constant" => new ConstantLearningRate(rate),
        "step" => new StepLearningRate(rate, Math.Max(1, totalSteps / 3)),
        "cosine" => new CosineLearningRate(rate),
        _ => new LinearWarmupLearningRate(new CosineLearningRate(rate), Math.Max(1, totalSteps / 10)),
    };

    private static void LearningRateSchedules(ExperimentContext context, Settings settings, Dataset train, ExperimentData data, int threads)
    {
        // Fashion-MNIST's SGD with momentum does not train at the digits' 0.05 without a decaying schedule.
        float rate = context.Quick ? 0.05f : 0.01f;
        var steps = context.Table("lr-schedule-steps.csv", "schedule", "step", "learning_rate", "loss");
        var epochsTable = context.Table("lr-schedule-epochs.csv", "schedule", "epoch", "learning_rate", "train_loss", "validation_loss", "validation_accuracy");
        var rateSeries = new List<Series>();
        var lossSeries = new List<Series>();
        var results = new List<(string Name, double Validation, double Test)>();
        long totalSteps = (long)settings.Epochs * ((train.Count + 31) / 32);
        foreach (string name in Schedules)
        {
            using var model = Mlp(train.FeatureCount, train.ClassCount, settings.Width);
            var options = Options(settings.Epochs, threads, rate);
            options.Schedule = Schedule(name, rate, totalSteps);
            var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd(momentum: 0.9f), options);
            var rates = new List<double>();
            long step = 0;
            options.BatchCompleted = b =>
            {
                steps.Add(name, ++step, b.LearningRate, b.Loss);
                rates.Add(b.LearningRate);
            };
            var history = trainer.Fit(train, data.Validation, context.Cancellation);
            foreach (var e in history.Epochs) epochsTable.Add(name, e.Epoch, e.LearningRate, e.TrainLoss, e.ValidationLoss, e.ValidationAccuracy);
            rateSeries.Add(new Series(name, Enumerable.Range(1, rates.Count).Select(s => (double)s).ToArray(), rates));
            lossSeries.Add(new Series(name, history.Epochs.Select(e => (double)e.Epoch).ToArray(), history.Epochs.Select(e => e.ValidationLoss).ToArray(), SeriesKind.LineWithMarkers));
            results.Add((name, history.Last!.ValidationLoss, trainer.Evaluate(data.Test).Accuracy));
        }
        context.Figure("lr-schedules.svg", string.Create(CultureInfo.InvariantCulture,
            $"The schedules of Runtime/Optimization (SGD, momentum 0.9, peak rate {rate}): the rate at every step, and the validation loss per epoch. Step: ×0.1 every third of the run; warm-up: the first tenth."), new ChartGrid
        {
            Title = "Learning-rate schedules",
            Columns = 2,
            PanelWidth = 360,
            Panels =
            [
                new Chart { Title = "learning rate", XLabel = "step", YLabel = "learning rate", Series = rateSeries },
                new Chart { Title = "validation loss", XLabel = "epoch", YLabel = "cross-entropy", YScale = AxisScale.Log, Series = lossSeries },
            ],
        });
        var best = results.MinBy(r => r.Validation);
        var constant = results[0];
        var stuck = results.Where(r => r.Test < 1.5 / train.ClassCount).Select(r => r.Name).ToArray();
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"Schedules: final validation loss {string.Join(", ", results.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Name} {r.Validation:F4}")))}; test accuracy {string.Join(", ", results.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Name} {r.Test:F3}")))}. ") +
            (results.Skip(1).All(r => r.Validation < constant.Validation)
                ? $"Every decaying schedule ends lower than the constant rate, as the textbook says; the {best.Name} schedule ends lowest."
                : best.Name != "constant"
                    ? $"The {best.Name} schedule ends lowest, but unlike the textbook claim not every decaying schedule beats the constant rate here " +
                      $"({string.Join(", ", results.Skip(1).Where(r => r.Validation >= constant.Validation).Select(r => r.Name))} did not)."
                    : "Unlike the textbook claim, the constant rate ended with the lowest validation loss in this run.") +
            (stuck.Length > 0 ? $" {string.Join(" and ", stuck)} stayed near chance: the peak rate is too high for {(stuck.Length == 1 ? "it" : "them")}." : ""));
    }

    private static void GradientCheck(ExperimentContext context, ExperimentData data)
    {
        var table = context.Table("gradient-check.csv", "backward", "passed", "checked", "worst_where", "worst_index", "worst_analytic", "worst_numeric", "max_abs_error", "worst_ratio");
        var text = new StringBuilder();
        var results = new List<GradientCheckOutcome>();
        foreach (var (label, factor) in new[] { ("correct", 1.0f), ("broken", BrokenFactor) })
        {
            using var network = new WrappedTanhNetwork(data.Train, factor);
            var result = network.Check();
            results.Add(new(label, result));
            table.Add(label, result.Passed, result.Checked, result.WorstWhere, result.WorstIndex, result.WorstAnalytic, result.WorstNumeric, result.MaxAbsoluteError, result.WorstRatio);
            text.Append(CultureInfo.InvariantCulture, $"{label} backward ({(factor == 1 ? "1 − tanh²" : string.Create(CultureInfo.InvariantCulture, $"{factor} · (1 − tanh²)"))}): {result}\n");
        }
        context.Detail("Gradient check", text.ToString());
        var (correct, broken) = (results[0].Result, results[1].Result);
        context.Check(correct.Passed, $"the gradient check of the correct network failed: {correct}");
        context.Check(!broken.Passed, $"the gradient check did not catch the broken backward pass: {broken}");
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"Gradient check (central differences against the back-propagated gradients, Dense → tanh written outside the runtime → Dense, softmax cross-entropy): " +
            $"the correct backward {(correct.Passed ? "passes" : "FAILS")} ({correct.Checked} values, worst at {correct.WorstRatio:G3} of its tolerance); " +
            $"the one whose tanh derivative is {BrokenFactor}× too large {(broken.Passed ? "PASSES, which it must not" : "fails")}, worst at {broken.WorstWhere}[{broken.WorstIndex}]: " +
            $"analytic {broken.WorstAnalytic:G4} against numeric {broken.WorstNumeric:G4} ({broken.WorstRatio:G3} of its tolerance)."));
    }

    private sealed record GradientCheckOutcome(string Label, Runtime.GradientChecking.GradientCheckResult Result);
}
