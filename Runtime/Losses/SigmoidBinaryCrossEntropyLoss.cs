namespace Simd.Runtime.Losses;

/// <summary>
/// Binary cross-entropy on logits for multi-label outputs (each column an independent yes/no), written in the
/// stable form max(x, 0) − x·t + log(1 + e^−|x|); mean over every element, as PyTorch's BCEWithLogitsLoss.
/// Gradient: (sigmoid(x) − t) / (rows·cols).
/// </summary>
public sealed class SigmoidBinaryCrossEntropyLoss : Loss
{
    public override string Name => "sigmoid-binary-cross-entropy";

    private protected override double ComputeCore(ReadOnlySpan<float> output, int rows, int cols, ReadOnlySpan<int> labels,
        ReadOnlySpan<float> targets, Span<float> gradient)
    {
        double total = 0;
        float scale = 1f / (rows * cols);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                int i = r * cols + c;
                float x = output[i];
                float t = Target(labels, targets, r, c, cols);
                float e = MathF.Exp(-MathF.Abs(x));
                total += MathF.Max(x, 0f) - x * t + MathF.Log(1f + e);
                if (!gradient.IsEmpty)
                {
                    // sigmoid from the same e^−|x|, so neither branch overflows.
                    float sigmoid = x >= 0 ? 1f / (1f + e) : e / (1f + e);
                    gradient[i] = (sigmoid - t) * scale;
                }
            }
        }
        return total / ((double)rows * cols);
    }
}
