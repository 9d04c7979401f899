namespace Simd.Runtime.Ops;

/// <summary>Which way a recurrent layer runs over time (ONNX's <c>direction</c>).</summary>
public enum RecurrentDirection
{
    /// <summary>From the first step to the last.</summary>
    Forward,

    /// <summary>From each sample's last step back to the first (its weights are direction 0 of ONNX's tensors).</summary>
    Reverse,

    /// <summary>Both, with two sets of weights (forward first); the output holds both states side by side.</summary>
    Bidirectional,
}
