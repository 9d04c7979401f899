namespace Simd.Runtime.Inference;

/// <summary>y = x·scale + shift per feature: a batch norm that had no Dense to fold into.</summary>
internal sealed class AffineStage(AffineStep step) : InferenceStage(step.Features, step.Features)
{
    private readonly float[] scale = step.Scale;
    private readonly float[] shift = step.Shift;

    public override void Run(ReadOnlySpan<float> x, Span<float> y, int rows, int threads)
    {
        int features = InputSize;
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * features, features);
            var yr = y.Slice(r * features, features);
            for (int f = 0; f < features; f++) yr[f] = xr[f] * scale[f] + shift[f];
        }
    }

    public override string ToString() => $"Affine({InputSize})";
}
