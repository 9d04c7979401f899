using System.Globalization;
using System.Text;
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
/// One network trained three ways: softmax with cross-entropy on the classes, ten sigmoids with binary cross-entropy
/// on the same classes (one-vs-rest), and sigmoids on a multi-label task derived from the classes. What the outputs
/// mean is read off the test split: row sums, per-label precision and recall, and reliability diagrams.
/// </summary>
internal sealed class SigmoidVsSoftmaxExperiment : Experiment
{
    public const string Softmax = "softmax";
    public const string OneVsRest = "sigmoid one-vs-rest";
    public const string MultiLabel = "sigmoid multi-label";
    public const string SoftmaxLabels = "softmax summed into labels";

    /// <summary>The views of the reliability diagrams: (view, what each prediction is).</summary>
    public static readonly string[] ReliabilityViews = [$"{Softmax}: top class", $"{OneVsRest}: top class", $"{MultiLabel}: every label", $"{SoftmaxLabels}: every label"];

    private const int CalibrationBins = 10;

    private static readonly DerivedLabel[] DigitLabels =
    [
        new("even", [0, 2, 4, 6, 8]),
        new("greater than 4", [5, 6, 7, 8, 9]),
        new("closed loop", [0, 4, 6, 8, 9]),
    ];

    private static readonly DerivedLabel[] FashionLabels =
    [
        new("footwear", [5, 7, 9]),
        new("upper body", [0, 2, 4, 6]),
        new("long sleeves", [2, 4, 6]),
    ];

    public override string Name => "sigmoid-vs-softmax";

    public override string Title => "Sigmoid with binary cross-entropy vs softmax with cross-entropy";

    public override string Question =>
        "What do the outputs mean? The same network trained with softmax and cross-entropy on the classes, with one sigmoid per class " +
        "and binary cross-entropy (one-vs-rest), and with sigmoids on a multi-label task derived from the classes: do the rows sum to one, " +
        "how well is each label found, and are the probabilities calibrated?";

