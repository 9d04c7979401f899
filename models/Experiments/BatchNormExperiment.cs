using System.Globalization;
using Simd.Models.Plotting;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;
using static System.FormattableString;

namespace Simd.Models.Experiments;

/// <summary>
/// Two hidden layers with and without BatchNorm (Dense → BatchNorm → ReLU), trained with plain SGD across
/// learning rates from 1e-4 to 1, and with the initial weights scaled by 0.1, 1 and 10, to check the three usual
/// claims: BatchNorm converges faster, tolerates larger learning rates, and makes training insensitive to the
/// initialisation scale.
/// </summary>
internal sealed class BatchNormExperiment : Experiment
{
    public const string With = "with BatchNorm";
    public const string Without = "without BatchNorm";

    /// <summary>The initial weight scales; the learning-rate sweep uses scale 1.</summary>
    public static readonly double[] InitScales = [0.1, 1, 10];

    /// <summary>The rates the initialisation scales are tried at (each is also in the sweep).</summary>
    public static readonly double[] InitScaleRates = [1e-3, 1e-2, 1e-1];

    /// <summary>The sweep runs from 1e-4 past 1, to this rate: on standardized data neither network diverges at 1 with plain SGD.</summary>
    public const double TopRate = 10;

    /// <summary>An epoch whose mean training loss is this many times the initial loss counts as diverged, even if it later settles.</summary>
    public const double RiseFactor = 1.5;

    public override string Name => "batch-norm";

    public override string Title => "BatchNorm across learning rates and initialisation scales";

    public override string Question =>
        "Does BatchNorm make training converge in fewer epochs, allow larger learning rates without diverging, reach a better final accuracy, " +
        "and make training insensitive to the scale of the initial weights, as it is usually said to?";

