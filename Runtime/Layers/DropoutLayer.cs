using Simd.Runtime.Tensors;

namespace Simd.Runtime.Layers;

/// <summary>
/// Inverted dropout: in training each element survives with probability 1 − Rate and is scaled by 1 / (1 − Rate),
/// so evaluation is the identity. The mask is drawn afresh every training step from the model's seeded stream and
/// kept for backward, which multiplies by the same mask.
/// </summary>
public sealed class DropoutLayer : Layer
{
    private int _maskHandle;
    private Tensor _mask;

    internal DropoutLayer(int features, float rate) : base(features, features)
    {
        if (!(rate >= 0f && rate < 1f))
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "Dropout rate must be in [0, 1).");
        Rate = rate;
    }

    public float Rate { get; }

    internal override void ReserveScratch(BufferPlan plan, int maxBatch) =>
        _maskHandle = plan.Reserve(new TensorShape(maxBatch, OutputSize));

    internal override void BindScratch(BufferPlan plan) => _mask = plan.Tensor(_maskHandle);

    internal override void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, in LayerContext context)
    {
        if (!context.Training || Rate == 0f)
        {
            x.CopyTo(y);
            return;
        }
        Span<float> mask = _mask.Rows(rows);
        float keep = 1f / (1f - Rate);
        var random = context.Random;
        for (int i = 0; i < mask.Length; i++)
            mask[i] = random.NextSingle() >= Rate ? keep : 0f;
        for (int i = 0; i < mask.Length; i++)
            y[i] = x[i] * mask[i];
    }

    internal override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dy, Span<float> dx, int rows, in LayerContext context)
    {
        if (!context.Training || Rate == 0f)
        {
            dy.CopyTo(dx);
            return;
        }
        ReadOnlySpan<float> mask = _mask.Rows(rows);
        for (int i = 0; i < mask.Length; i++)
            dx[i] = dy[i] * mask[i];
    }
}
