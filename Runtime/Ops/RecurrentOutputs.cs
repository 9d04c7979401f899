namespace Simd.Runtime.Ops;

/// <summary>
/// What a recurrent op outputs, in this order among those chosen (ONNX's Y, Y_h and Y_c): the state of every step
/// [steps, directions·hidden], the final hidden state [directions·hidden], and an LSTM's final cell state.
/// </summary>
[Flags]
public enum RecurrentOutputs
{
    /// <summary>The hidden state after every step (zero past a sample's length).</summary>
    Sequence = 1,

    /// <summary>The final hidden state of each direction (ONNX's Y_h, PyTorch's h_n).</summary>
    FinalState = 2,

    /// <summary>An LSTM's final cell state (ONNX's Y_c, PyTorch's c_n).</summary>
    FinalCell = 4,
}
