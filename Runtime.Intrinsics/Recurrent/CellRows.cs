namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Argument checks of the cell kernels. Every matrix a step reads or writes is given as a span and a row stride
/// (elements from one batch row to the next), so a step reads the rows of one time step out of a batch-first
/// [batch, time, ...] buffer or a time-first [time, batch, ...] one without a copy.
/// </summary>
internal static class CellRows
{
    public static void Check(int length, int rows, int stride, int width, string name)
    {
        if (rows == 0 || width == 0) return;
        if (stride < width) throw new ArgumentOutOfRangeException(name, stride, $"The row stride of {name} is {stride}, less than its row of {width} values.");
        long needed = (long)(rows - 1) * stride + width;
        if (length < needed)
            throw new ArgumentException($"{name} has {length} elements, expected at least {needed} for {rows} rows of {width} every {stride}.", name);
    }

    public static void Sizes(int rows, int hidden)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(hidden);
    }
}
