namespace Simd.Runtime.Losses;

/// <summary>Mean over every element of (output − target)²; gradient 2(output − target) / (rows·cols).</summary>
public sealed class MeanSquaredErrorLoss : Loss
{
    public override string Name => "mse";

    private protected override double ComputeCore(ReadOnlySpan<float> output, int rows, int cols, ReadOnlySpan<int> labels,
        ReadOnlySpan<float> targets, Span<float> gradient)
    {
        double total = 0;
        float scale = 2f / (rows * cols);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                int i = r * cols + c;
                float d = output[i] - Target(labels, targets, r, c, cols);
                total += (double)d * d;
                if (!gradient.IsEmpty) gradient[i] = d * scale;
            }
        }
        return total / ((double)rows * cols);
    }
}
