namespace Simd.Runtime.Onnx;

/// <summary>How <see cref="OnnxImporter"/> finds the batch in a graph's tensors.</summary>
public enum OnnxBatchMode
{
    /// <summary>
    /// Each data input's first axis is the batch (the second for a time-first recurrent input), whose size the model
    /// takes when it runs; the other dimensions are the sample's. What exporters write for a model of batches.
    /// </summary>
    FirstAxis,

    /// <summary>
    /// The graph has no batch axis: every input's shape is static, and each input tensor as a whole is one sample
    /// (the model runs batches of 1, its inputs and outputs hold the ONNX tensors' elements in ONNX's order). Ops
    /// over axis 0, a Reshape that fixes the first dimension and inputs of rank 1 then import as they are.
    /// </summary>
    OneSample,
}
