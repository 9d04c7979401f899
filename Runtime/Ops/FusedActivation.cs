using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Ops;

/// <summary>What an op that fuses an activation into its kernel's epilogue must keep for the backward pass.</summary>
internal static class FusedActivation
{
    /// <summary>
    /// True when backward needs only Y, so the kernel may write Y directly: the activation's backward reads its
    /// output, or (LeakyReLU with a non-negative slope) Y has the sign of Z, which is all its derivative reads.
    /// Other activations keep the pre-activation Z for backward in scratch.
    /// </summary>
    public static bool NeedsOnlyOutput(ActivationKind activation, float alpha) =>
        activation == ActivationKind.Identity || Activations.ReadsOutput(activation) ||
        (activation == ActivationKind.LeakyRelu && alpha >= 0);
}
