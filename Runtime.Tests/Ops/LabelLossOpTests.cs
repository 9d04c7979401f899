using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// NllLossOp and SoftmaxCrossEntropyLossOp (ONNX's NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss with
/// constant labels) through the op tester: forward against a double reference and backward against finite
/// differences, over 2-D and N-d scores, with and without class weights, each reduction, and labels left out by
/// ignore_index (negative, and a class); log_prob as a second output. Each sample is a whole [N, C, d…] tensor.
/// </summary>
public sealed class LabelLossOpTests
{
    private static readonly int[][] Shapes = [[3, 5], [1, 1], [2, 17], [2, 4, 3], [2, 3, 2, 2]];

    /// <summary>No ignore_index; ignore_index −1 with class weights; ignore_index 1 (a class) with class weights.</summary>
    private static readonly (long? Ignore, bool Weighted)[] Settings = [(null, false), (-1, true), (1, true)];

    public static TheoryData<int, int, LossReduction> Cases()
    {
        var data = new TheoryData<int, int, LossReduction>();
        for (int s = 0; s < Shapes.Length; s++)
            for (int k = 0; k < Settings.Length; k++)
                foreach (LossReduction reduction in Enum.GetValues<LossReduction>()) data.Add(s, k, reduction);
        return data;
    }

    private static long[] Labels(int[] dims, long? ignore)
    {
        int count = dims[0] * dims.Skip(2).Aggregate(1, (a, d) => a * d);
        return [.. Enumerable.Range(0, count).Select(e => ignore is long i && e % 3 == 1 ? i : (e * 7 + 3) % dims[1])];
    }

    private static void SetWeights(Op op, Simd.Runtime.Initializers.DeterministicRandom random)
    {
        _ = random;
        if (!((LabelLossOp)op).Weighted) return;
        Span<float> w = op.TensorData(0);
        for (int k = 0; k < w.Length; k++) w[k] = 0.25f + 0.375f * (k % 5);
    }

    /// <summary>The loss (and log_prob) of every sample, in double.</summary>
    private static double[][] Reference(OpReferenceArgs a, bool softmax)
    {
        var op = (LabelLossOp)a.Op;
        TensorShape shape = a.InputShapes[0];
        int n = shape[0], classes = shape[1], inner = shape.Tail(2).Length, sample = shape.Length;
        double[]? weights = op.Weighted ? a.Tensor("weights") : null;
        int lossLength = op.Reduction == LossReduction.None ? n * inner : 1;
        bool logProb = op is SoftmaxCrossEntropyLossOp { LogProb: true };
        var loss = new double[a.Rows * lossLength];
        var logp = new double[a.Rows * sample];
        double[] x = a.Inputs[0];
        for (int r = 0; r < a.Rows; r++)
        {
            double total = 0, weightSum = 0;
            for (int e = 0; e < n * inner; e++)
            {
                int row = e / inner, j = e % inner;
                int At(int k) => r * sample + (row * classes + k) * inner + j;
                double max = double.NegativeInfinity, sum = 0;
                for (int k = 0; k < classes; k++) max = Math.Max(max, x[At(k)]);
                for (int k = 0; k < classes; k++) sum += Math.Exp(x[At(k)] - max);
                for (int k = 0; k < classes; k++) logp[At(k)] = softmax ? x[At(k)] - max - Math.Log(sum) : x[At(k)];
                long label = op.Labels[e];
                double l = 0;
                if (label != op.IgnoreIndex)
                {
                    double w = weights?[label] ?? 1;
                    l = -w * logp[At((int)label)];
                    weightSum += w;
                }
                if (op.Reduction == LossReduction.None) loss[r * lossLength + e] = l;
                else total += l;
            }
            if (op.Reduction != LossReduction.None) loss[r] = op.Reduction == LossReduction.Sum ? total : total / weightSum;
        }
        return logProb ? [loss, logp] : [loss];
    }

