namespace Simd.Runtime.Training;

/// <summary>A NaN or infinity where training needs finite numbers: in a batch's inputs, the model's output or the loss.</summary>
public sealed class NonFiniteValueException : ArithmeticException
{
    public NonFiniteValueException(string where, int row, int column, float value)
        : base($"{where} row {row} column {column} is {value}; expected a finite value.")
    {
        Where = where;
        Row = row;
        Column = column;
    }

    /// <summary>The tensor that held it: "input", "output" or "loss".</summary>
    public string Where { get; }

    public int Row { get; }

    public int Column { get; }

    internal static void ThrowIfAny(ReadOnlySpan<float> values, int cols, string where)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i])) throw new NonFiniteValueException(where, i / cols, i % cols, values[i]);
        }
    }
}
