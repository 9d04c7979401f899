using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;

namespace Simd.Perf.Training;

/// <summary>
/// Floating-point operations per sample of a model's convolutions and dense layers, counted from the graph's shapes:
/// a convolution does outputs × (input channels / groups) × kH × kW multiply-adds, a dense layer inputs × outputs,
/// each 2 FLOPs. A training step does that product three times: forward, the weight gradient, and the input gradient,
/// which a layer needs only when some layer with parameters feeds it (nothing reads the image's gradient; PyTorch
/// skips it too). Bias, activations, BatchNorm, pooling, additions, the loss and the update are left out: they do a
/// few operations per element rather than per weight, so the count is the work a step's multiply-add units must do,
/// and its rate over the FMA peak is comparable across networks and libraries.
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
            double multiplyAdds = node.Op switch
            {
                Conv2DOp conv => (double)node.Outputs[0].SampleLength * (input.SampleShape[0] / conv.Groups)
                    * conv.Window.KernelHeight * conv.Window.KernelWidth,
                DenseOp dense => (double)dense.Inputs * dense.Outputs,
                _ => 0,
            };
            bool needsInputGradient = node.Inputs.Any(v => fedByParameters[v.Id]);
            forward += 2 * multiplyAdds;
            training += 2 * multiplyAdds * (needsInputGradient ? 3 : 2);
            bool fed = needsInputGradient || node.Op.ParameterCount > 0;
            foreach (var output in node.Outputs) fedByParameters[output.Id] = fed;
        }
        return new StepFlops(forward, training);
    }
}
