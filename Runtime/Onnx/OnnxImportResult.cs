using Simd.Runtime.Models;

namespace Simd.Runtime.Onnx;

/// <summary>What <see cref="OnnxImporter"/> built from an ONNX graph.</summary>
public sealed class OnnxImportResult
{
    internal OnnxImportResult(Model model, bool endsWithSoftmax)
    {
        Model = model;
        EndsWithSoftmax = endsWithSoftmax;
    }

    /// <summary>
    /// The graph as a trainable model with the graph's weights (evaluation mode uses the imported running
    /// statistics). Its outputs are the logits before the graph's trailing Softmax, if it had one.
    /// </summary>
    public Model Model { get; }

    /// <summary>True when the graph's output was a Softmax over the features, which the import left out: apply
    /// softmax to the model's outputs (or use a probabilities entry point) to reproduce the graph's outputs. A
    /// Softmax anywhere else is a node of the model.</summary>
    public bool EndsWithSoftmax { get; }
}
