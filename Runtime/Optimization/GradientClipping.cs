using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Optimization;

/// <summary>Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_).</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales every gradient by maxNorm / (norm + 1e-6) when the L2 norm over all of them exceeds maxNorm.
    /// Returns the norm before clipping.
    /// </summary>
    public static float ClipByGlobalNorm(Span<float> gradients, float maxNorm)
    {
        if (!(maxNorm > 0f)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum norm must be positive.");
        float norm = MathF.Sqrt(Reductions.SumOfSquares(gradients));
        float coefficient = maxNorm / (norm + 1e-6f);
        if (coefficient < 1f) Elementwise.Scale(gradients, coefficient, gradients);
        return norm;
    }
}
