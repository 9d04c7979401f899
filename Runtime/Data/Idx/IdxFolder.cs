namespace Simd.Runtime.Data;

/// <summary>
/// A folder of IDX files in the MNIST / Fashion-MNIST layout: <c>train-images-idx3-ubyte</c>,
/// <c>train-labels-idx1-ubyte</c>, <c>t10k-images-idx3-ubyte</c> and <c>t10k-labels-idx1-ubyte</c>, each plain or
/// gzip-compressed (with or without <c>.gz</c>: the content decides), also spelled <c>train-images.idx3-ubyte</c>.
/// The t10k pair is the folder's own test set. Images are flattened and scaled as
/// <see cref="IdxReader.LoadDataset"/> does.
/// </summary>
public static class IdxFolder
{
    /// <summary>The name of the training part's files.</summary>
    public const string TrainPrefix = "train";

    /// <summary>The name of the test part's files.</summary>
    public const string TestPrefix = "t10k";

    /// <summary>
    /// The images/labels pair of one part (<see cref="TrainPrefix"/> or <see cref="TestPrefix"/>) in
    /// <paramref name="directory"/>, or null when the folder has no images file of that part. An uncompressed file is
    /// preferred over a <c>.gz</c> one of the same name (torchvision's raw folders hold both).
    /// </summary>
    public static IdxPair? FindPart(string directory, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Folder '{directory}' does not exist.");
        string? images = FirstExisting(directory, Names(prefix, "images", 3));
        if (images is null) return null;
        string labels = FirstExisting(directory, Names(prefix, "labels", 1))
            ?? throw new FileNotFoundException(
                $"{directory}: the images file {Path.GetFileName(images)} has no labels file beside it (looked for {prefix}-labels-idx1-ubyte, " +
                $"{prefix}-labels.idx1-ubyte, each with or without .gz).");
        return new IdxPair(images, labels);
    }

    /// <summary>True when <paramref name="directory"/> holds the images file of a training or a test part.</summary>
    public static bool Contains(string directory) =>
        Directory.Exists(directory) && (FirstExisting(directory, Names(TrainPrefix, "images", 3)) is not null ||
                                        FirstExisting(directory, Names(TestPrefix, "images", 3)) is not null);

    /// <summary>
    /// The training and test parts. The test labels must lie in the training part's classes (inferred from its
    /// labels unless <paramref name="classCount"/> is given). Datasets are named "<paramref name="name"/> (train)"
    /// and "(test)"; null names them after the folder.
    /// </summary>
    public static DatasetSplit Load(string directory, string? name = null, int? classCount = null, float scale = 1f / 255f)
    {
        name ??= NameOf(directory);
        Dataset train = LoadPart(directory, TrainPrefix, $"{name} (train)", classCount, scale);
        Dataset test = LoadPart(directory, TestPrefix, $"{name} (test)", train.ClassCount, scale);
        if (test.FeatureCount != train.FeatureCount)
            throw new DatasetFormatException(RequirePart(directory, TestPrefix).ImagesPath,
                $"holds images of {test.FeatureCount} values; the training images have {train.FeatureCount}.");
        return new DatasetSplit(train, test);
    }

    /// <summary>One part (<see cref="TrainPrefix"/> or <see cref="TestPrefix"/>) as a dataset; a missing one is an error naming the files looked for.</summary>
    public static Dataset LoadPart(string directory, string prefix, string name, int? classCount = null, float scale = 1f / 255f)
    {
        IdxPair pair = RequirePart(directory, prefix);
        return IdxReader.LoadDataset(pair.ImagesPath, pair.LabelsPath, name, classCount, scale);
    }

    /// <summary>
    /// The labels file of an images file by the MNIST naming convention: "images" becomes "labels" and "idx3"
    /// (any idxN) becomes "idx1" in the file name, with or without <c>.gz</c>. Null when no such file exists.
    /// </summary>
    public static string? FindLabelsFile(string imagesPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        string? labels = LabelsNameOf(Path.GetFileName(imagesPath));
        if (labels is null) return null;
        string directory = Path.GetDirectoryName(imagesPath) ?? "";
        string bare = labels.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? labels[..^3] : labels;
        return FirstExisting(directory, [labels, bare, bare + ".gz"]);
    }

    /// <summary>The labels file name the convention gives for an images file name, or null when it names no images.</summary>
    public static string? LabelsNameOf(string imagesFileName)
    {
        int at = imagesFileName.LastIndexOf("images", StringComparison.OrdinalIgnoreCase);
        if (at < 0) return null;
        string name = string.Concat(imagesFileName.AsSpan(0, at), "labels", imagesFileName.AsSpan(at + "images".Length));
        int idx = name.IndexOf("idx", at, StringComparison.OrdinalIgnoreCase);
        if (idx >= 0 && idx + 3 < name.Length && char.IsAsciiDigit(name[idx + 3])) name = string.Concat(name.AsSpan(0, idx + 3), "1", name.AsSpan(idx + 4));
        return name;
    }

    private static IdxPair RequirePart(string directory, string prefix) =>
        FindPart(directory, prefix) ?? throw new FileNotFoundException(
            $"{directory}: no {prefix}-images-idx3-ubyte (nor {prefix}-images.idx3-ubyte, each with or without .gz) in it; " +
            "an IDX folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte.");

    private static string[] Names(string prefix, string kind, int rank)
    {
        string dash = $"{prefix}-{kind}-idx{rank}-ubyte", dot = $"{prefix}-{kind}.idx{rank}-ubyte";
        return [dash, dash + ".gz", dot, dot + ".gz"];
    }

    private static string? FirstExisting(string directory, string[] names)
    {
        foreach (string name in names)
        {
            string path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    private static string NameOf(string directory) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))) is { Length: > 0 } n ? n : "idx";
}
