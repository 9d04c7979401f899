using System.Globalization;
using Simd.Models.Plotting;
using Simd.Runtime.Data;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;
using static System.FormattableString;

namespace Simd.Models.Experiments;

/// <summary>
/// The same network (same seed, same optimizer) trained with the multiclass hinge loss and with softmax
/// cross-entropy. After every epoch each training sample's own loss and gradient with respect to the scores are
/// measured, to see what each loss does once a sample is classified correctly.
/// </summary>
internal sealed class HingeVsSoftmaxExperiment : Experiment
{
    public const string Hinge = "multiclass hinge";
    public const string CrossEntropy = "softmax cross-entropy";

    /// <summary>Below this L2 norm a per-sample gradient on the scores counts as "effectively zero".</summary>
    public const double SmallGradient = 1e-3;

    private const float LearningRate = 1e-3f;

    public override string Name => "hinge-vs-softmax";

    public override string Title => "Multiclass hinge vs softmax cross-entropy";

    public override string Question =>
        "The same network trained with the multiclass hinge loss and with softmax cross-entropy: how do accuracy, margins (true-class score minus " +
        "the best other) and scores develop, and what does each loss do to a sample it already classifies correctly?";

    public override void Run(ExperimentContext context)
    {
        var data = ExperimentData.Load(context.Quick);
        var (epochs, hidden, batch, threads) = context.Quick ? (20, 64, 32, 1) : (10, 128, 64, Environment.ProcessorCount);
        context.Setup = string.Create(CultureInfo.InvariantCulture,
            $"{data.Describe()}. Network {data.Features}-{hidden} relu-{data.Classes}, the same initial weights for both; Adam, learning rate {LearningRate}, batch {batch}, {epochs} epochs, the same shuffles. " +
            $"Hinge: Weston–Watkins, margin {MultiClassHingeLoss.Margin}, Σ over wrong classes of max(0, 1 − s_true + s_j) / classes (PyTorch's MultiMarginLoss). " +
            $"After every epoch (and before the first) each training sample's own loss and its gradient on the scores are measured in evaluation mode; " +
            $"a gradient counts as effectively zero below an L2 norm of {SmallGradient:0e0}.");

        var table = context.Table("epochs.csv", "loss", "epoch", "train_loss", "train_accuracy", "test_accuracy", "zero_loss_fraction", "zero_gradient_fraction",
            "small_gradient_fraction", "correct_fraction", "correct_with_zero_gradient_fraction", "mean_gradient_norm_correct", "median_margin", "margin_at_least_1_fraction");
        var margins = context.Table("margins.csv", "loss", "sample", "label", "true_score", "best_other_score", "margin", "correct");
        var hinge = Train(context, Hinge, new MultiClassHingeLoss(), data, epochs, hidden, batch, threads, table, margins);
        var ce = Train(context, CrossEntropy, new SoftmaxCrossEntropyLoss(), data, epochs, hidden, batch, threads, table, margins);

        double[] epochAxis = Enumerable.Range(0, epochs + 1).Select(e => (double)e).ToArray();
        context.Figure("accuracy.svg", "Training and test accuracy per epoch (epoch 0: the initial weights).", new Chart
        {
            Title = "Accuracy",
            XLabel = "epoch",
            YLabel = "accuracy",
            YRange = (0, 1),
            Series =
            [
                new Series($"{Hinge} train", epochAxis, hinge.Select(m => m.TrainAccuracy).ToArray(), SeriesKind.LineWithMarkers),
                new Series($"{Hinge} test", epochAxis, hinge.Select(m => m.TestAccuracy).ToArray(), SeriesKind.LineWithMarkers),
                new Series($"{CrossEntropy} train", epochAxis, ce.Select(m => m.TrainAccuracy).ToArray(), SeriesKind.LineWithMarkers),
                new Series($"{CrossEntropy} test", epochAxis, ce.Select(m => m.TestAccuracy).ToArray(), SeriesKind.LineWithMarkers),
            ],
        });
        context.Figure("zero-gradient.svg", "Fraction of training samples whose own loss gives a zero gradient on the scores, beside the fraction classified correctly.", new Chart
        {
            Title = "Samples that no longer push the weights",
            XLabel = "epoch",
            YLabel = "fraction of training samples",
            YRange = (0, 1),
            Series =
            [
                new Series("hinge: zero gradient", epochAxis, hinge.Select(m => m.ZeroGradient).ToArray(), SeriesKind.LineWithMarkers),
                new Series("cross-entropy: zero gradient", epochAxis, ce.Select(m => m.ZeroGradient).ToArray(), SeriesKind.LineWithMarkers),
                new Series($"cross-entropy: gradient < {SmallGradient.ToString("0e0", CultureInfo.InvariantCulture)}", epochAxis, ce.Select(m => m.SmallGradient).ToArray(), SeriesKind.LineWithMarkers),
                new Series("hinge: correct", epochAxis, hinge.Select(m => m.Correct).ToArray()),
                new Series("cross-entropy: correct", epochAxis, ce.Select(m => m.Correct).ToArray()),
            ],
        });
        context.Figure("gradient-norm.svg", "Mean L2 norm of the per-sample gradient on the scores over the correctly classified training samples (log scale).", new Chart
        {
            Title = "Push on correctly classified samples",
            XLabel = "epoch",
            YLabel = "mean gradient norm",
            YScale = AxisScale.Log,
            Series =
            [
                new Series(Hinge, epochAxis, hinge.Select(m => m.MeanGradientCorrect).ToArray(), SeriesKind.LineWithMarkers),
                new Series(CrossEntropy, epochAxis, ce.Select(m => m.MeanGradientCorrect).ToArray(), SeriesKind.LineWithMarkers),
            ],
        });
        context.Figure("median-margin.svg", "Median margin (true-class score minus the best other) over the training samples per epoch.", new Chart
        {
            Title = "Median training margin",
            XLabel = "epoch",
            YLabel = "margin",
            Series =
            [
                new Series(Hinge, epochAxis, hinge.Select(m => m.MedianMargin).ToArray(), SeriesKind.LineWithMarkers),
                new Series(CrossEntropy, epochAxis, ce.Select(m => m.MedianMargin).ToArray(), SeriesKind.LineWithMarkers),
                new Series("hinge margin 1", [0.0, epochs], [1.0, 1.0]),
            ],
        });

        var hingeFinal = hinge[^1].Test;
        var ceFinal = ce[^1].Test;
        var allMargins = hingeFinal.Margins.Concat(ceFinal.Margins).ToArray();
        double low = Math.Floor(allMargins.Min()), high = Math.Ceiling(allMargins.Max());
        int bins = 60;
        var histograms = context.Table("histograms.csv", "what", "bin", "lower", "upper", "count", "fraction");
        var hingeMargins = new ValueHistogram(hingeFinal.Margins, low, high, bins);
        var ceMargins = new ValueHistogram(ceFinal.Margins, low, high, bins);
        hingeMargins.AddRows(histograms, $"{Hinge} margin");
        ceMargins.AddRows(histograms, $"{CrossEntropy} margin");
        context.Figure("margins.svg", "Distribution of the test margins after training: hinge stops pushing at margin 1, cross-entropy does not.", new Chart
        {
            Title = "Test margins (true-class score minus best other)",
            XLabel = "margin",
            YLabel = "fraction of test samples",
            Series = [hingeMargins.Steps(Hinge), ceMargins.Steps(CrossEntropy)],
            Markers = [new VerticalMarker(MultiClassHingeLoss.Margin, "hinge margin")],
        });
        var panels = new List<Chart>();
        foreach (var (name, final) in new[] { (Hinge, hingeFinal), (CrossEntropy, ceFinal) })
        {
            double lo = Math.Floor(Math.Min(final.TrueScores.Min(), final.OtherScores.Min())), hi = Math.Ceiling(Math.Max(final.TrueScores.Max(), final.OtherScores.Max()));
            var trueScores = new ValueHistogram(final.TrueScores, lo, hi, bins);
            var otherScores = new ValueHistogram(final.OtherScores, lo, hi, bins);
            trueScores.AddRows(histograms, $"{name} true-class score");
            otherScores.AddRows(histograms, $"{name} other-class score");
            panels.Add(new Chart { Title = name, XLabel = "score (logit)", YLabel = "fraction", Series = [trueScores.Steps("true class"), otherScores.Steps("other classes")] });
        }
        context.Figure("scores.svg", "Distribution of the test scores after training: the true class's score and the other nine.", new ChartGrid { Title = "Test scores", Panels = panels, Columns = 2, PanelWidth = 420 });

        Findings(context, hinge, ce, epochs);
    }

