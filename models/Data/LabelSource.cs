namespace Simd.Models.Data;

/// <summary>
/// How a data file's labels are read: the CSV label column, the class count (null infers it from the labels, which
/// must then be 0..N−1), and the IDX labels file when it is not found beside the images by name.
/// </summary>
/// <param name="ClassesOption">The option that sets the class count, named in the remedy of a stray label; null where none can.</param>
internal sealed record LabelSource(int LabelColumn, int? ClassCount, string? LabelsPath, string LabelsOption, string? ClassesOption);
