namespace Simd.Runtime.Data;

/// <summary>A rectangular table of numbers read from a CSV file, row-major, without any label semantics.</summary>
public sealed class CsvTable
{
    public CsvTable(float[] values, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (rows < 0 || columns < 1 || values.Length != (long)rows * columns)
            throw new ArgumentException($"{values.Length} values do not form {rows} rows × {columns} columns.", nameof(values));
        Values = values;
        Rows = rows;
        Columns = columns;
    }

    public float[] Values { get; }

    public int Rows { get; }

    public int Columns { get; }

    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(checked(row * Columns), Columns);
}
