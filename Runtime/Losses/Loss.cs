namespace Simd.Runtime.Losses;

/// <summary>
/// A loss fused with its gradient: one pass over the model's output gives the batch loss and dLoss/dOutput.
/// Targets come either as integer class labels (one per row) or as a float vector per row; losses that want a
/// vector accept labels too and read them as one-hot (or, for one output column, as the 0/1 value itself).
/// </summary>
public abstract class Loss
{
    /// <summary>Short name used in model files, logs and the command line.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Loss over <paramref name="rows"/> × <paramref name="cols"/> outputs, averaged as the loss defines; when
    /// <paramref name="gradient"/> is not empty it receives dLoss/dOutput (same layout as the output).
    /// </summary>
    public double Compute(ReadOnlySpan<float> output, int rows, int cols, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> gradient)
    {
        Validate(output, rows, cols, labels, targets, gradient);
        return ComputeCore(output, rows, cols, labels, targets, gradient);
    }

    private protected abstract double ComputeCore(ReadOnlySpan<float> output, int rows, int cols, ReadOnlySpan<int> labels,
        ReadOnlySpan<float> targets, Span<float> gradient);

    /// <summary>True when the loss needs class labels and cannot take target vectors.</summary>
    public virtual bool RequiresLabels => false;

    private protected static float Target(ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, int row, int col, int cols) =>
        !targets.IsEmpty ? targets[row * cols + col] :
        cols == 1 ? labels[row] :
        labels[row] == col ? 1f : 0f;

    private void Validate(ReadOnlySpan<float> output, int rows, int cols, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets, Span<float> gradient)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "A batch needs at least one row.");
        if (cols < 1) throw new ArgumentOutOfRangeException(nameof(cols), cols, "The output needs at least one column.");
        if (output.Length != rows * cols)
            throw new ArgumentException($"{Name}: output has {output.Length} floats, expected {rows} rows × {cols} = {rows * cols}.", nameof(output));
        if (!gradient.IsEmpty && gradient.Length != rows * cols)
            throw new ArgumentException($"{Name}: gradient has {gradient.Length} floats, expected {rows * cols}.", nameof(gradient));
        if (!targets.IsEmpty)
        {
            if (RequiresLabels)
                throw new ArgumentException($"{Name} takes integer class labels, not target vectors.", nameof(targets));
            if (targets.Length != rows * cols)
                throw new ArgumentException($"{Name}: targets have {targets.Length} values, expected {rows} rows × {cols} = {rows * cols}.", nameof(targets));
            return;
        }
        if (labels.Length != rows)
            throw new ArgumentException($"{Name}: {labels.Length} labels for {rows} rows; expected one label per row (or target vectors).", nameof(labels));
        // One output column reads the label as the 0/1 target itself (binary classification with a sigmoid).
        int classes = cols == 1 ? 2 : cols;
        for (int r = 0; r < rows; r++)
        {
            if ((uint)labels[r] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[r],
                    $"{Name}: label {labels[r]} in row {r} is outside the {classes} classes [0, {classes - 1}] of a {cols}-column output.");
        }
    }
}
