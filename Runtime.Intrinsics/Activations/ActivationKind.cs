namespace Simd.Runtime.Intrinsics;

/// <summary>Elementwise activations with forward and backward kernels.</summary>
public enum ActivationKind
{
    Identity,
    Relu,
    /// <summary>x for x &gt; 0, alpha·x otherwise (alpha: negative slope, default 0.01).</summary>
    LeakyRelu,
    /// <summary>x for x &gt; 0, alpha·(eˣ − 1) otherwise (alpha default 1).</summary>
    Elu,
    Selu,
    Sigmoid,
    Tanh,
    /// <summary>x·Φ(x), exact form with erf.</summary>
    GeluErf,
    /// <summary>The tanh approximation of GELU.</summary>
    GeluTanh,
    /// <summary>x·sigmoid(x), also called Swish.</summary>
    Silu,
    Softplus,
    Softsign,
    /// <summary>max(0, min(1, x/6 + 1/2)), as PyTorch defines it.</summary>
    HardSigmoid,
    HardSwish,
    Mish,
}
