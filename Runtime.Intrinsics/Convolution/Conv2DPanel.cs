namespace Simd.Runtime.Intrinsics;

/// <summary>
/// How the column paths cut the column matrix (taps × output positions of the batch) into panels that GEMM takes one
/// at a time. Small planes put several whole samples side by side in one panel, so that GEMM's columns (forward and
/// input gradient) or its depth (weight gradient) run over all of them: LeNet's second layer has 100 positions per
/// sample, which leaves most of the 32-wide tile's last column block and every per-call cost on each sample. Those
/// panels also hold the output channels' rows of the same columns (the product, or the output gradient gathered from
/// the samples' planes). Large planes are cut into runs of positions of one sample, as before.
/// </summary>
/// <param name="Columns">Columns of one panel.</param>
/// <param name="Samples">Whole samples per panel, or 1 when a panel is part of one sample's plane.</param>
/// <param name="ColumnLength">Floats of the column matrix block (taps × Columns), at the workspace's start.</param>
/// <param name="WorkspaceLength">Floats in all, with the output channels' block after the columns when Samples &gt; 1.</param>
internal readonly record struct Conv2DPanel(int Columns, int Samples, long ColumnLength, long WorkspaceLength)
{
    /// <summary>
    /// Panels of whole samples stop at this many columns: past 32 column tiles (or 1,024 steps of depth) GEMM's time
    /// per column no longer falls, and a larger panel would only hold more memory.
    /// </summary>
    public const int MaxSampleColumns = 1024;

    public static Conv2DPanel For(in Conv2DGeometry g)
    {
        if (g.IsPointwise) return new(0, 1, 0, 0);
        int rows = g.ColumnRows, plane = g.OutputPlane, bound = Conv2D.MaxPanelElements;
        long perSample = (long)(rows + g.OutputChannelsPerGroup) * plane;
        int samples = (int)Math.Min(bound / perSample, MaxSampleColumns / plane);
        if (samples >= 2)
        {
            int columns = samples * plane;
            return new(columns, samples, (long)rows * columns, perSample * samples);
        }
        int run = (long)rows * plane <= bound ? plane : Math.Min(plane, Math.Max(16, bound / rows / 16 * 16));
        return new(run, 1, (long)rows * run, (long)rows * run);
    }

    /// <summary>dst[m, s·plane + p] = src[s, m, p] for the panel's samples (src's samples are sampleStride apart).</summary>
    public static unsafe void Pack(float* src, long sampleStride, int plane, int channels, int samples, float* dst, int ld)
    {
        for (int s = 0; s < samples; s++)
            for (int m = 0; m < channels; m++)
                Conv2DRuns.Copy(src + s * sampleStride + (long)m * plane, dst + (long)m * ld + s * plane, plane);
    }

    /// <summary>dst[s, m, p] = activation(src[m, s·plane + p] + bias[m]) (no bias when null): the adjoint of <see cref="Pack"/>.</summary>
    public static unsafe void Unpack(float* src, int ld, float* dst, long sampleStride, int plane, int channels, int samples,
        float* bias, ActivationKind activation, float alpha, SimdWidth width)
    {
        for (int s = 0; s < samples; s++)
        {
            float* sample = dst + s * sampleStride;
            for (int m = 0; m < channels; m++)
            {
                float* from = src + (long)m * ld + s * plane, to = sample + (long)m * plane;
                if (bias == null) Conv2DRuns.Copy(from, to, plane);
                else Conv2DRuns.AddScalar(from, bias[m], to, plane);
            }
            if (activation != ActivationKind.Identity)
            {
                var block = new Span<float>(sample, channels * plane);
                Activations.Forward(activation, block, block, alpha, width);
            }
        }
    }
}
