namespace Simd.Runtime.Data;

/// <summary>How a CSV file's label column becomes the dataset's targets.</summary>
public enum CsvLabelKind
{
    /// <summary>Integer class labels 0..C-1 (softmax output of C units).</summary>
    ClassIndex,

    /// <summary>A 0/1 label read as one float target per sample (one sigmoid output).</summary>
    BinaryTarget,
}

/// <summary>Layout of a numeric CSV file: one sample per line, every field a number, one of them the label.</summary>
public sealed record CsvOptions
{
    /// <summary>
    /// Whether the first line is a header to skip. Null detects it: the first line is a header when one of its
    /// fields is not a number (this also skips scikit-learn's <c>count,features,class names…</c> line).
    /// </summary>
    public bool? HasHeader { get; init; }

    /// <summary>Index of the label column; negative counts from the end (-1, the default, is the last column).</summary>
    public int LabelColumn { get; init; } = -1;

    public char Separator { get; init; } = ',';

    public CsvLabelKind Labels { get; init; } = CsvLabelKind.ClassIndex;

    /// <summary>
    /// Number of classes of a <see cref="CsvLabelKind.ClassIndex"/> file: every label must lie below it, and classes
    /// without a sample are allowed. Null infers it: the labels present must then be exactly 0..N−1 for N distinct
    /// labels, and one that is not (99 among 0..9) is a <see cref="DatasetFormatException"/> naming its line, with
    /// <see cref="DatasetFormatException.ClassCountNeeded"/> set to the count that would take it as given.
    /// </summary>
    public int? ClassCount { get; init; }

    /// <summary>Dataset name; null takes the file name without its extensions.</summary>
    public string? Name { get; init; }
}
