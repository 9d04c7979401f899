namespace Simd.Models.Data;

/// <summary>
/// Where a dataset came from, as the model file records it: a known dataset's name, or the full path of a file or
/// folder with the files read and their fingerprint (null for a known dataset, or a pipe that cannot be read again).
/// </summary>
internal sealed record DataOrigin(string Source, IReadOnlyList<string> Files, DataFingerprint? Fingerprint, string? LabelsPath)
{
    public static DataOrigin Known(string name) => new(name, [], null, null);

    public static DataOrigin Of(DataArgument data, FileReads reads, string? labelsPath) =>
        data.Kind == DataKind.Known ? Known(data.Known!.Name)
                                    : new(data.FullPath!, reads.Files, reads.Fingerprint, labelsPath is null ? null : Path.GetFullPath(labelsPath));

    /// <summary>What changed in the recorded files since they were fingerprinted; null when nothing did or nothing was recorded.</summary>
    public string? Change() => Fingerprint?.DescribeChange(DataFingerprint.Of(Files)!);
}
