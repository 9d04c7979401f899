namespace Simd.Runtime.Losses;

/// <summary>Mean over every element of |output − target|; gradient sign(output − target) / (rows·cols), 0 at 0.</summary>
public sealed class L1Loss : Loss
{
    public override string Name => "l1";

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
                float d = output[i] - Target(labels, targets, r, c, cols);
                total += MathF.Abs(d);
                if (!gradient.IsEmpty) gradient[i] = d > 0 ? scale : d < 0 ? -scale : 0f;
            }
        }
        return total / ((double)rows * cols);
    }
}
