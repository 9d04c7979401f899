namespace Simd.Runtime.Serialization;

/// <summary>
/// Upper bounds a loader enforces before it allocates anything, so that a hostile or corrupted file can neither
/// exhaust memory nor take long to reject. The defaults admit any model this runtime trains.
/// </summary>
public sealed class ModelFileLimits
{
    /// <summary>The defaults: 65,536 entries, 1,024-byte names, rank 8, 2^28 elements per tensor, 256 MiB per
    /// string or byte entry, 4 GiB per file, 4 GiB of activations.</summary>
    public static ModelFileLimits Default { get; } = new();

    /// <summary>Most entries a file may declare.</summary>
    public int MaxEntries { get; init => field = Positive(value, nameof(MaxEntries), ModelFileFormat.MaxEntryCount); } = 1 << 16;

    /// <summary>Longest entry name, in UTF-8 bytes.</summary>
    public int MaxNameBytes { get; init => field = Positive(value, nameof(MaxNameBytes), ModelFileFormat.MaxNameBytes); } = 1024;

    /// <summary>Most dimensions a tensor may have.</summary>
    public int MaxRank { get; init => field = Positive(value, nameof(MaxRank), ModelFileFormat.MaxRank); } = 8;

    /// <summary>Most float32 elements in one tensor.</summary>
    public long MaxTensorElements { get; init => field = Positive(value, nameof(MaxTensorElements), Array.MaxLength); } = 1L << 28;

    /// <summary>Largest string (UTF-8 bytes) or byte entry.</summary>
    public long MaxBlobBytes { get; init => field = Positive(value, nameof(MaxBlobBytes), Array.MaxLength); } = 256L << 20;

    /// <summary>Largest model, in bytes, header and checksum included.</summary>
    public long MaxFileBytes { get; init => field = Positive(value, nameof(MaxFileBytes), long.MaxValue); } = 4L << 30;

    /// <summary>
    /// Most bytes of activations a model loaded from the file may need for the batch it is loaded for: the training
    /// arena of <c>Model.Load</c>'s rows, or the serving arena and the caller's input and output rows of
    /// <c>InferenceModel.Load</c>'s batch. Activations grow with the image, not with the weights a file holds, so
    /// the graph's shape inference and plan give the figure, before anything is allocated. The default admits
    /// ResNet-50 over 224×224 images (training at batch 16, serving at 256), MobileNet, LeNet-5 on 512×512 images.
    /// </summary>
    public long MaxActivationBytes { get; init => field = Positive(value, nameof(MaxActivationBytes), long.MaxValue); } = 4L << 30;

    private static int Positive(int value, string name, int max) => (int)Positive((long)value, name, max);

    private static long Positive(long value, string name, long max) =>
        value >= 1 && value <= max
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in 1..{max}, got {value}.");
}
