using Simd.Runtime.Initializers;

namespace Simd.Runtime.Layers;

/// <summary>What a forward or backward call needs besides its tensors.</summary>
internal readonly struct LayerContext(bool training, int threads, DeterministicRandom random, bool needInputGradient)
{
    /// <summary>Training mode: batch statistics in BatchNorm, a fresh mask in Dropout.</summary>
    public bool Training { get; } = training;

    /// <summary>Threads handed to GEMM.</summary>
    public int Threads { get; } = threads;

    /// <summary>The model's dropout stream, advanced once per element per training step.</summary>
    public DeterministicRandom Random { get; } = random;

    /// <summary>False for the first layer unless the caller asked for the input gradient: Dense then skips dX.</summary>
    public bool NeedInputGradient { get; } = needInputGradient;
}
