namespace Simd.Runtime.Onnx.Conformance;

/// <summary>
/// Between ONNX's layout and the model's: a model takes and gives every tensor batch-first, while a time-first
/// recurrent input or output has its batch on another axis (<see cref="OnnxImportResult.InputBatchAxis"/>,
/// <see cref="OnnxImportResult.OutputBatchAxis"/>). The other axes keep their order.
/// </summary>
internal static class BatchAxisOrder
{
    /// <summary>The elements of a tensor of <paramref name="dims"/> with axis <paramref name="axis"/> moved to the front.</summary>
    public static float[] ToFront(ReadOnlySpan<float> values, IReadOnlyList<long> dims, int axis) => Move(values, dims, axis, toFront: true);

    /// <summary>
    /// The inverse: <paramref name="values"/> hold the tensor of ONNX <paramref name="dims"/> with axis
    /// <paramref name="axis"/> at the front; the result is in ONNX's order.
    /// </summary>
    public static float[] FromFront(ReadOnlySpan<float> values, IReadOnlyList<long> dims, int axis) => Move(values, dims, axis, toFront: false);

    private static float[] Move(ReadOnlySpan<float> values, IReadOnlyList<long> dims, int axis, bool toFront)
    {
        var moved = new float[values.Length];
        if (axis == 0)
        {
            values.CopyTo(moved);
            return moved;
        }
        long outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= dims[i];
        for (int i = axis + 1; i < dims.Count; i++) inner *= dims[i];
        long size = dims[axis];
        for (long o = 0; o < outer; o++)
        {
            for (long n = 0; n < size; n++)
            {
                int onnx = (int)((o * size + n) * inner), front = (int)((n * outer + o) * inner);
                if (toFront) values.Slice(onnx, (int)inner).CopyTo(moved.AsSpan(front));
                else values.Slice(front, (int)inner).CopyTo(moved.AsSpan(onnx));
            }
        }
        return moved;
    }
}
