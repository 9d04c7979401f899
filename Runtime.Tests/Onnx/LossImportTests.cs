using Simd.Runtime.Inference;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss imported as one sample (the labels and class weights as
/// initializers) against a double reference, through the model and that model frozen; SoftmaxCrossEntropyLoss's
/// log_prob as a second output; training through the imported loss (the scores' gradient against finite
/// differences); a model file round trip; no allocation per call; and what the importer and exporter refuse.
/// </summary>
public sealed class LossImportTests : IDisposable
{
    private readonly TempDirectory _dir = new("simd-loss-import-");

    public void Dispose() => _dir.Dispose();

    private static readonly float[] ClassWeights = [0.9f, 0.7f, 0.8f, 0.9f, 0.2f];

    /// <summary>A graph of one loss node over x [2, 5, 3] (N, C, d1) with labels y [2, 3] (and weights w [5]).</summary>
    private static byte[] LossGraph(string op, string reduction, long? ignore, long[] labels, bool weighted, bool logProb = false,
        long[]? xDims = null, long[]? labelDims = null, float[]? weights = null, long opset = 13)
    {
        xDims ??= [2, 5, 3];
        labelDims ??= [xDims[0], .. xDims.Skip(2)];
        var attributes = new List<Action<ProtoWriter>> { StringAttribute("reduction", reduction) };
        if (ignore is long i) attributes.Add(IntAttribute("ignore_index", i));
        var initializers = new List<Action<ProtoWriter>> { Int64Tensor("y", labelDims, labels) };
        if (weighted) initializers.Add(Tensor("w", [(weights ?? ClassWeights).Length], weights ?? ClassWeights));
        long[] lossDims = reduction == "none" ? labelDims : [];
        var outputs = new List<Action<ProtoWriter>> { Value("z", [.. lossDims.Select(d => (long?)d)]) };
        if (logProb) outputs.Add(Value("log_prob", [.. xDims.Select(d => (long?)d)]));
        return Model([NamedNode("loss", op, weighted ? ["x", "y", "w"] : ["x", "y"], logProb ? ["z", "log_prob"] : ["z"], [.. attributes])],
            [.. initializers], [Value("x", [.. xDims.Select(d => (long?)d)])], [.. outputs], opset);
    }

    private static readonly long[] SomeLabels = [1, 4, -1, 0, -1, 3];

    private static float[] Scores(int n, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 4 - 2))];
    }

    /// <summary>ONNX's loss over x [N, C, D] in double: the log-softmax over C first for SoftmaxCrossEntropyLoss.</summary>
    private static (double[] Loss, double[] LogProb) Reference(float[] x, int n, int classes, int inner, long[] labels, long? ignore, float[]? weights,
        string reduction, bool softmax)
    {
        var logp = new double[x.Length];
        var losses = new double[n * inner];
        double weightSum = 0;
        for (int e = 0; e < n * inner; e++)
        {
            int row = e / inner, j = e % inner;
            int At(int k) => (row * classes + k) * inner + j;
            double max = Enumerable.Range(0, classes).Max(k => (double)x[At(k)]);
            double lse = max + Math.Log(Enumerable.Range(0, classes).Sum(k => Math.Exp(x[At(k)] - max)));
            for (int k = 0; k < classes; k++) logp[At(k)] = softmax ? x[At(k)] - lse : x[At(k)];
            if (labels[e] == ignore) continue;
            double w = weights?[labels[e]] ?? 1;
            losses[e] = -w * logp[At((int)labels[e])];
            weightSum += w;
        }
        double[] loss = reduction switch
        {
            "none" => losses,
            "sum" => [losses.Sum()],
            _ => [losses.Sum() / weightSum],
        };
        return (loss, logp);
    }

    public static TheoryData<string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (string op in new[] { "NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss" })
            foreach (string reduction in new[] { "none", "sum", "mean" })
                foreach (bool weighted in new[] { false, true })
                    data.Add(op, reduction, weighted);
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void ImportsAsOneSampleAndMatchesTheReference(string op, string reduction, bool weighted)
    {
        bool softmax = op == "SoftmaxCrossEntropyLoss";
        byte[] bytes = LossGraph(op, reduction, -1, SomeLabels, weighted, logProb: softmax);
        OnnxImportResult imported = OnnxImporter.Import(bytes, batchMode: OnnxBatchMode.OneSample);
        using Model model = imported.Model;
        float[] x = Scores(30, 1);
        var (loss, logProb) = Reference(x, 2, 5, 3, SomeLabels, -1, weighted ? ClassWeights : null, reduction, softmax);
        var z = new float[loss.Length];
        var lp = new float[softmax ? 30 : 0];
        model.Predict([x], softmax ? [z, lp] : [z]);
        for (int i = 0; i < loss.Length; i++) Assert.Equal(loss[i], z[i], 5e-6);
        for (int i = 0; i < lp.Length; i++) Assert.Equal(logProb[i], lp[i], 5e-6);
        // The ignored elements' losses are exactly 0 (reduction none).
        if (reduction == "none") Assert.Equal([0f, 0f], [z[2], z[4]]);

        using var frozen = InferenceModel.Freeze(model);
        var fz = new float[z.Length];
        var flp = new float[lp.Length];
        frozen.Predict([x], 1, softmax ? [fz, flp] : [fz]);
        Assert.Equal(z, fz);
        Assert.Equal(lp, flp);
    }

    [Fact]
    public void LogProbAloneIsTheLogSoftmaxOverTheClasses()
    {
        // Only log_prob is a graph output: the loss output is left out, log_prob is the log-softmax over axis 1.
        byte[] bytes = Model([NamedNode("loss", "SoftmaxCrossEntropyLoss", ["x", "y"], ["", "log_prob"], StringAttribute("reduction", "sum"))],
            [Int64Tensor("y", [2, 3], SomeLabels.Select(l => l < 0 ? 2 : l).ToArray())], [Value("x", [2, 5, 3])], [Value("log_prob", [2, 5, 3])]);
        using Model model = OnnxImporter.Import(bytes, batchMode: OnnxBatchMode.OneSample).Model;
        float[] x = Scores(30, 2);
        var y = new float[30];
        model.Predict(x, y);
        var (_, logProb) = Reference(x, 2, 5, 3, [1, 4, 2, 0, 2, 3], null, null, "sum", softmax: true);
        for (int i = 0; i < 30; i++) Assert.Equal(logProb[i], y[i], 2e-6);
    }

    [Fact]
    public void TrainsThroughTheImportedLoss()
    {
        // x → Mul by a trainable scale [5] (over the classes, broadcast as [5, 1]) → SoftmaxCrossEntropyLoss (mean, weights, ignore_index).
        float[] scale = [1.5f, -0.5f, 2f, 0.75f, 1f];
        byte[] bytes = Model(
            [Node("Mul", ["x", "s"], ["t"]), NamedNode("loss", "SoftmaxCrossEntropyLoss", ["t", "y", "w"], ["z"], StringAttribute("reduction", "mean"), IntAttribute("ignore_index", -1))],
            [Tensor("s", [5, 1], scale), Int64Tensor("y", [2, 3], SomeLabels), Tensor("w", [5], ClassWeights)],
            [Value("x", [2, 5, 3])], [Value("z", [])]);
        using Model model = OnnxImporter.Import(bytes, batchMode: OnnxBatchMode.OneSample).Model;
        model.ComputeInputGradient = true;
        float[] x = Scores(30, 3);
        model.Forward(x, 1, training: true);
        model.OutputGradient(1).Fill(1f);
        model.Backward(1);
        float[] gradient = model.InputGradient(1).ToArray();

        double Loss(float[] input)
        {
            var t = new float[30];
            for (int i = 0; i < 30; i++) t[i] = input[i] * scale[i / 3 % 5];
            return Reference(t, 2, 5, 3, SomeLabels, -1, ClassWeights, "mean", softmax: true).Loss[0];
        }
        for (int i = 0; i < 30; i++)
        {
            float[] plus = [.. x], minus = [.. x];
            plus[i] += 1e-3f;
            minus[i] -= 1e-3f;
            double numeric = (Loss(plus) - Loss(minus)) / (plus[i] - minus[i]);
            Assert.True(Math.Abs(gradient[i] - numeric) <= 1e-4 + 1e-3 * Math.Abs(numeric), $"dx[{i}] is {gradient[i]}, finite differences {numeric}.");
        }
        // An element left out has no gradient.
        for (int k = 0; k < 5; k++) Assert.Equal(0f, gradient[k * 3 + 2]);
    }

    [Fact]
    public void AModelFileKeepsTheLabelsAndWeights()
    {
        using Model model = OnnxImporter.Import(LossGraph("SoftmaxCrossEntropyLoss", "none", -1, SomeLabels, weighted: true), batchMode: OnnxBatchMode.OneSample).Model;
        string path = _dir.PathOf("loss.simd");
        model.Save(path);
        using Model loaded = Simd.Runtime.Models.Model.Load(path);
        float[] x = Scores(30, 4);
        var a = new float[6];
        var b = new float[6];
        model.Predict(x, a);
        loaded.Predict(x, b);
        Assert.Equal(a, b);
        var op = Assert.IsType<SoftmaxCrossEntropyLossOp>(loaded.Graph.Nodes.Single().Op);
        Assert.Equal(SomeLabels, op.Labels);
        Assert.Equal(-1L, op.IgnoreIndex);
    }

    [Fact]
    public void FrozenCallsAndTrainingStepsAllocateNothing()
    {
        foreach (string op in new[] { "NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss" })
        {
            using Model model = OnnxImporter.Import(LossGraph(op, "mean", -1, SomeLabels, weighted: true), batchMode: OnnxBatchMode.OneSample).Model;
            float[] x = Scores(30, 5);
            var y = new float[4];
            using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = 4, IntraOpThreads = 1 });
            float[] batch = [.. x, .. x, .. x, .. x];
            void Calls()
            {
                frozen.Predict(x, y.AsSpan(0, 1));
                frozen.Predict(batch, 4, y);
            }
            Calls();
            Assert.Equal(0, Allocations.OnThisThread(Calls));
            Assert.Equal(y[0], y[3]);

            model.ComputeInputGradient = true;
            void Step()
            {
                model.Forward(x, 1, training: true);
                model.OutputGradient(1).Fill(1f);
                model.Backward(1);
            }
            Step();
            Assert.Equal(0, Allocations.OnThisThread(Step));
        }
    }

    [Theory]
    [InlineData("mean", "reduction 'mean' adds the losses of the whole batch N into one value, which no op of a model with a batch axis computes; imported as one sample, the op holds the labels whole.")]
    [InlineData("none", "reduction 'none' with a batch axis would need the labels 'y' per sample, and a model's inputs are float32 samples, not int64 labels; imported as one sample, the op holds the labels whole.")]
    public void WithABatchAxisTheLossIsRefused(string reduction, string detail)
    {
        byte[] bytes = LossGraph("SoftmaxCrossEntropyLoss", reduction, null, [1, 4, 2, 0, 2, 3], weighted: false);
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Equal("loss", e.Node);
        Assert.Equal("SoftmaxCrossEntropyLoss", e.OpType);
        Assert.EndsWith(detail, e.Message);
    }

    public static TheoryData<string, byte[]> Refused() => new()
    {
        { "label 7 at [1, 1] of 'y' is not a class of the 5 in [0, 5) nor ignore_index -1.",
            LossGraph("NegativeLogLikelihoodLoss", "sum", -1, [1, 4, -1, 0, 7, 3], weighted: false) },
        { "label -1 at [0, 2] of 'y' is not a class of the 5 in [0, 5) (no ignore_index is set).",
            LossGraph("SoftmaxCrossEntropyLoss", "sum", null, SomeLabels, weighted: false) },
        { "the labels 'y' have shape [6]; scores [2, 5, 3] need labels [2, 3] (N, d1, …, dk).",
            LossGraph("SoftmaxCrossEntropyLoss", "mean", null, [1, 4, 2, 0, 2, 3], weighted: false, labelDims: [6]) },
        { "the class weights 'w' have shape [3]; expected [5], one per class (axis 1 of the scores).",
            LossGraph("NegativeLogLikelihoodLoss", "mean", -1, SomeLabels, weighted: true, weights: [1, 2, 3]) },
        { "input 0 'x' has shape [5]; NegativeLogLikelihoodLoss takes scores [N, C, d1, …, dk] of rank 2 or more.",
            LossGraph("NegativeLogLikelihoodLoss", "mean", null, [1], weighted: false, xDims: [5], labelDims: [1]) },
        { "reduction 'max' is not one of ONNX's none, sum, mean.",
            LossGraph("NegativeLogLikelihoodLoss", "max", -1, SomeLabels, weighted: false) },
        { "the importer maps NegativeLogLikelihoodLoss in opsets 12 to 25.",
            LossGraph("NegativeLogLikelihoodLoss", "mean", -1, SomeLabels, weighted: false, opset: 11) },
    };

    [Theory, MemberData(nameof(Refused))]
    public void WhatDoesNotFitIsRefusedNamingTheNode(string detail, byte[] bytes)
    {
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes, batchMode: OnnxBatchMode.OneSample));
        Assert.Equal("loss", e.Node);
        Assert.EndsWith(detail, e.Message);
    }

    [Fact]
    public void TheExporterRefusesTheLoss()
    {
        using Model model = OnnxImporter.Import(LossGraph("NegativeLogLikelihoodLoss", "mean", -1, SomeLabels, weighted: false), batchMode: OnnxBatchMode.OneSample).Model;
        string path = _dir.PathOf("loss.onnx");
        var e = Assert.Throws<Simd.Runtime.Onnx.Export.OnnxExportException>(() => model.ExportOnnx(path));
        Assert.Equal(NllLossOp.Name, e.OpKind);
        Assert.Contains("the exporter has no ONNX form for the op 'nll_loss'", e.Message);
        Assert.False(File.Exists(path));
    }
}
