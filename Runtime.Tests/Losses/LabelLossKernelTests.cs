using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Losses;

/// <summary>
/// The label-loss kernels (ONNX's NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss over [n, classes, inner])
/// at every width against a double reference: loss, log-probabilities and the gradient with respect to the scores,
/// for 2-D and N-d layouts, with and without class weights, each reduction and labels left out.
/// </summary>
[Trait("Category", "Kernels")]
public sealed class LabelLossKernelTests
{
    public static IEnumerable<object[]> Widths() => KernelTestData.WidthCases();

    private static readonly (int Rows, int Classes, int Inner)[] Layouts = [(3, 5, 1), (1, 1, 1), (2, 17, 1), (3, 4, 6), (2, 33, 5), (4, 2, 3)];

    private static int[] Labels(int count, int classes, bool ignore) =>
        [.. Enumerable.Range(0, count).Select(e => ignore && e % 3 == 1 ? NegativeLogLikelihood.Ignored : (e * 7 + 3) % classes)];

    private static float[] Weights(int classes) => [.. Enumerable.Range(0, classes).Select(k => 0.25f + 0.125f * (k % 7))];

    /// <summary>The loss and, per element, the weight of its gradient (a mean's over the weights' sum), in double.</summary>
    private static (double[] Loss, double[] Scale) Reference(Func<int, int, double> logp, int[] labels, float[]? weights, LossReduction reduction, double[] dloss)
    {
        var loss = new double[reduction == LossReduction.None ? labels.Length : 1];
        var scale = new double[labels.Length];
        double total = 0, weightSum = 0;
        for (int e = 0; e < labels.Length; e++)
        {
            if (labels[e] < 0) continue;
            double w = weights?[labels[e]] ?? 1;
            double l = -w * logp(e, labels[e]);
            weightSum += w;
            if (reduction == LossReduction.None) loss[e] = l;
            else total += l;
            scale[e] = w * (reduction == LossReduction.None ? dloss[e] : dloss[0]);
        }
        if (reduction != LossReduction.None) loss[0] = reduction == LossReduction.Sum ? total : total / weightSum;
        if (reduction == LossReduction.Mean)
            for (int e = 0; e < scale.Length; e++) scale[e] /= weightSum;
        return (loss, scale);
    }

