using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Perf.Training;

/// <summary>
/// Floating-point operations per sample of a model's convolutions, dense layers and recurrent layers, counted from
/// the graph's shapes: a convolution does outputs × (input channels / groups) × kH × kW multiply-adds, a dense layer
/// inputs × outputs, a recurrent layer steps × directions × gates·hidden × (features + hidden) (the input projection
/// and the recurrent product of every step, the zero initial state's included), each 2 FLOPs. A training step does
/// that product three times: forward, the weight gradient, and the input gradient, which a layer needs only when some
/// layer with parameters feeds it (nothing reads the image's gradient; PyTorch skips it too); a recurrent layer's
/// recurrent product always needs it (the gradient flows back through the state). Bias, activations, BatchNorm,
/// pooling, additions, gate nonlinearities and state updates, the loss and the update are left out: they do a few
/// operations per element rather than per weight, so the count is the work a step's multiply-add units must do, and
/// its rate over the FMA peak is comparable across networks and libraries. perf/compare/flops.py counts the sequence
/// models the same way.
/// </summary>
public readonly record struct StepFlops(double Forward, double Training)
{
    public static StepFlops PerSample(Graph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var fedByParameters = new bool[graph.Values.Count];
        double forward = 0, training = 0;
        foreach (var node in graph.Nodes)
        {
            var input = node.Inputs[0];
            // Multiply-adds whose input gradient is needed only when parameters feed the input, and those whose always is.
            var (fromInput, fromState) = node.Op switch
            {
                Conv2DOp conv => ((double)node.Outputs[0].SampleLength * (input.SampleShape[0] / conv.Groups)
                    * conv.Window.KernelHeight * conv.Window.KernelWidth, 0d),
                DenseOp dense => ((double)dense.Inputs * dense.Outputs, 0d),
                RecurrentOp rnn => ((double)rnn.Steps * rnn.Directions * rnn.GateCount * rnn.Hidden * rnn.Features,
                    (double)rnn.Steps * rnn.Directions * rnn.GateCount * rnn.Hidden * rnn.Hidden),
                _ => (0d, 0d),
            };
            bool needsInputGradient = node.Inputs.Any(v => fedByParameters[v.Id]);
            forward += 2 * (fromInput + fromState);
            training += 2 * (fromInput * (needsInputGradient ? 3 : 2) + fromState * 3);
            bool fed = needsInputGradient || node.Op.ParameterCount > 0;
            foreach (var output in node.Outputs) fedByParameters[output.Id] = fed;
        }
        return new StepFlops(forward, training);
    }
}