    public override void Run(ExperimentContext context)
    {
        var data = ExperimentData.Load(context.Quick);
        var s = context.Quick ? new Settings(15, 64, 32, 2, 0.90, 1) : new Settings(10, 128, 64, 3, 0.80, Environment.ProcessorCount);
        // Three significant digits, so that the CSV and the text show the same rates (1e-3 is exactly the 0.001 of InitScaleRates).
        double[] rates = Enumerable.Range(0, (int)Math.Round((Math.Log10(TopRate) + 4) * s.RatesPerDecade) + 1)
            .Select(i => double.Parse(Math.Pow(10, -4 + (double)i / s.RatesPerDecade).ToString("G3", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)).ToArray();
        context.Setup = string.Create(CultureInfo.InvariantCulture,
            $"{data.Describe()}. Network {data.Features}-{s.Hidden}-{s.Hidden}-{data.Classes}, ReLU, with BatchNorm between each hidden Dense layer and its ReLU or without; " +
            $"the same seed for both. Plain SGD (no momentum), batch {s.Batch}, {s.Epochs} epochs, learning rates {Join(rates)} (1e-4 to 1, and on to {TopRate:G3} to find where each diverges). " +
            $"A run diverges when its loss becomes NaN or infinite, or when an epoch's mean training loss exceeds {RiseFactor:G3}× the loss of the initial weights (it blew up, even if it settles later, usually at chance). " +
            $"Convergence speed: the first epoch whose validation accuracy reaches {s.Target:P0}. Initialisation: every Dense layer's initial weights multiplied by " +
            $"{Join(InitScales)} at learning rates {Join(InitScaleRates)}.");

        var epochs = context.Table("epochs.csv", "batch_norm", "init_scale", "learning_rate", "epoch", "train_loss", "train_accuracy", "validation_loss", "validation_accuracy");
        var runs = context.Table("runs.csv", "batch_norm", "init_scale", "learning_rate", "epochs_run", "diverged", "diverged_in_epoch", "reason",
            "final_train_loss", "final_validation_accuracy", "best_validation_accuracy", "epochs_to_target", "test_accuracy");
        var results = new List<RunResult>();
        foreach (bool batchNorm in new[] { true, false })
        {
            foreach (double scale in InitScales)
            {
                foreach (double rate in scale == 1 ? rates : InitScaleRates)
                {
                    var r = Train(context, data, s, batchNorm, scale, rate);
                    results.Add(r);
                    foreach (var e in r.Epochs)
                        epochs.Add(batchNorm, scale, rate, e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy);
                    runs.Add(batchNorm, scale, rate, r.Epochs.Count, r.Diverged, r.DivergedEpoch is int d ? d : "", r.Reason, r.FinalTrainLoss, r.FinalAccuracy,
                        r.BestAccuracy, r.EpochsToTarget is int t ? t : "", r.TestAccuracy);
                }
            }
        }
        context.Log(string.Create(CultureInfo.InvariantCulture, $"{results.Count} runs, {results.Count(r => r.Diverged)} diverged"));

        RunResult[] Sweep(bool bn) => results.Where(r => r.BatchNorm == bn && r.Scale == 1).OrderBy(r => r.Rate).ToArray();
        var (withBn, withoutBn) = (Sweep(true), Sweep(false));
        Series Line(string name, RunResult[] sweep, Func<RunResult, double> y) => new(name, sweep.Select(r => r.Rate).ToArray(), sweep.Select(y).ToArray(), SeriesKind.LineWithMarkers);
        context.Figure("final-accuracy.svg", "Validation accuracy after the last epoch at each learning rate (diverged runs left out).", new Chart
        {
            Title = "Final validation accuracy",
            XLabel = "learning rate",
            YLabel = "validation accuracy",
            XScale = AxisScale.Log,
            YRange = (0, 1),
            Series = [Line(With, withBn, r => r.Diverged ? double.NaN : r.FinalAccuracy), Line(Without, withoutBn, r => r.Diverged ? double.NaN : r.FinalAccuracy)],
        });
        context.Figure("epochs-to-target.svg", string.Create(CultureInfo.InvariantCulture,
            $"The first epoch whose validation accuracy reached {s.Target:P0}, per learning rate (runs that never reached it within {s.Epochs} epochs are left out)."), new Chart
        {
            Title = string.Create(CultureInfo.InvariantCulture, $"Epochs to {s.Target:P0} validation accuracy"),
            XLabel = "learning rate",
            YLabel = "epochs",
            XScale = AxisScale.Log,
            YRange = (0, s.Epochs),
            Series = [Line(With, withBn, r => r.EpochsToTarget ?? double.NaN), Line(Without, withoutBn, r => r.EpochsToTarget ?? double.NaN)],
        });
        context.Figure("curves.svg", "Validation accuracy per epoch, one panel per learning rate.", new ChartGrid
        {
            Title = "Validation accuracy per epoch",
            Columns = 3,
            PanelHeight = 200,
            Panels = rates.Select((rate, i) => new Chart
            {
                Title = string.Create(CultureInfo.InvariantCulture, $"learning rate {rate:G3}"),
                XLabel = "epoch",
                YLabel = "validation accuracy",
                XRange = (1, s.Epochs),
                YRange = (0, 1),
                Series = [Curve(With, withBn[i]), Curve(Without, withoutBn[i])],
            }).ToArray(),
        });
        context.Figure("init-scale.svg", "Final validation accuracy against the scale of the initial weights (log scale), one panel per learning rate; diverged runs left out.", new ChartGrid
        {
            Title = "Sensitivity to the initialisation scale",
            Columns = 3,
            Panels = InitScaleRates.Select(rate => new Chart
            {
                Title = string.Create(CultureInfo.InvariantCulture, $"learning rate {rate:G3}"),
                XLabel = "initial weight scale",
                YLabel = "validation accuracy",
                XScale = AxisScale.Log,
                YRange = (0, 1),
                Series = [ScaleLine(With, results, true, rate), ScaleLine(Without, results, false, rate)],
            }).ToArray(),
        });

        Findings(context, s, withBn, withoutBn, results);
    }

    private static void Findings(ExperimentContext context, Settings s, RunResult[] withBn, RunResult[] withoutBn, List<RunResult> results)
    {
        var c = CultureInfo.InvariantCulture;
        string Rate(double r) => r.ToString("G3", c);

        // Convergence speed at the rates where both reached the target.
        var both = withBn.Zip(withoutBn).Where(p => p.First.EpochsToTarget is not null && p.Second.EpochsToTarget is not null).ToArray();
        int faster = both.Count(p => p.First.EpochsToTarget < p.Second.EpochsToTarget), slower = both.Count(p => p.First.EpochsToTarget > p.Second.EpochsToTarget);
        int onlyBn = withBn.Zip(withoutBn).Count(p => p.First.EpochsToTarget is not null && p.Second.EpochsToTarget is null);
        int onlyPlain = withBn.Zip(withoutBn).Count(p => p.First.EpochsToTarget is null && p.Second.EpochsToTarget is not null);
        string Fastest(RunResult[] sweep) => sweep.Where(r => r.EpochsToTarget is not null).MinBy(r => r.EpochsToTarget) is RunResult f
            ? string.Create(c, $"{f.EpochsToTarget} epoch{(f.EpochsToTarget == 1 ? "" : "s")} at rate {Rate(f.Rate)}") : "never";
        bool fasterHolds = faster + onlyBn > slower + onlyPlain;
        context.Finding(string.Create(c,
            $"Convergence speed (epochs to {s.Target:P0} validation accuracy): with BatchNorm the target is reached at {withBn.Count(r => r.EpochsToTarget is not null)} of {withBn.Length} rates, " +
            $"without at {withoutBn.Count(r => r.EpochsToTarget is not null)}; where both reach it, BatchNorm is faster at {faster}, slower at {slower} and level at {both.Length - faster - slower} rates; " +
            $"only BatchNorm reaches it at {onlyBn} rates, only the network without at {onlyPlain}. Fastest: {Fastest(withBn)} with BatchNorm, {Fastest(withoutBn)} without. ") +
            (fasterHolds && faster >= slower ? "The claim that BatchNorm converges faster holds here."
             : fasterHolds ? "The claim that BatchNorm converges faster holds only in that it reaches the target at more rates: where both reach it, it is not faster."
             : "The claim that BatchNorm converges faster does not hold here."));

        // Largest stable rate: the largest rate with no divergence at it or below it.
        double? Stable(RunResult[] sweep) => sweep.TakeWhile(r => !r.Diverged).LastOrDefault()?.Rate;
        string StableText(double? r) => r is double v ? Rate(v) : "none";
        var (stableBn, stablePlain) = (Stable(withBn), Stable(withoutBn));
        double top = withBn[^1].Rate;
        string stableClaim = (stableBn ?? 0) > (stablePlain ?? 0) ? "BatchNorm allows larger learning rates, as claimed."
            : stableBn == stablePlain && stableBn == top ? string.Create(c, $"Neither diverged up to {Rate(top)}, the largest rate tried, so the claim that BatchNorm allows larger rates is not tested by this range; the accuracy at the largest rates shows which one still learns.")
            : "The claim that BatchNorm allows larger learning rates does not hold here.";
        string Diverged(RunResult[] sweep) => sweep.Any(r => r.Diverged) ? string.Join(", ", sweep.Where(r => r.Diverged).Select(r => $"{Rate(r.Rate)} ({r.Reason})")) : "none";
        context.Finding(string.Create(c,
            $"Largest stable learning rate: {StableText(stableBn)} with BatchNorm, {StableText(stablePlain)} without. Diverged rates with BatchNorm: {Diverged(withBn)}; without: {Diverged(withoutBn)}. {stableClaim}"));

        // Final accuracy.
        RunResult Best(RunResult[] sweep) => sweep.Where(r => !r.Diverged).DefaultIfEmpty(sweep[0]).MaxBy(r => r.FinalAccuracy)!;
        var (bestBn, bestPlain) = (Best(withBn), Best(withoutBn));
        double accuracyGap = bestBn.FinalAccuracy - bestPlain.FinalAccuracy;
        int higher = withBn.Zip(withoutBn).Count(p => !p.First.Diverged && (p.Second.Diverged || p.First.FinalAccuracy > p.Second.FinalAccuracy));
        context.Finding(string.Create(c,
            $"Final accuracy: the best rate gives {bestBn.FinalAccuracy:P1} validation ({bestBn.TestAccuracy:P1} test) with BatchNorm at {Rate(bestBn.Rate)} and {bestPlain.FinalAccuracy:P1} ({bestPlain.TestAccuracy:P1} test) without at {Rate(bestPlain.Rate)}; " +
            $"BatchNorm ends higher at {higher} of {withBn.Length} rates. ") +
            (accuracyGap > 0.005 ? "At the best rate for each, BatchNorm is ahead, as claimed."
             : accuracyGap < -0.005 ? "At the best rate for each, the network without BatchNorm is ahead: the claim of a better final accuracy does not hold here (BatchNorm mostly widens the range of rates that work)."
             : "At the best rate for each, the two are within half a point: BatchNorm's advantage is the range of rates that work, not the best accuracy."));

        // Initialisation scale.
        string Spread(bool bn, double rate, out double spread)
        {
            var at = results.Where(r => r.BatchNorm == bn && r.Rate == rate).OrderBy(r => r.Scale).ToArray();
            var accuracies = at.Select(r => r.Diverged ? 0 : r.FinalAccuracy).ToArray();
            spread = accuracies.Max() - accuracies.Min();
            return string.Join("/", at.Select(r => r.Diverged ? "diverged" : r.FinalAccuracy.ToString("P0", c)));
        }
        var parts = new List<string>();
        double spreadBn = 0, spreadPlain = 0;
        foreach (double rate in InitScaleRates)
        {
            string a = Spread(true, rate, out double sa), b = Spread(false, rate, out double sb);
            spreadBn += sa / InitScaleRates.Length;
            spreadPlain += sb / InitScaleRates.Length;
            parts.Add($"at {Rate(rate)} {a} with, {b} without");
        }
        // With BatchNorm after a layer, scaling its weights by k leaves the forward pass alone but divides their gradient
        // by k, so their relative step goes as rate/k²: small initial weights train as at a larger rate.
        double[] lowRate = results.Where(r => r.BatchNorm && r.Rate == InitScaleRates[0]).OrderBy(r => r.Scale).Select(r => r.Diverged ? 0 : r.FinalAccuracy).ToArray();
        bool fallsWithScale = lowRate.Zip(lowRate.Skip(1)).All(p => p.First > p.Second);
        context.Finding(string.Create(c,
            $"Initialisation scale {Join(InitScales)} (final validation accuracy; diverged counts as 0): {string.Join("; ", parts)}. Mean spread over the scales: {spreadBn * 100:F1} points with BatchNorm, {spreadPlain * 100:F1} without. ") +
            (spreadBn + 0.01 < spreadPlain && spreadBn <= 0.05 ? "BatchNorm makes training insensitive to the initial scale, as claimed."
             : spreadBn + 0.01 < spreadPlain ? "BatchNorm makes training less sensitive to the initial scale, but not insensitive as usually claimed: the spread with it is still well above a few points."
             : "The claim that BatchNorm makes training insensitive to the initial scale does not hold here: the spread with it is not smaller.") +
            (fallsWithScale ? string.Create(c, $" With BatchNorm the accuracy at rate {Rate(InitScaleRates[0])} falls as the scale grows: the normalized output does not depend on the scale, but the weights' relative step goes as rate/scale², so small weights train as at a larger rate.") : ""));
    }

    private static string Join(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("G3", CultureInfo.InvariantCulture)));

