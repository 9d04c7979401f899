namespace Simd.Runtime.Intrinsics;

/// <summary>Argument checks shared by the elementwise, softmax and reduction kernels; messages name expected and actual.</summary>
internal static class SpanChecks
{
    public static void AtLeast(int actual, int expected, string name)
    {
        if (actual < expected)
            throw new ArgumentException($"{name} has {actual} elements, expected at least {expected}.", name);
    }

    public static void Matrix(int length, int rows, int cols, string name)
    {
        if (rows < 0) throw new ArgumentOutOfRangeException(nameof(rows), rows, "rows must not be negative.");
        if (cols < 0) throw new ArgumentOutOfRangeException(nameof(cols), cols, "cols must not be negative.");
        if ((long)rows * cols != length)
            throw new ArgumentException($"{name} has {length} elements, expected rows·cols = {rows}·{cols} = {(long)rows * cols}.", name);
    }

    public static void MatrixOutput(int length, int rows, int cols, string name)
    {
        if ((long)length < (long)rows * cols)
            throw new ArgumentException($"{name} has {length} elements, expected at least rows·cols = {rows}·{cols} = {(long)rows * cols}.", name);
    }

    /// <summary>Input and output may be the same span or disjoint; a shifted overlap would read values already written.</summary>
    public static void SameOrDisjoint<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, string inputName, string outputName)
    {
        if (input.Overlaps(output, out int offset) && offset != 0)
            throw new ArgumentException($"{outputName} overlaps {inputName} at an offset of {offset} elements; expected the same span or disjoint spans.", outputName);
    }
}
