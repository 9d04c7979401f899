namespace Simd.Runtime.Intrinsics;

/// <summary>
/// ONNX's SoftmaxCrossEntropyLoss over scores [n, classes, inner] (inner = d1·…·dk; 1 for [n, classes]): the
/// log-softmax over the classes of each element (n, position), then <see cref="NegativeLogLikelihood"/> of it. The
/// log-probabilities are kept with the classes last, [n, inner, classes] (the scores transposed where inner is
/// above 1), so the row-wise <see cref="Softmax"/> kernels run on them; backward is the log-softmax's backward of
/// the gradient the loss scatters onto the labels (plus the log_prob output's, where it has one).
/// </summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>
    /// The loss (as <c>NegativeLogLikelihood.Forward</c> writes it), and the log-probabilities into
    /// <paramref name="logp"/>: n·inner·classes floats, classes last, read again by <c>Backward</c>.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, ReadOnlySpan<float> weights, int classes, int inner,
        LossReduction reduction, Span<float> logp, Span<float> loss) =>
        Forward(x, labels, weights, classes, inner, reduction, logp, loss, Isa.Width);

    /// <summary>The log-probabilities in the scores' layout [n, classes, inner] (ONNX's log_prob output), from <c>Forward</c>'s.</summary>
    public static void LogProbabilities(ReadOnlySpan<float> logp, int rows, int classes, int inner, Span<float> logProb)
    {
        int length = CheckedLength(rows, classes, inner);
        SpanChecks.AtLeast(logp.Length, length, nameof(logp));
        SpanChecks.AtLeast(logProb.Length, length, nameof(logProb));
        if (inner == 1) logp[..length].CopyTo(logProb);
        else Transpose.Permute(logp, logProb, rows, [inner, classes], [1, 0]);
    }

    /// <summary>
    /// dx (overwritten) = d(Σ dloss · loss + Σ dlogProb · logProb)/dx, from <c>Forward</c>'s
    /// <paramref name="logp"/>. dlogProb is the log_prob output's gradient in the scores' layout, or empty where
    /// there is none. <paramref name="work"/> holds n·inner·classes floats; every gradient is read before dx is
    /// written, so dx may share memory with dloss or dlogProb.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> logp, ReadOnlySpan<float> dloss, ReadOnlySpan<float> dlogProb, ReadOnlySpan<int> labels,
        ReadOnlySpan<float> weights, int classes, int inner, LossReduction reduction, Span<float> work, Span<float> dx) =>
        Backward(logp, dloss, dlogProb, labels, weights, classes, inner, reduction, work, dx, Isa.Width);

    internal static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<int> labels, ReadOnlySpan<float> weights, int classes, int inner,
        LossReduction reduction, Span<float> logp, Span<float> loss, SimdWidth width)
    {
        int rows = Rows(labels, inner);
        int length = CheckedLength(rows, classes, inner);
        SpanChecks.AtLeast(x.Length, length, nameof(x));
        SpanChecks.AtLeast(logp.Length, length, nameof(logp));
        Span<float> rowsOfClasses = logp[..length];
        if (inner == 1) Softmax.LogForward(x[..length], rowsOfClasses, rows, classes, width);
        else
        {
            Transpose.Permute(x, rowsOfClasses, rows, [classes, inner], [1, 0]);
            Softmax.LogForward(rowsOfClasses, rowsOfClasses, rows * inner, classes, width);
        }
        NegativeLogLikelihood.Forward(rowsOfClasses, labels, weights, classes, inner, classesLast: true, reduction, loss);
    }

    internal static void Backward(ReadOnlySpan<float> logp, ReadOnlySpan<float> dloss, ReadOnlySpan<float> dlogProb, ReadOnlySpan<int> labels,
        ReadOnlySpan<float> weights, int classes, int inner, LossReduction reduction, Span<float> work, Span<float> dx, SimdWidth width)
    {
        int rows = Rows(labels, inner);
        int length = CheckedLength(rows, classes, inner);
        SpanChecks.AtLeast(logp.Length, length, nameof(logp));
        SpanChecks.AtLeast(work.Length, length, nameof(work));
        SpanChecks.AtLeast(dx.Length, length, nameof(dx));
        SpanChecks.AtLeast(dloss.Length, reduction == LossReduction.None ? labels.Length : 1, nameof(dloss));
        if (!dlogProb.IsEmpty) SpanChecks.AtLeast(dlogProb.Length, length, nameof(dlogProb));
        if (!weights.IsEmpty) SpanChecks.AtLeast(weights.Length, classes, nameof(weights));
        NegativeLogLikelihood.CheckLabels(labels, classes);
        Span<float> dy = work[..length];
        if (dlogProb.IsEmpty) dy.Clear();
        else if (inner == 1) dlogProb[..length].CopyTo(dy);
        else Transpose.Permute(dlogProb, dy, rows, [classes, inner], [1, 0]);
        NegativeLogLikelihood.Scatter(dloss, labels, weights, classes, inner, classesLast: true, reduction, dy);
        Softmax.LogBackward(logp[..length], dy, dy, rows * inner, classes, width);
        if (inner == 1) dy.CopyTo(dx);
        else Transpose.Permute(dy, dx, rows, [inner, classes], [1, 0]);
    }

    private static int Rows(ReadOnlySpan<int> labels, int inner)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inner);
        if (labels.Length % inner != 0)
            throw new ArgumentException($"{labels.Length} labels are not whole rows of {inner} positions.", nameof(labels));
        return labels.Length / inner;
    }

    private static int CheckedLength(int rows, int classes, int inner)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inner);
        long length = (long)rows * classes * inner;
        if (length > int.MaxValue) throw new ArgumentException($"{rows}·{classes}·{inner} values do not fit a span.");
        return (int)length;
    }
}
