namespace Simd.Runtime.Losses;

/// <summary>
/// Huber loss (PyTorch HuberLoss): ½d² where |d| &lt; δ, δ(|d| − ½δ) beyond; mean over every element. Gradient
/// d (clamped to ±δ) / (rows·cols).
/// </summary>
public sealed class HuberLoss : Loss
{
    public HuberLoss(float delta = 1f)
    {
        if (!(delta > 0f)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "Huber delta must be positive.");
        Delta = delta;
    }

    public float Delta { get; }

    public override string Name => "huber";

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
                float a = MathF.Abs(d);
                total += a < Delta ? 0.5 * d * d : Delta * (a - 0.5 * Delta);
                if (!gradient.IsEmpty) gradient[i] = Math.Clamp(d, -Delta, Delta) * scale;
            }
        }
        return total / ((double)rows * cols);
    }
}
