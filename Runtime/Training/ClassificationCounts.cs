using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;

namespace Simd.Runtime.Training;

/// <summary>How outputs are scored against targets.</summary>
internal enum MetricKind
{
    /// <summary>Regression: no accuracy.</summary>
    None,
    /// <summary>Class labels: the largest output is the prediction.</summary>
    ArgMax,
    /// <summary>Independent yes/no per column (multi-label, or binary with one column): output above a threshold.</summary>
    Threshold,
}

/// <summary>Running counts for accuracy and micro-F1; adding a batch allocates nothing.</summary>
internal struct ClassificationCounts
{
    public long Rows, Correct, TruePositives, FalsePositives, FalseNegatives;

    public static MetricKind KindFor(Loss loss, bool hasLabels, int cols) =>
        hasLabels && cols > 1 ? MetricKind.ArgMax :
        hasLabels || loss is SigmoidBinaryCrossEntropyLoss ? MetricKind.Threshold :
        MetricKind.None;

    /// <summary>Logits are thresholded at 0 (probability ½) for BCE; other losses predict the value itself, cut at ½.</summary>
    public static float ThresholdFor(Loss loss) => loss is SigmoidBinaryCrossEntropyLoss ? 0f : 0.5f;

    public void Add(MetricKind kind, float threshold, ReadOnlySpan<float> output, int rows, int cols, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets)
    {
        Rows += rows;
        if (kind == MetricKind.ArgMax)
        {
            for (int r = 0; r < rows; r++)
            {
                if (Reductions.ArgMax(output.Slice(r * cols, cols)) == labels[r]) Correct++;
            }
        }
        else if (kind == MetricKind.Threshold)
        {
            for (int r = 0; r < rows; r++)
            {
                bool allMatch = true;
                for (int c = 0; c < cols; c++)
                {
                    bool predicted = output[r * cols + c] > threshold;
                    bool actual = targets.IsEmpty ? (cols == 1 ? labels[r] == 1 : labels[r] == c) : targets[r * cols + c] > 0.5f;
                    if (predicted && actual) TruePositives++;
                    else if (predicted) FalsePositives++;
                    else if (actual) FalseNegatives++;
                    allMatch &= predicted == actual;
                }
                if (allMatch) Correct++;
            }
        }
    }

    public readonly double Accuracy(MetricKind kind) => kind == MetricKind.None || Rows == 0 ? double.NaN : (double)Correct / Rows;

    public readonly double MicroF1(MetricKind kind)
    {
        if (kind != MetricKind.Threshold) return double.NaN;
        long denominator = 2 * TruePositives + FalsePositives + FalseNegatives;
        return denominator == 0 ? 1.0 : 2.0 * TruePositives / denominator;
    }
}
