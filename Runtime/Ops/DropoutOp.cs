using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Inverted dropout: in training each element survives with probability 1 − Rate and is scaled by 1 / (1 − Rate),
/// so evaluation is the identity (and freezing removes the node). The mask is drawn afresh every training step from
/// the model's seeded stream and kept in scratch for backward, which multiplies by the same mask.
/// </summary>
public sealed class DropoutOp : Op
{
    public const string Name = "dropout";

    public DropoutOp(float rate)
    {
        if (!(rate >= 0f && rate < 1f)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "Dropout rate must be in [0, 1).");
        Rate = rate;
    }

    public override string Kind => Name;

    public float Rate { get; }

    private int Features { get; set; }

    internal static Op Create(OpAttributes a)
    {
        double rate = a.GetDouble("rate");
        if (!(rate >= 0 && rate < 1)) throw a.Bad("rate", $"is {rate}, expected a value in [0, 1)");
        return new DropoutOp((float)rate);
    }

    public override void WriteAttributes(OpAttributes attributes) => attributes.Set("rate", Rate);

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, 1);
        Features = inputs[0].Length;
        return [inputs[0]];
    }

    internal override int[] ScratchLengths(int maxBatch, bool training) => training ? [checked(maxBatch * Features)] : [];

    internal override void Forward(in OpContext context)
    {
        ReadOnlySpan<float> x = context.Input(0);
        Span<float> y = context.Output(0);
        if (!context.Training || Rate == 0f)
        {
            x.CopyTo(y);
            return;
        }
        Span<float> mask = context.Scratch(0)[..x.Length];
        float keep = 1f / (1f - Rate);
        var random = context.Random!;
        for (int i = 0; i < mask.Length; i++)
            mask[i] = random.NextSingle() >= Rate ? keep : 0f;
        for (int i = 0; i < mask.Length; i++)
            y[i] = x[i] * mask[i];
    }

    internal override void Backward(in OpContext context)
    {
        if (!context.NeedsInputGradient(0)) return;
        Span<float> dy = context.OutputGradient(0), dx = context.InputGradient(0);
        if (!context.Training || Rate == 0f)
        {
            dy.CopyTo(dx);
            return;
        }
        ReadOnlySpan<float> mask = context.Scratch(0)[..dy.Length];
        for (int i = 0; i < mask.Length; i++)
            dx[i] = dy[i] * mask[i];
    }

    public override string ToString() => $"Dropout({Rate})";
}
