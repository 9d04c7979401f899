namespace Simd.Runtime.Intrinsics;

/// <summary>
/// ONNX's NegativeLogLikelihoodLoss over log-probabilities [n, classes, inner] (inner = d1·…·dk; 1 for [n, classes])
/// with one label per element (n, position), n·inner of them: loss = −w[label] · logp[n, label, position], where w
/// is the class weights (1 each when empty). A label of −1 marks an element left out (the caller maps ONNX's
/// ignore_index to it): its loss is 0 and it adds nothing to a mean's weights. The kernel gathers and scatters by
/// label, one float per element, so there is nothing to vectorize and every width gives the same bits; sums add in
/// double in element order.
/// </summary>
public static class NegativeLogLikelihood
{
    /// <summary>The label of an element left out.</summary>
    public const int Ignored = -1;

    /// <summary>
    /// The loss: n·inner values for <see cref="LossReduction.None"/>, else one (a mean of elements that are all
    /// left out is 0 / 0, NaN, as ONNX's reference gives).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> logp, ReadOnlySpan<int> labels, ReadOnlySpan<float> weights, int classes, int inner,
        LossReduction reduction, Span<float> loss) =>
        Forward(logp, labels, weights, classes, inner, classesLast: false, reduction, loss);

    /// <summary>dlogp (overwritten) = d(Σ dloss · loss)/d(logp); dloss as <c>Forward</c> wrote loss. dlogp must not overlap dloss.</summary>
    public static void Backward(ReadOnlySpan<float> dloss, ReadOnlySpan<int> labels, ReadOnlySpan<float> weights, int classes, int inner,
        LossReduction reduction, Span<float> dlogp)
    {
        Check(dlogp.Length, labels, weights, classes, inner, reduction, dloss.Length, nameof(dlogp));
        if (dloss.Overlaps(dlogp)) throw new ArgumentException("dlogp overlaps dloss; expected disjoint spans.", nameof(dlogp));
        dlogp[..(labels.Length * classes)].Clear();
        Scatter(dloss, labels, weights, classes, inner, classesLast: false, reduction, dlogp);
    }

    /// <summary>
    /// Forward over either layout: [n, classes, inner] or, <paramref name="classesLast"/>, [n, inner, classes] (the
    /// rows of a row-wise log-softmax).
    /// </summary>
    internal static void Forward(ReadOnlySpan<float> logp, ReadOnlySpan<int> labels, ReadOnlySpan<float> weights, int classes, int inner,
        bool classesLast, LossReduction reduction, Span<float> loss)
    {
        Check(logp.Length, labels, weights, classes, inner, reduction, loss.Length, nameof(logp));
        double total = 0, weightSum = 0;
        for (int e = 0; e < labels.Length; e++)
        {
            int label = labels[e];
            float value = 0;
            if (label != Ignored)
            {
                float w = weights.IsEmpty ? 1f : weights[label];
                value = -(w * logp[Offset(e, label, classes, inner, classesLast)]);
                weightSum += w;
            }
            if (reduction == LossReduction.None) loss[e] = value;
            else total += value;
        }
        if (reduction == LossReduction.Sum) loss[0] = (float)total;
        else if (reduction == LossReduction.Mean) loss[0] = (float)(total / weightSum);
    }

    /// <summary>Adds −w[label] · g to each element's labelled log-probability, g its loss's gradient (a mean's divided by the weights' sum).</summary>
    internal static void Scatter(ReadOnlySpan<float> dloss, ReadOnlySpan<int> labels, ReadOnlySpan<float> weights, int classes, int inner,
        bool classesLast, LossReduction reduction, Span<float> dlogp)
    {
        float g = 0;
        if (reduction == LossReduction.Sum) g = dloss[0];
        else if (reduction == LossReduction.Mean)
        {
            double weightSum = 0;
            for (int e = 0; e < labels.Length; e++)
                if (labels[e] != Ignored) weightSum += weights.IsEmpty ? 1f : weights[labels[e]];
            // Every element left out: nothing to scatter (and no 0 / 0).
            g = weightSum == 0 ? 0 : (float)(dloss[0] / weightSum);
        }
        for (int e = 0; e < labels.Length; e++)
        {
            int label = labels[e];
            if (label == Ignored) continue;
            float w = weights.IsEmpty ? 1f : weights[label];
            dlogp[Offset(e, label, classes, inner, classesLast)] -= w * (reduction == LossReduction.None ? dloss[e] : g);
        }
    }

    private static int Offset(int element, int label, int classes, int inner, bool classesLast) =>
        classesLast ? element * classes + label : (element / inner * classes + label) * inner + element % inner;

    private static void Check(int length, ReadOnlySpan<int> labels, ReadOnlySpan<float> weights, int classes, int inner, LossReduction reduction,
        int lossLength, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inner);
        if (labels.Length % inner != 0)
            throw new ArgumentException($"{labels.Length} labels are not whole rows of {inner} positions.", nameof(labels));
        SpanChecks.AtLeast(length, labels.Length * classes, name);
        if (!weights.IsEmpty) SpanChecks.AtLeast(weights.Length, classes, nameof(weights));
        SpanChecks.AtLeast(lossLength, reduction == LossReduction.None ? labels.Length : 1, "loss");
        CheckLabels(labels, classes);
    }

    internal static void CheckLabels(ReadOnlySpan<int> labels, int classes)
    {
        foreach (int label in labels)
        {
            if (label != Ignored && (uint)label >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"A label must be a class in [0, {classes}) or {Ignored} (left out).");
        }
    }
}