    private static void Findings(ExperimentContext context, Measurement[] hinge, Measurement[] ce, int epochs)
    {
        var c = CultureInfo.InvariantCulture;
        var (h, x) = (hinge[^1], ce[^1]);
        double gap = h.TestAccuracy - x.TestAccuracy;
        context.Finding(string.Create(c,
            $"After {epochs} epochs the test accuracy is {h.TestAccuracy:P1} with hinge and {x.TestAccuracy:P1} with cross-entropy (training accuracy {h.TrainAccuracy:P1} and {x.TrainAccuracy:P1}): ") +
            (Math.Abs(gap) <= 0.01 ? "within a point of each other, as the usual claim that the two losses classify about equally well says."
             : Invariant($"{(gap > 0 ? "hinge" : "cross-entropy")} is ahead by {Math.Abs(gap) * 100:F1} points here, more than the usual claim that the two classify about equally well suggests.")));
        context.Finding(string.Create(c,
            $"Hinge: after the last epoch {h.ZeroGradient:P1} of the training samples have zero loss and exactly zero gradient (all {h.Correct:P1} correctly classified ones except those still inside the margin, " +
            $"{h.Correct - h.ZeroGradient:P1} of the set); these samples no longer move the weights."));
        context.Finding(string.Create(c,
            $"Cross-entropy: {x.ZeroGradient:P1} of the training samples have an exactly zero gradient and {x.SmallGradient:P1} one below {SmallGradient:0e0}; the mean gradient norm over correctly classified samples is {x.MeanGradientCorrect:0.###e0} " +
            $"(hinge: {h.MeanGradientCorrect:0.###e0}). ") +
            (x.ZeroGradient == 0
                ? "As the textbook says, cross-entropy keeps pushing every sample, however well it is classified."
                : "The textbook says cross-entropy never stops pushing; in float32 it does stop for samples whose softmax rounds to exactly one (a margin of about 17 or more), the rest keep being pushed."));
        context.Finding(string.Create(c,
            $"Median training margin after epoch 1 and after epoch {epochs}: hinge {hinge[1].MedianMargin:F2} → {h.MedianMargin:F2} ({h.MarginAtLeastOne:P0} of samples at margin ≥ 1), cross-entropy {ce[1].MedianMargin:F2} → {x.MedianMargin:F2} ({x.MarginAtLeastOne:P0} at ≥ 1). " +
            $"Test scores span {h.Test.Span:F1} with hinge and {x.Test.Span:F1} with cross-entropy: ") +
            (x.MedianMargin > h.MedianMargin ? "cross-entropy keeps growing the scores, hinge is content with the margin it asks for."
             : "here the hinge margins are not smaller than cross-entropy's, unlike the usual picture of hinge settling at its margin."));
    }

