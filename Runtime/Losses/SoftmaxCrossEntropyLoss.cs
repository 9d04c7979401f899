using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Losses;

/// <summary>
/// Multi-class cross-entropy over logits (softmax inside, max-subtracted), mean over the batch; the gradient is
/// (softmax − q) / rows with q the label distribution. Label smoothing ε spreads ε uniformly over all classes, as in
/// PyTorch's CrossEntropyLoss(label_smoothing = ε): q = (1 − ε)·onehot + ε / classes.
/// </summary>
public sealed class SoftmaxCrossEntropyLoss : Loss
{
    public SoftmaxCrossEntropyLoss(float labelSmoothing = 0f)
    {
        if (!(labelSmoothing >= 0f && labelSmoothing < 1f))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must be in [0, 1).");
        LabelSmoothing = labelSmoothing;
    }

    public float LabelSmoothing { get; }

    public override string Name => "softmax-cross-entropy";

    public override bool RequiresLabels => true;

    private protected override double ComputeCore(ReadOnlySpan<float> output, int rows, int cols, ReadOnlySpan<int> labels,
        ReadOnlySpan<float> targets, Span<float> gradient)
    {
        float offTarget = LabelSmoothing / cols;
        float onTarget = 1f - LabelSmoothing + offTarget;
        float scale = 1f / rows;
        double total = 0;
        // Without a gradient buffer the log-probabilities of a row need scratch of their own.
        Span<float> logRow = !gradient.IsEmpty ? default : cols <= 1024 ? stackalloc float[cols] : new float[cols];
        for (int r = 0; r < rows; r++)
        {
            var x = output.Slice(r * cols, cols);
            Span<float> logp = gradient.IsEmpty ? logRow : gradient.Slice(r * cols, cols);
            Softmax.LogForward(x, logp, 1, cols);
            int label = labels[r];
            double rowLoss = -logp[label];
            if (LabelSmoothing != 0f)
            {
                double sum = 0;
                for (int c = 0; c < cols; c++) sum += logp[c];
                rowLoss = (1.0 - LabelSmoothing) * rowLoss - LabelSmoothing / cols * sum;
            }
            total += rowLoss;
            if (!gradient.IsEmpty)
            {
                for (int c = 0; c < cols; c++)
                    logp[c] = (MathF.Exp(logp[c]) - (c == label ? onTarget : offTarget)) * scale;
            }
        }
        return total / rows;
    }
}
