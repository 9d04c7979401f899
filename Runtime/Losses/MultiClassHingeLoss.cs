namespace Simd.Runtime.Losses;

/// <summary>
/// Multi-class SVM hinge loss with margin 1, in the Weston–Watkins form PyTorch's MultiMarginLoss uses: per row,
/// Σ over j ≠ y of max(0, 1 − x_y + x_j), divided by the number of classes; mean over the batch.
/// (Crammer–Singer would take the max over j instead of the sum.)
/// </summary>
public sealed class MultiClassHingeLoss : Loss
{
    public const float Margin = 1f;

    public override string Name => "multiclass-hinge";

    public override bool RequiresLabels => true;

    private protected override double ComputeCore(ReadOnlySpan<float> output, int rows, int cols, ReadOnlySpan<int> labels,
        ReadOnlySpan<float> targets, Span<float> gradient)
    {
        double total = 0;
        float scale = 1f / ((float)rows * cols);
        for (int r = 0; r < rows; r++)
        {
            var x = output.Slice(r * cols, cols);
            int y = labels[r];
            double rowLoss = 0;
            int violations = 0;
            Span<float> g = gradient.IsEmpty ? default : gradient.Slice(r * cols, cols);
            for (int j = 0; j < cols; j++)
            {
                float margin = j == y ? 0f : Margin - x[y] + x[j];
                bool active = j != y && margin > 0f;
                if (active)
                {
                    rowLoss += margin;
                    violations++;
                }
                if (!g.IsEmpty) g[j] = active ? scale : 0f;
            }
            if (!g.IsEmpty) g[y] = -violations * scale;
            total += rowLoss / cols;
        }
        return total / rows;
    }
}
