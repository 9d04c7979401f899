namespace Simd.Runtime.Data;

/// <summary>An IDX file's content: its element type, its dimensions and its values converted to float, row-major.</summary>
public sealed class IdxArray
{
    public IdxArray(IdxElementType elementType, int[] dimensions, float[] values)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(values);
        long count = 1;
        foreach (int d in dimensions) count *= d;
        if (dimensions.Length == 0 || count != values.Length)
            throw new ArgumentException($"{values.Length} values do not fill dimensions [{string.Join(", ", dimensions)}].", nameof(values));
        ElementType = elementType;
        Dimensions = dimensions;
        Values = values;
    }

    public IdxElementType ElementType { get; }

    public int[] Dimensions { get; }

    public float[] Values { get; }

    /// <summary>Size of the first dimension: the number of items (images, labels).</summary>
    public int Count => Dimensions[0];

    /// <summary>Values per item: the product of all dimensions after the first.</summary>
    public int ItemSize => Count == 0 ? 0 : Values.Length / Count;
}