    /// <summary>Trains epoch by epoch (Fit continues where it stopped), measuring before the first and after each.</summary>
    private static Measurement[] Train(ExperimentContext context, string name, Loss loss, ExperimentData data, int epochs, int hidden, int batch, int threads,
        CsvTable table, CsvTable margins)
    {
        using var model = new ModelBuilder(data.Features).Dense(hidden, ActivationKind.Relu).Dense(data.Classes).Build(seed: 1, maxBatch: 256);
        var trainer = new Trainer(model, loss, new Adam(), new TrainerOptions { Epochs = 0, BatchSize = batch, LearningRate = LearningRate, Threads = threads });
        var measurements = new Measurement[epochs + 1];
        for (int epoch = 0; epoch <= epochs; epoch++)
        {
            double trainLoss = double.NaN;
            if (epoch > 0)
            {
                trainer.Options.Epochs = epoch;
                trainLoss = trainer.Fit(data.Train, null, context.Cancellation).Last!.TrainLoss;
            }
            var m = measurements[epoch] = new Measurement(Measure(model, loss, data.Train), Measure(model, loss, data.Test));
            table.Add(name, epoch, trainLoss, m.TrainAccuracy, m.TestAccuracy, m.Train.ZeroLoss, m.ZeroGradient, m.SmallGradient, m.Correct,
                m.Train.CorrectWithZeroGradient, m.MeanGradientCorrect, m.MedianMargin, m.MarginAtLeastOne);
        }
        var test = measurements[^1].Test;
        for (int i = 0; i < test.Margins.Length; i++)
            margins.Add(name, i, data.Test.Labels![i], test.TrueScores[i], test.BestOther[i], test.Margins[i], test.Margins[i] > 0);
        context.Log(string.Create(CultureInfo.InvariantCulture, $"{name}: test accuracy {measurements[^1].TestAccuracy:F4}, zero gradient for {measurements[^1].ZeroGradient:P1} of the training samples"));
        return measurements;
    }

