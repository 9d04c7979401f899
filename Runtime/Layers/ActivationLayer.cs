using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Layers;

/// <summary>
/// An elementwise activation on its own. The builder folds one that follows a Dense layer into that layer, so this
/// appears only where nothing precedes it to fuse with (after BatchNorm, Dropout or another activation).
/// </summary>
public sealed class ActivationLayer : Layer
{
    internal ActivationLayer(int features, ActivationKind kind, float alpha) : base(features, features)
    {
        Kind = kind;
        Alpha = float.IsNaN(alpha) ? Activations.DefaultAlpha(kind) : alpha;
    }

    public ActivationKind Kind { get; }

    public float Alpha { get; }

    internal override void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, in LayerContext context) =>
        Activations.Forward(Kind, x, y, Alpha);

    internal override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dy, Span<float> dx, int rows, in LayerContext context) =>
        Activations.Backward(Kind, x, y, dy, dx, Alpha);
}
