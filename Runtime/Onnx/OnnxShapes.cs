namespace Simd.Runtime.Onnx;

/// <summary>Shape rules of ONNX operators that the importer and the runtime share.</summary>
public static class OnnxShapes
{
    /// <summary>
    /// Flatten: the dimensions before <paramref name="axis"/> become the rows, the rest the columns. axis may be
    /// negative (counted from the end) and lies in [−rank, rank]; axis 0 gives one row.
    /// </summary>
    public static (long Rows, long Columns) Flatten(IReadOnlyList<long> dims, long axis)
    {
        ArgumentNullException.ThrowIfNull(dims);
        int rank = dims.Count;
        if (axis < -rank || axis > rank)
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"expected an axis in [{-rank}, {rank}] for a rank-{rank} tensor.");
        if (axis < 0) axis += rank;
        long rows = 1, columns = 1;
        for (int d = 0; d < rank; d++)
        {
            if (dims[d] < 0) throw new ArgumentException($"dimension {d} is {dims[d]}; expected a non-negative size.", nameof(dims));
            if (d < axis) rows = checked(rows * dims[d]);
            else columns = checked(columns * dims[d]);
        }
        return (rows, columns);
    }
}
