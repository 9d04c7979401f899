using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Inference;

/// <summary>An activation with no Dense before it to fuse with.</summary>
internal sealed class ActivationStage(int features, ActivationStep step) : InferenceStage(features, features)
{
    public override void Run(ReadOnlySpan<float> x, Span<float> y, int rows, int threads) =>
        Activations.Forward(step.Kind, x[..(rows * InputSize)], y, step.Alpha);

    public override string ToString() => $"Activation({step.Kind})";
}