    public static TheoryData<SimdWidth, LossReduction, bool, bool> Cases()
    {
        var data = new TheoryData<SimdWidth, LossReduction, bool, bool>();
        foreach (SimdWidth width in KernelTestData.Widths)
            foreach (LossReduction reduction in Enum.GetValues<LossReduction>())
                foreach (bool weighted in new[] { false, true })
                    foreach (bool ignore in new[] { false, true })
                        data.Add(width, reduction, weighted, ignore);
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void SoftmaxCrossEntropyMatchesTheReference(SimdWidth width, LossReduction reduction, bool weighted, bool ignore)
    {
        foreach (var (rows, classes, inner) in Layouts)
        {
            int length = rows * classes * inner, elements = rows * inner;
            float[] x = KernelTestData.Uniform(length, classes + inner, -8, 8);
            int[] labels = Labels(elements, classes, ignore);
            float[]? weights = weighted ? Weights(classes) : null;
            int lossLength = reduction == LossReduction.None ? elements : 1;
            float[] dloss = KernelTestData.Uniform(lossLength, 3, -1, 1), dlogProb = KernelTestData.Uniform(length, 4, -1, 1);
            var logp = new float[length];
            var loss = new float[lossLength];
            SoftmaxCrossEntropy.Forward(x, labels, weights, classes, inner, reduction, logp, loss, width);

            // log-softmax over the classes of each (row, position), in double, in x's layout.
            var expectedLogp = new double[length];
            for (int e = 0; e < elements; e++)
            {
                int n = e / inner, j = e % inner;
                double max = double.NegativeInfinity, sum = 0;
                for (int k = 0; k < classes; k++) max = Math.Max(max, x[(n * classes + k) * inner + j]);
                for (int k = 0; k < classes; k++) sum += Math.Exp(x[(n * classes + k) * inner + j] - max);
                for (int k = 0; k < classes; k++) expectedLogp[(n * classes + k) * inner + j] = x[(n * classes + k) * inner + j] - max - Math.Log(sum);
            }
            double LogpAt(int e, int k) => expectedLogp[(e / inner * classes + k) * inner + e % inner];
            var (expectedLoss, scale) = Reference(LogpAt, labels, weights, reduction, [.. dloss.Select(v => (double)v)]);
            string where = $"{width} {reduction} [{rows}, {classes}, {inner}]{(weighted ? " weighted" : "")}{(ignore ? " ignoring" : "")}";
            for (int i = 0; i < lossLength; i++) KernelTestData.Check(loss[i], expectedLoss[i], 1e-5, 1e-5, () => $"{where}: loss[{i}]");

            var logProb = new float[length];
            SoftmaxCrossEntropy.LogProbabilities(logp, rows, classes, inner, logProb);
            for (int i = 0; i < length; i++) KernelTestData.Check(logProb[i], expectedLogp[i], 0, 2e-6 * (1 + Math.Abs(expectedLogp[i])), () => $"{where}: log_prob[{i}]");

            foreach (bool withLogProb in new[] { false, true })
            {
                var dx = new float[length];
                dx.AsSpan().Fill(float.NaN);
                SoftmaxCrossEntropy.Backward(logp, dloss, withLogProb ? dlogProb : default, labels, weights, classes, inner, reduction, new float[length], dx, width);
                for (int e = 0; e < elements; e++)
                {
                    int n = e / inner, j = e % inner;
                    double dlpSum = 0;
                    for (int k = 0; k < classes; k++) dlpSum += withLogProb ? dlogProb[(n * classes + k) * inner + j] : 0;
                    for (int k = 0; k < classes; k++)
                    {
                        int at = (n * classes + k) * inner + j;
                        double p = Math.Exp(expectedLogp[at]);
                        double expected = scale[e] * (p - (labels[e] == k ? 1 : 0)) + (withLogProb ? dlogProb[at] - p * dlpSum : 0);
                        KernelTestData.Check(dx[at], expected, 1e-4, 1e-6, () => $"{where}{(withLogProb ? " with log_prob" : "")}: dx[{at}]");
                    }
                }
            }
        }
    }

    [Theory, MemberData(nameof(Cases))]
    public void NegativeLogLikelihoodMatchesTheReference(SimdWidth width, LossReduction reduction, bool weighted, bool ignore)
    {
        // The kernel gathers and scatters one float per element: the width cannot change it, the case runs at each anyway.
        _ = width;
        foreach (var (rows, classes, inner) in Layouts)
        {
            int length = rows * classes * inner, elements = rows * inner;
            float[] logp = KernelTestData.Uniform(length, classes * inner, -5, 0);
            int[] labels = Labels(elements, classes, ignore);
            float[]? weights = weighted ? Weights(classes) : null;
            int lossLength = reduction == LossReduction.None ? elements : 1;
            float[] dloss = KernelTestData.Uniform(lossLength, 5, -1, 1);
            var loss = new float[lossLength];
            NegativeLogLikelihood.Forward(logp, labels, weights, classes, inner, reduction, loss);
            var (expectedLoss, scale) = Reference((e, k) => logp[(e / inner * classes + k) * inner + e % inner], labels, weights, reduction,
                [.. dloss.Select(v => (double)v)]);
            string where = $"{reduction} [{rows}, {classes}, {inner}]{(weighted ? " weighted" : "")}{(ignore ? " ignoring" : "")}";
            for (int i = 0; i < lossLength; i++) KernelTestData.Check(loss[i], expectedLoss[i], 1e-6, 1e-6, () => $"{where}: loss[{i}]");

            var dx = new float[length];
            dx.AsSpan().Fill(float.NaN);
            NegativeLogLikelihood.Backward(dloss, labels, weights, classes, inner, reduction, dx);
            for (int e = 0; e < elements; e++)
                for (int k = 0; k < classes; k++)
                {
                    int at = (e / inner * classes + k) * inner + e % inner;
                    KernelTestData.Check(dx[at], labels[e] == k ? -scale[e] : 0, 1e-6, 1e-7, () => $"{where}: dx[{at}]");
                }
        }
    }

    [Fact]
    public void AMeanOfElementsAllLeftOutIsNaNWithAZeroGradient()
    {
        float[] x = [1, 2, 3, 4, 5, 6];
        int[] labels = [NegativeLogLikelihood.Ignored, NegativeLogLikelihood.Ignored];
        var loss = new float[1];
        var logp = new float[6];
        SoftmaxCrossEntropy.Forward(x, labels, default, 3, 1, LossReduction.Mean, logp, loss);
        Assert.True(float.IsNaN(loss[0]));
        var dx = new float[6];
        SoftmaxCrossEntropy.Backward(logp, [1f], default, labels, default, 3, 1, LossReduction.Mean, new float[6], dx);
        Assert.All(dx, v => Assert.Equal(0f, v));
        NegativeLogLikelihood.Forward(x, labels, default, 3, 1, LossReduction.Sum, loss);
        Assert.Equal(0f, loss[0]);
    }

    [Fact]
    public void ALabelOutsideTheClassesIsRefused()
    {
        var loss = new float[1];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => NegativeLogLikelihood.Forward(new float[6], [0, 3], default, 3, 1, LossReduction.Sum, loss));
        Assert.Contains("A label must be a class in [0, 3) or -1 (left out).", e.Message);
        Assert.Throws<ArgumentException>(() => NegativeLogLikelihood.Forward(new float[6], [0, 1, 2], default, 3, 2, LossReduction.Sum, loss));
    }
}
