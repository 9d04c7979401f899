using Simd.Runtime.Models;

namespace Simd.Runtime.Onnx;

/// <summary>What <see cref="OnnxImporter"/> built from an ONNX graph.</summary>
public sealed class OnnxImportResult
{
    internal OnnxImportResult(Model model, bool endsWithSoftmax, int[] inputBatchAxes, int[] outputBatchAxes, OnnxBatchMode batchMode)
    {
        BatchMode = batchMode;
        Model = model;
        EndsWithSoftmax = endsWithSoftmax;
        InputBatchAxes = inputBatchAxes;
        OutputBatchAxes = outputBatchAxes;
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

    /// <summary>
    /// How the graph was read: with a batch axis, or as one sample (<see cref="OnnxBatchMode.OneSample"/>), where the
    /// model runs batches of 1 whose inputs and outputs are the ONNX tensors, elements in ONNX's order and shapes as
    /// the graph gives them (the model's sample shapes); the batch axes below are then 0.
    /// </summary>
    public OnnxBatchMode BatchMode { get; }

    /// <summary>
    /// The first ONNX input's batch axis: 0, or 1 for a time-first sequence [steps, batch, features] read only by LSTM, GRU
    /// or RNN nodes of layout 0. The model takes every input batch-first: the ONNX tensor with this axis moved to
    /// the front ([batch, steps, features]).
    /// </summary>
    public int InputBatchAxis => InputBatchAxes[0];

    /// <summary>
    /// Each data input's batch axis, in the graph's order of inputs (the model's inputs, initializers left out): as
    /// <see cref="InputBatchAxis"/>; 1 also for an initial state [directions, batch, hidden] of a layout-0 recurrent
    /// node. A sequence_lens input [batch] becomes a model input of one float per sample.
    /// </summary>
    public IReadOnlyList<int> InputBatchAxes { get; }

    /// <summary>
    /// The first ONNX output's batch axis: 0, or where a recurrent node of layout 0 puts it (Y [steps, directions, batch,
    /// hidden]: 2; Y_h and Y_c [directions, batch, hidden]: 1). The model's outputs are the ONNX tensor with this axis
    /// moved to the front, the other dimensions in ONNX's order.
    /// </summary>
    public int OutputBatchAxis => OutputBatchAxes[0];

    /// <summary>Each output's batch axis, in the graph's order of outputs (the model's outputs), as <see cref="OutputBatchAxis"/>.</summary>
    public IReadOnlyList<int> OutputBatchAxes { get; }
}
