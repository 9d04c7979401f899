using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Inference;

/// <summary>y = x·scale + shift per feature: a batch norm that had no Dense to fold into.</summary>
internal sealed class AffineStage(AffineStep step) : InferenceStage(step.Features, step.Features)
{
    private readonly float[] scale = step.Scale;
    private readonly float[] shift = step.Shift;

    public override void Run(ReadOnlySpan<float> x, Span<float> y, int rows, int threads) =>
        BatchNorm.ForwardInference(x, rows, InputSize, scale, shift, y);

    public override string ToString() => $"Affine({InputSize})";
}