    private static Series Curve(string name, RunResult r) =>
        new(name, r.Epochs.Select(e => (double)e.Epoch).ToArray(), r.Epochs.Select(e => e.ValidationAccuracy).ToArray(), SeriesKind.LineWithMarkers);

    private static Series ScaleLine(string name, List<RunResult> results, bool batchNorm, double rate)
    {
        var at = results.Where(r => r.BatchNorm == batchNorm && r.Rate == rate).OrderBy(r => r.Scale).ToArray();
        return new Series(name, at.Select(r => r.Scale).ToArray(), at.Select(r => r.Diverged ? double.NaN : r.FinalAccuracy).ToArray(), SeriesKind.LineWithMarkers);
    }

    private static RunResult Train(ExperimentContext context, ExperimentData data, Settings s, bool batchNorm, double scale, double rate)
    {
        var builder = new ModelBuilder(data.Features);
        for (int layer = 0; layer < 2; layer++)
        {
            if (batchNorm) builder.Dense(s.Hidden).BatchNorm().Activation(ActivationKind.Relu);
            else builder.Dense(s.Hidden, ActivationKind.Relu);
        }
        using var model = builder.Dense(data.Classes).Build(seed: 1, maxBatch: 256);
        foreach (var dense in model.Ops.OfType<DenseOp>())
        {
            var weights = dense.Weights;
            for (int i = 0; i < weights.Length; i++) weights[i] *= (float)scale;
        }
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd(),
            new TrainerOptions { Epochs = s.Epochs, BatchSize = s.Batch, LearningRate = (float)rate, Threads = s.Threads });
        // The first batch's loss is the loss of the initial weights (computed before the first update), in training mode.
        double initialLoss = double.NaN;
        trainer.Options.BatchCompleted = b =>
        {
            if (b.Epoch == 1 && b.Batch == 1) initialLoss = b.Loss;
        };
        int? divergedEpoch = null;
        string reason = "";
        try
        {
            trainer.Fit(data.Train, data.Validation, context.Cancellation);
        }
        catch (NonFiniteValueException e)
        {
            divergedEpoch = e.Epoch;
            reason = $"non-finite {e.Where}";
        }
        var history = trainer.History;
        double finalLoss = history.Count == 0 ? double.NaN : history[^1].TrainLoss;
        if (divergedEpoch is null && history.FirstOrDefault(e => e.TrainLoss > RiseFactor * initialLoss) is EpochResult rose)
        {
            divergedEpoch = rose.Epoch;
            reason = string.Create(CultureInfo.InvariantCulture, $"loss rose to {rose.TrainLoss / initialLoss:G3}× its initial value");
        }
        bool diverged = divergedEpoch is not null;
        double final = diverged || history.Count == 0 ? double.NaN : history[^1].ValidationAccuracy;
        double best = history.Count == 0 ? double.NaN : history.Max(e => e.ValidationAccuracy);
        int? toTarget = history.FirstOrDefault(e => e.ValidationAccuracy >= s.Target)?.Epoch;
        double test = diverged ? double.NaN : trainer.Evaluate(data.Test).Accuracy;
        context.Log(string.Create(CultureInfo.InvariantCulture,
            $"{(batchNorm ? With : Without)}, scale {scale}, rate {rate:G3}: {(diverged ? Invariant($"diverged in epoch {divergedEpoch} ({reason})") : Invariant($"validation accuracy {final:F4}"))}"));
        return new RunResult(batchNorm, scale, rate, history.ToArray(), diverged, divergedEpoch, reason, finalLoss, final, best, toTarget, test);
    }

    private sealed record Settings(int Epochs, int Hidden, int Batch, int RatesPerDecade, double Target, int Threads);

    private sealed record RunResult(bool BatchNorm, double Scale, double Rate, IReadOnlyList<EpochResult> Epochs, bool Diverged, int? DivergedEpoch, string Reason,
        double FinalTrainLoss, double FinalAccuracy, double BestAccuracy, int? EpochsToTarget, double TestAccuracy);
}
