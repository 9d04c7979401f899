namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Work GEMM does on each tile of C while it is still in cache: add a bias row (one value per column of C),
/// then apply an activation. The default does nothing.
/// </summary>
public readonly ref struct GemmEpilogue
{
    public GemmEpilogue(ReadOnlySpan<float> bias, ActivationKind activation = ActivationKind.Identity, float alpha = float.NaN)
    {
        Bias = bias;
        Activation = activation;
        Alpha = float.IsNaN(alpha) ? Activations.DefaultAlpha(activation) : alpha;
    }

    /// <summary>Bias added to every row of C (length N), or empty for none.</summary>
    public ReadOnlySpan<float> Bias { get; }

    public ActivationKind Activation { get; }

    /// <summary>The activation's parameter (LeakyReLU slope, ELU alpha).</summary>
    public float Alpha { get; }

    public bool IsEmpty => Bias.IsEmpty && Activation == ActivationKind.Identity;
}