    /// <summary>Each sample's scores, margin, own loss and gradient on the scores, in evaluation mode.</summary>
    private static SetMeasurement Measure(Model model, Loss loss, Dataset data)
    {
        int n = data.Count, cols = model.OutputSize;
        var scores = new float[n * cols];
        model.Predict(data.Features, scores);
        var gradient = new float[cols];
        var label = new int[1];
        var margins = new double[n];
        var trueScores = new double[n];
        var bestOther = new double[n];
        var otherScores = new List<double>(n * (cols - 1));
        int zeroLoss = 0, zeroGradient = 0, small = 0, correct = 0, correctZero = 0;
        double normCorrect = 0;
        for (int i = 0; i < n; i++)
        {
            var row = scores.AsSpan(i * cols, cols);
            int y = label[0] = data.Labels![i];
            double best = double.NegativeInfinity;
            for (int j = 0; j < cols; j++)
            {
                if (j == y) continue;
                best = Math.Max(best, row[j]);
                otherScores.Add(row[j]);
            }
            trueScores[i] = row[y];
            bestOther[i] = best;
            margins[i] = row[y] - best;
            double sampleLoss = loss.Compute(row, 1, cols, label, default, gradient);
            double norm = Math.Sqrt(gradient.Sum(g => (double)g * g));
            bool isCorrect = Reductions.ArgMax(row) == y;
            zeroLoss += sampleLoss == 0 ? 1 : 0;
            zeroGradient += norm == 0 ? 1 : 0;
            small += norm < SmallGradient ? 1 : 0;
            if (isCorrect)
            {
                correct++;
                correctZero += norm == 0 ? 1 : 0;
                normCorrect += norm;
            }
        }
        return new SetMeasurement((double)zeroLoss / n, (double)zeroGradient / n, (double)small / n, (double)correct / n, (double)correctZero / n,
            correct == 0 ? double.NaN : normCorrect / correct, margins, trueScores, bestOther, otherScores.ToArray());
    }

    private sealed record SetMeasurement(double ZeroLoss, double ZeroGradient, double SmallGradient, double Correct, double CorrectWithZeroGradient,
        double MeanGradientCorrect, double[] Margins, double[] TrueScores, double[] BestOther, double[] OtherScores)
    {
        public double Span => Math.Max(TrueScores.Max(), OtherScores.Max()) - Math.Min(TrueScores.Min(), OtherScores.Min());
    }

    /// <summary>The training set's measurements (what the loss does) and the test set's (accuracy, final distributions).</summary>
    private sealed record Measurement(SetMeasurement Train, SetMeasurement Test)
    {
        public double TrainAccuracy => Train.Correct;

        public double TestAccuracy => Test.Correct;

        public double ZeroGradient => Train.ZeroGradient;

        public double SmallGradient => Train.SmallGradient;

        public double Correct => Train.Correct;

        public double MeanGradientCorrect => Train.MeanGradientCorrect;

        public double MedianMargin => ValueHistogram.Quantile(Train.Margins, 0.5);

        public double MarginAtLeastOne => Train.Margins.Count(m => m >= MultiClassHingeLoss.Margin) / (double)Train.Margins.Length;
    }
}
