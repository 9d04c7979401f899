using Simd.Runtime.Graphs;

namespace Simd.Runtime.Onnx.Mapping;

/// <summary>
/// An ONNX tensor as the import holds it: a graph value (batch-first, as every value of ours), the ONNX tensor's
/// dimensions other than the batch in ONNX's order, and the ONNX axis the batch is on. A Transpose, Squeeze or
/// Unsqueeze that only moves the batch or adds and drops axes of size 1 changes these and adds no node, so
/// time-first tensors (a recurrent node's layout 0: X [steps, batch, features], Y [steps, directions, batch, hidden])
/// stay what the graph says while the value keeps the runtime's layout. Nodes other than those and the recurrent
/// nodes read the tensor only with the batch on axis 0.
/// </summary>
/// <param name="Value">The graph value; null only for a recurrent node's Y that the import left out because
/// nothing reads its steps (a Gather of the last step reads <see cref="LastStep"/>).</param>
/// <param name="Dims">The ONNX dimensions without the batch; their product is the value's sample length.</param>
/// <param name="BatchAxis">The ONNX axis of the batch; -1 in a graph imported as one sample
/// (<see cref="OnnxBatchMode.OneSample"/>), whose tensors have no batch axis: Dims are then the whole ONNX shape.</param>
/// <param name="TimeAxis">For a recurrent node's Y (and what only moves its axes): the ONNX axis of the steps, else -1.</param>
/// <param name="LastStep">For such a Y of a forward node: its final hidden state, which is Y's last step.</param>
internal sealed record BoundTensor(Value? Value, int[] Dims, int BatchAxis, int TimeAxis = -1, Value? LastStep = null)
{
    public static BoundTensor Plain(Value value) => new(value, value.SampleShape.ToArray(), 0);

    public int Rank => Dims.Length + (BatchAxis < 0 ? 0 : 1);

    /// <summary>ONNX axis <paramref name="axis"/>'s size; -1 for the batch.</summary>
    public int Size(int axis) => axis == BatchAxis ? -1 : Dims[axis < BatchAxis || BatchAxis < 0 ? axis : axis - 1];

    /// <summary>The ONNX shape with N for the batch, as messages show it.</summary>
    public string Shape
    {
        get
        {
            var parts = Dims.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            if (BatchAxis >= 0) parts.Insert(BatchAxis, "N");
            return $"[{string.Join(", ", parts)}]";
        }
    }
}
