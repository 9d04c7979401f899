namespace Simd.Runtime.Layers;

/// <summary>
/// Views each sample as one row of features. Samples already arrive flat (rank-2 batches), so this copies; it is kept
/// so architectures written with it load and freeze unchanged.
/// </summary>
public sealed class FlattenLayer : Layer
{
    internal FlattenLayer(int features) : base(features, features) { }

    internal override void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, in LayerContext context) => x.CopyTo(y);

    internal override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dy, Span<float> dx, int rows, in LayerContext context) =>
        dy.CopyTo(dx);
}