    public override void Run(ExperimentContext context)
    {
        var data = ExperimentData.Load(context.Quick);
        var s = context.Quick ? new Settings(20, 64, 32, 1) : new Settings(10, 128, 64, Environment.ProcessorCount);
        DerivedLabel[] labels = data.Name == "digits" ? DigitLabels : FashionLabels;
        context.Setup = string.Create(CultureInfo.InvariantCulture,
            $"{data.Describe()}. Network {data.Features}-{s.Hidden} relu-outputs, the same seed for all three; Adam, learning rate {LearningRate}, batch {s.Batch}, {s.Epochs} epochs. " +
            $"Multi-label task: {string.Join("; ", labels.Select(l => $"\"{l.Name}\" = classes {string.Join(" ", l.Classes)}"))}. " +
            $"Probabilities are the runtime's softmax kernel or the logistic function of the outputs; everything below is measured on the test split, thresholds at 0.5.");

        var epochs = context.Table("epochs.csv", "model", "epoch", "train_loss", "train_accuracy", "validation_loss", "validation_accuracy");
        Dataset test = data.Test;
        int n = test.Count, classes = data.Classes, k = labels.Length;
        float[] softmaxLogits = Train(context, epochs, Softmax, data.Train, data.Validation, test, classes, new SoftmaxCrossEntropyLoss(), s);
        float[] ovrLogits = Train(context, epochs, OneVsRest, data.Train, data.Validation, test, classes, new SigmoidBinaryCrossEntropyLoss(), s);
        float[] mlLogits = Train(context, epochs, MultiLabel, Derive(data.Train, labels), Derive(data.Validation, labels), test, k, new SigmoidBinaryCrossEntropyLoss(), s);

        var softmax = new float[n * classes];
        Simd.Runtime.Intrinsics.Softmax.Forward(softmaxLogits, softmax, n, classes);
        float[] ovr = Logistic(ovrLogits);
        float[] ml = Logistic(mlLogits);
        var derived = new double[n * k];
        for (int i = 0; i < n; i++)
        {
            for (int l = 0; l < k; l++)
            {
                foreach (int c in labels[l].Classes) derived[i * k + l] += softmax[i * classes + c];
            }
        }
        int[] truth = test.Labels!;
        bool Has(int i, int l) => labels[l].Classes.Contains(truth[i]);

        // Row sums: what each output row adds up to.
        var rows = context.Table("rows.csv", "sample", "class", "true_labels", "softmax_sum", "one_vs_rest_sum", "multi_label_sum",
            "softmax_top", "one_vs_rest_top", "one_vs_rest_above_half", "multi_label_predicted");
        var softmaxSums = new double[n];
        var ovrSums = new double[n];
        var mlSums = new double[n];
        var trueCounts = new int[n];
        var ovrAbove = new int[n];
        for (int i = 0; i < n; i++)
        {
            softmaxSums[i] = Sum(softmax.AsSpan(i * classes, classes));
            ovrSums[i] = Sum(ovr.AsSpan(i * classes, classes));
            mlSums[i] = Sum(ml.AsSpan(i * k, k));
            for (int l = 0; l < k; l++) trueCounts[i] += Has(i, l) ? 1 : 0;
            for (int c = 0; c < classes; c++) ovrAbove[i] += ovr[i * classes + c] > 0.5f ? 1 : 0;
            int mlPredicted = 0;
            for (int l = 0; l < k; l++) mlPredicted += ml[i * k + l] > 0.5f ? 1 : 0;
            rows.Add(i, truth[i], trueCounts[i], softmaxSums[i], ovrSums[i], mlSums[i], Reductions.ArgMax(softmax.AsSpan(i * classes, classes)),
                Reductions.ArgMax(ovr.AsSpan(i * classes, classes)), ovrAbove[i], mlPredicted);
        }
        double top = Math.Max(k, Math.Ceiling(Math.Max(ovrSums.Max(), mlSums.Max())));
        int bins = (int)Math.Round(top * 20);
        var histograms = context.Table("row-sum-histogram.csv", "model", "bin", "lower", "upper", "count", "fraction");
        var panels = new List<Chart>();
        foreach (var (model, sums) in new[] { (Softmax, softmaxSums), (OneVsRest, ovrSums), (MultiLabel, mlSums) })
        {
            // Bins centred on multiples of 0.05, so that a sum of one (give or take rounding) falls in one bin.
            var histogram = new ValueHistogram(sums, -0.025, top + 0.025, bins + 1);
            histogram.AddRows(histograms, model);
            panels.Add(new Chart { Title = model, XLabel = "row sum", YLabel = "fraction of samples", XRange = (-0.025, top + 0.025), Series = [histogram.Steps(model)] });
        }
        context.Figure("row-sums.svg", "What each test row's probabilities add up to (bins of 0.05): softmax rows sum to one, sigmoid rows do not.",
            new ChartGrid { Title = "Row sums of the output probabilities", Panels = panels, Columns = 3 });
        context.Figure("row-sums-vs-labels.svg", "Each test sample's multi-label row sum against its number of true labels (spread sideways to show the points).", new Chart
        {
            Title = "Multi-label row sum vs true labels",
            XLabel = "true labels of the sample",
            YLabel = "sum of the sigmoid outputs",
            Series =
            [
                new Series(MultiLabel, trueCounts.Select((c, i) => c + ((i % 21) - 10) * 0.015).ToArray(), mlSums, SeriesKind.Scatter),
                new Series("row sum = true labels", [0.0, k], [0.0, k]),
            ],
        });

        // Precision and recall: per derived label, and per class.
        var scores = context.Table("precision-recall.csv", "model", "label", "precision", "recall", "f1", "support", "predicted");
        var mlScores = new List<LabelScore>();
        var derivedScores = new List<LabelScore>();
        for (int l = 0; l < k; l++)
        {
            int label = l;
            mlScores.Add(Score(labels[l].Name, n, i => ml[i * k + label] > 0.5f, i => Has(i, label)));
            derivedScores.Add(Score(labels[l].Name, n, i => derived[i * k + label] > 0.5, i => Has(i, label)));
        }
        var softmaxClasses = new List<LabelScore>();
        var ovrClasses = new List<LabelScore>();
        int[] softmaxTop = Enumerable.Range(0, n).Select(i => Reductions.ArgMax(softmax.AsSpan(i * classes, classes))).ToArray();
        int[] ovrTop = Enumerable.Range(0, n).Select(i => Reductions.ArgMax(ovr.AsSpan(i * classes, classes))).ToArray();
        for (int c = 0; c < classes; c++)
        {
            int cls = c;
            string name = ClassName(data.Name, c);
            softmaxClasses.Add(Score(name, n, i => softmaxTop[i] == cls, i => truth[i] == cls));
            ovrClasses.Add(Score(name, n, i => ovrTop[i] == cls, i => truth[i] == cls));
        }
        foreach (var (model, list) in new[] { (MultiLabel, mlScores), (SoftmaxLabels, derivedScores), (Softmax, softmaxClasses), (OneVsRest, ovrClasses) })
        {
            foreach (var x in list) scores.Add(model, x.Label, x.Precision, x.Recall, x.F1, x.Support, x.Predicted);
        }
        context.Figure("precision-recall.svg", "Precision against recall of each derived label on the test split (threshold 0.5), one point per label.", new Chart
        {
            Title = "Per-label precision and recall",
            XLabel = "recall",
            YLabel = "precision",
            Series =
            [
                new Series(MultiLabel, mlScores.Select(x => x.Recall).ToArray(), mlScores.Select(x => x.Precision).ToArray(), SeriesKind.Scatter),
                new Series(SoftmaxLabels, derivedScores.Select(x => x.Recall).ToArray(), derivedScores.Select(x => x.Precision).ToArray(), SeriesKind.Scatter),
            ],
        });

        // Reliability: predicted probability bins against the observed frequency.
        var views = new[]
        {
            Calibrate(ReliabilityViews[0], Enumerable.Range(0, n).Select(i => ((double)softmax[i * classes + softmaxTop[i]], softmaxTop[i] == truth[i]))),
            Calibrate(ReliabilityViews[1], Enumerable.Range(0, n).Select(i => ((double)ovr[i * classes + ovrTop[i]], ovrTop[i] == truth[i]))),
            Calibrate(ReliabilityViews[2], Enumerable.Range(0, n * k).Select(j => ((double)ml[j], Has(j / k, j % k)))),
            Calibrate(ReliabilityViews[3], Enumerable.Range(0, n * k).Select(j => (derived[j], Has(j / k, j % k)))),
        };
        var reliability = context.Table("reliability.csv", "view", "bin", "lower", "upper", "count", "mean_predicted", "observed_frequency");
        foreach (var view in views)
        {
            for (int b = 0; b < CalibrationBins; b++)
                reliability.Add(view.View, b, (double)b / CalibrationBins, (double)(b + 1) / CalibrationBins, view.Counts[b], view.MeanPredicted[b], view.Observed[b]);
        }
        context.Figure("reliability.svg", $"Reliability diagrams: the test predictions in {CalibrationBins} bins of predicted probability, each bin's mean prediction against how often it came true (empty bins left out).",
            new ChartGrid
            {
                Title = "Reliability (calibration) diagrams",
                Columns = 2,
                PanelHeight = 260,
                PanelWidth = 470,
                Panels = views.Select(v => new Chart
                {
                    Title = string.Create(CultureInfo.InvariantCulture, $"{v.View} (ECE {v.Ece:F3})"),
                    XLabel = "predicted probability",
                    YLabel = "observed frequency",
                    XRange = (0, 1),
                    YRange = (0, 1),
                    Series =
                    [
                        new Series("observed frequency", v.Filled(b => v.MeanPredicted[b]), v.Filled(b => v.Observed[b]), SeriesKind.LineWithMarkers),
                        new Series("perfect calibration", [0.0, 1.0], [0.0, 1.0]),
                    ],
                }).ToArray(),
            });

        Findings(context, labels, k, classes, softmaxSums, ovrSums, mlSums, trueCounts, ovrAbove, mlScores, derivedScores, views, softmaxTop, ovrTop, truth);
        context.Detail("Precision and recall on the test split", ScoreTable([(MultiLabel, mlScores), (SoftmaxLabels, derivedScores), (Softmax, softmaxClasses), (OneVsRest, ovrClasses)]));
    }

    private const float LearningRate = 1e-3f;

    private static void Findings(ExperimentContext context, DerivedLabel[] labels, int k, int classes, double[] softmaxSums, double[] ovrSums, double[] mlSums,
        int[] trueCounts, int[] ovrAbove, List<LabelScore> mlScores, List<LabelScore> derivedScores, Reliability[] views, int[] softmaxTop, int[] ovrTop, int[] truth)
    {
        int n = softmaxSums.Length;
        var c = CultureInfo.InvariantCulture;
        double worst = softmaxSums.Max(v => Math.Abs(v - 1));
        context.Check(worst < 1e-5, string.Create(c, $"softmax rows sum to one: the worst test row is off by {worst:0.##e0}"));
        double near = ovrSums.Count(v => Math.Abs(v - 1) <= 0.05) / (double)n;
        context.Finding(string.Create(c,
            $"Softmax rows sum to one: every one of the {n} test rows within {Math.Max(worst, 1e-9):0.#e0} (float rounding). The one-vs-rest sigmoid rows sum to anything from {ovrSums.Min():F2} to {ovrSums.Max():F2} " +
            $"(median {ValueHistogram.Quantile(ovrSums, 0.5):F3}); {near:P0} lie within 0.05 of one. Nothing ties the ten sigmoids together: each answers its own yes/no."));
        int none = ovrAbove.Count(a => a == 0), several = ovrAbove.Count(a => a > 1);
        context.Finding(string.Create(c,
            $"Thresholded at 0.5, the one-vs-rest outputs name no class for {none} test rows and more than one for {several} ({(none + several) / (double)n:P1}); softmax always names exactly one. " +
            $"By the largest output, their accuracies are {Accuracy(softmaxTop, truth):P1} (softmax) and {Accuracy(ovrTop, truth):P1} (one-vs-rest)."));
        double meanGap = Enumerable.Range(0, n).Average(i => Math.Abs(mlSums[i] - trueCounts[i]));
        context.Finding(string.Create(c,
            $"The multi-label sigmoid rows sum to {mlSums.Average():F2} on average against {trueCounts.Average():F2} true labels per sample (mean |sum − true labels| = {meanGap:F2}): " +
            $"for independent labels the row sum estimates how many labels apply, not one."));
        var perLabel = string.Join("; ", Enumerable.Range(0, k).Select(l =>
            Invariant($"\"{labels[l].Name}\" precision {mlScores[l].Precision:F3} / recall {mlScores[l].Recall:F3} (softmax summed: {derivedScores[l].Precision:F3} / {derivedScores[l].Recall:F3})")));
        double mlF1 = mlScores.Average(x => x.F1), derivedF1 = derivedScores.Average(x => x.F1);
        context.Finding(string.Create(c,
            $"Per label, sigmoid multi-label vs the softmax's class probabilities summed into the labels: {perLabel}. Mean F1 {mlF1:F3} vs {derivedF1:F3}: ") +
            (Math.Abs(mlF1 - derivedF1) < 0.005 ? "the same within half a point; when every label is a union of classes, the classifier already knows them."
             : mlF1 > derivedF1 ? "training on the labels directly does better here." : "here the class model summed into labels does better than training on the labels directly (it learns from the finer classes)."));
        var (softmaxView, ovrView) = (views[0], views[1]);
        string Direction(Reliability v) => v.Gap > 0.005 ? Invariant($"overconfident by {v.Gap:F3}") : v.Gap < -0.005 ? Invariant($"underconfident by {-v.Gap:F3}") : "neither over- nor underconfident (within 0.005)";
        context.Finding(string.Create(c,
            $"Calibration (expected calibration error over {CalibrationBins} bins): {string.Join("; ", views.Select(v => Invariant($"{v.View} {v.Ece:F3}, {Direction(v)}")))}. ") +
            (softmaxView.Gap > 0.005
                ? "The softmax's top-class confidence exceeds its accuracy, as the usual claim (Guo et al. 2017) that trained networks are overconfident says."
                : Invariant($"The usual claim that trained networks are overconfident (Guo et al. 2017) does not hold for this small network: its softmax confidence is {Direction(softmaxView)} (mean confidence {softmaxView.MeanPrediction:F3}, accuracy {softmaxView.MeanOutcome:F3}).")));
    }

    private static float[] Train(ExperimentContext context, CsvTable epochs, string name, Dataset train, Dataset validation, Dataset test, int outputs, Loss loss, Settings s)
    {
        using var model = new ModelBuilder(train.FeatureCount).Dense(s.Hidden, ActivationKind.Relu).Dense(outputs).Build(seed: 1, maxBatch: 256);
        var trainer = new Trainer(model, loss, new Adam(), new TrainerOptions { Epochs = s.Epochs, BatchSize = s.Batch, LearningRate = LearningRate, Threads = s.Threads });
        var history = trainer.Fit(train, validation, context.Cancellation);
        foreach (var e in history.Epochs) epochs.Add(name, e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy);
        context.Log(string.Create(CultureInfo.InvariantCulture, $"{name}: validation accuracy {history.Last!.ValidationAccuracy:F4} after {s.Epochs} epochs"));
        var logits = new float[test.Count * outputs];
        model.Predict(test.Features, logits);
        return logits;
    }

    /// <summary>The multi-label dataset: one 0/1 target per derived label, the same features.</summary>
    private static Dataset Derive(Dataset data, DerivedLabel[] labels)
    {
        var targets = new float[data.Count * labels.Length];
        for (int i = 0; i < data.Count; i++)
        {
            for (int l = 0; l < labels.Length; l++) targets[i * labels.Length + l] = labels[l].Classes.Contains(data.Labels![i]) ? 1f : 0f;
        }
        return new Dataset(data.Name + " multi-label", data.Features, data.FeatureCount, targets, labels.Length);
    }

    private static float[] Logistic(float[] logits) => logits.Select(x => 1f / (1f + MathF.Exp(-x))).ToArray();

    private static double Sum(ReadOnlySpan<float> row)
    {
        double sum = 0;
        foreach (float v in row) sum += v;
        return sum;
    }

    private static double Accuracy(int[] predicted, int[] truth) => predicted.Zip(truth).Count(p => p.First == p.Second) / (double)truth.Length;

    private static LabelScore Score(string label, int n, Func<int, bool> predicted, Func<int, bool> actual)
    {
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < n; i++)
        {
            bool p = predicted(i), a = actual(i);
            if (p && a) tp++;
            else if (p) fp++;
            else if (a) fn++;
        }
        double precision = tp + fp == 0 ? double.NaN : (double)tp / (tp + fp);
        double recall = tp + fn == 0 ? double.NaN : (double)tp / (tp + fn);
        double f1 = 2.0 * tp + fp + fn == 0 ? double.NaN : 2.0 * tp / (2.0 * tp + fp + fn);
        return new LabelScore(label, precision, recall, f1, tp + fn, tp + fp);
    }

    private static Reliability Calibrate(string view, IEnumerable<(double P, bool Outcome)> predictions)
    {
        var counts = new int[CalibrationBins];
        var sumP = new double[CalibrationBins];
        var hits = new double[CalibrationBins];
        int total = 0;
        double allP = 0, allHits = 0;
        foreach (var (p, outcome) in predictions)
        {
            int b = Math.Clamp((int)(p * CalibrationBins), 0, CalibrationBins - 1);
            counts[b]++;
            sumP[b] += p;
            hits[b] += outcome ? 1 : 0;
            total++;
            allP += p;
            allHits += outcome ? 1 : 0;
        }
        var mean = new double[CalibrationBins];
        var observed = new double[CalibrationBins];
        double ece = 0;
        for (int b = 0; b < CalibrationBins; b++)
        {
            mean[b] = counts[b] == 0 ? double.NaN : sumP[b] / counts[b];
            observed[b] = counts[b] == 0 ? double.NaN : hits[b] / counts[b];
            if (counts[b] > 0) ece += (double)counts[b] / total * Math.Abs(observed[b] - mean[b]);
        }
        return new Reliability(view, counts, mean, observed, ece, allP / total, allHits / total);
    }

    private static string ScoreTable(IEnumerable<(string Model, List<LabelScore> Scores)> groups)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"model",-28} {"label",-16} {"precision",9} {"recall",9} {"f1",9} {"support",8} {"predicted",9}\n");
        foreach (var (model, list) in groups)
        {
            foreach (var x in list)
                text.Append(CultureInfo.InvariantCulture, $"{model,-28} {x.Label,-16} {x.Precision,9:F3} {x.Recall,9:F3} {x.F1,9:F3} {x.Support,8} {x.Predicted,9}\n");
        }
        return text.ToString();
    }

    private static readonly string[] FashionClasses = ["T-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"];

    private static string ClassName(string dataset, int c) => dataset == "digits" ? $"digit {c}" : c < FashionClasses.Length ? FashionClasses[c] : $"class {c}";

    private sealed record Settings(int Epochs, int Hidden, int Batch, int Threads);

    private sealed record DerivedLabel(string Name, int[] Classes);

    private sealed record LabelScore(string Label, double Precision, double Recall, double F1, int Support, int Predicted);

    /// <summary>A reliability diagram's bins, its expected calibration error, and mean prediction vs mean outcome (Gap &gt; 0: overconfident).</summary>
    private sealed record Reliability(string View, int[] Counts, double[] MeanPredicted, double[] Observed, double Ece, double MeanPrediction, double MeanOutcome)
    {
        public double Gap => MeanPrediction - MeanOutcome;

        public double[] Filled(Func<int, double> value) => Enumerable.Range(0, Counts.Length).Where(b => Counts[b] > 0).Select(value).ToArray();
    }
}