    private static OpCase Case(string name, Func<Op> create, int[] dims, bool softmax) =>
        new(name, create, [new TensorShape(dims)], a => Reference(a, softmax)) { Initialize = SetWeights };

    [Theory, MemberData(nameof(Cases))]
    public void NegativeLogLikelihoodLoss(int shape, int setting, LossReduction reduction)
    {
        int[] dims = Shapes[shape];
        var (ignore, weighted) = Settings[setting];
        long[] labels = Labels(dims, ignore);
        string ignored = ignore is long i ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";
        string name = $"nll [{string.Join(", ", dims)}] {reduction} ignore {ignored}{(weighted ? " weighted" : "")}";
        OpTester.Check(Case(name, () => new NllLossOp(labels, reduction, ignore, weighted), dims, softmax: false));
        OpTester.Check(Case(name + " evaluation", () => new NllLossOp(labels, reduction, ignore, weighted), dims, softmax: false) with { Training = false });
    }

    [Theory, MemberData(nameof(Cases))]
    public void SoftmaxCrossEntropyLoss(int shape, int setting, LossReduction reduction)
    {
        int[] dims = Shapes[shape];
        var (ignore, weighted) = Settings[setting];
        long[] labels = Labels(dims, ignore);
        string ignored = ignore is long i ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none";
        string name = $"sce [{string.Join(", ", dims)}] {reduction} ignore {ignored}{(weighted ? " weighted" : "")}";
        OpTester.Check(Case(name, () => new SoftmaxCrossEntropyLossOp(labels, reduction, ignore, weighted), dims, softmax: true));
        OpTester.Check(Case(name + " log_prob", () => new SoftmaxCrossEntropyLossOp(labels, reduction, ignore, weighted, logProb: true), dims, softmax: true));
        OpTester.Check(Case(name + " evaluation", () => new SoftmaxCrossEntropyLossOp(labels, reduction, ignore, weighted), dims, softmax: true) with { Training = false });
    }

    [Fact]
    public void TheSettingsRoundTrip()
    {
        var sce = (SoftmaxCrossEntropyLossOp)OpRegistry.Clone(new SoftmaxCrossEntropyLossOp([0, -5, 2], LossReduction.Sum, -5, weighted: true, logProb: true));
        Assert.Equal([0L, -5, 2], sce.Labels);
        Assert.Equal(LossReduction.Sum, sce.Reduction);
        Assert.Equal(-5L, sce.IgnoreIndex);
        Assert.True(sce.Weighted);
        Assert.True(sce.LogProb);
        var nll = (NllLossOp)OpRegistry.Clone(new NllLossOp([1, 0], LossReduction.None));
        Assert.Equal(LossReduction.None, nll.Reduction);
        Assert.Null(nll.IgnoreIndex);
        Assert.False(nll.Weighted);
    }

    [Fact]
    public void LabelsThatDoNotFitTheScoresAreRefused()
    {
        var outside = Assert.Throws<ArgumentException>(() => new NllLossOp([0, 5, 1], ignoreIndex: -1).InferShapes([new TensorShape(3, 5)]));
        Assert.Equal("label 5 (element 1 of the labels) is outside the 5 classes [0, 5) and is not ignore_index -1.", outside.Message);
        var count = Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropyLossOp([0, 1]).InferShapes([new TensorShape(2, 5, 3)]));
        Assert.Equal("softmax_cross_entropy_loss holds 2 labels; scores [2×5×3] need N·d1·…·dk = 6, one per row and position.", count.Message);
        var rank = Assert.Throws<ArgumentException>(() => new NllLossOp([0]).InferShapes([new TensorShape(5)]));
        Assert.Equal("nll_loss takes scores [N, C, d1, …, dk] of rank 2 or more per sample, got [5].", rank.Message);
        var reduction = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(new OpAttributes(NllLossOp.Name).Set("labels", [0L]).Set("reduction", "max")));
        Assert.Equal("nll_loss attribute 'reduction' is 'max', expected none, sum or mean.", reduction.Message);
    }
}
