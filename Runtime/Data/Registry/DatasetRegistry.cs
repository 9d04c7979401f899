namespace Simd.Runtime.Data;

/// <summary>
/// The datasets known by name: digits, iris, wine and breast-cancer from the CSV files of the repository's
/// models/datasets, embedded in this assembly so that they load from any folder and from the NuGet package, and
/// fashion-mnist from the IDX files of Debian's dataset-fashion-mnist package.
/// </summary>
public static class DatasetRegistry
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs its files.</summary>
    public const string FashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    public const string FashionMnistInstallCommand = "sudo apt-get install dataset-fashion-mnist";

    /// <summary>Prefix of the manifest resource names of the embedded CSV files (see Runtime.csproj).</summary>
    private const string ResourcePrefix = "Simd.Runtime.Data.Datasets.";

    // Declared before Datasets: static fields initialize in order, and the registry entry captures this array.
    private static readonly string[] FashionMnistFiles =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    private static readonly KnownDataset[] Datasets =
    [
        Csv("digits", "digits.csv.gz", "8×8 handwritten digits (UCI optdigits): 1,797 samples, 64 features, 10 classes", CsvLabelKind.ClassIndex),
        Csv("iris", "iris.csv", "Fisher's iris: 150 samples, 4 features, 3 classes", CsvLabelKind.ClassIndex),
        Csv("wine", "wine_data.csv.gz", "UCI wine: 178 samples, 13 features, 3 classes", CsvLabelKind.ClassIndex),
        Csv("breast-cancer", "breast_cancer.csv.gz", "Breast Cancer Wisconsin (Diagnostic): 569 samples, 30 features, binary", CsvLabelKind.BinaryTarget),
        new KnownDataset("fashion-mnist", "Fashion-MNIST: 60,000 + 10,000 images of 28×28, 10 classes (system-installed)", FashionMnistDirectory,
            FashionMnistFiles, directory => Concatenate(LoadFashionMnist(directory)), LoadFashionMnist),
    ];

    public static IReadOnlyList<KnownDataset> All => Datasets;

    public static IEnumerable<string> Names => Datasets.Select(d => d.Name);

    public static bool TryGet(string name, out KnownDataset dataset)
    {
        foreach (KnownDataset d in Datasets)
        {
            if (string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                dataset = d;
                return true;
            }
        }
        dataset = null!;
        return false;
    }

    public static KnownDataset Get(string name) =>
        TryGet(name, out KnownDataset dataset) ? dataset
            : throw new ArgumentException($"Unknown dataset '{name}'; known datasets: {string.Join(", ", Names)}.", nameof(name));

    private static KnownDataset Csv(string name, string file, string description, CsvLabelKind labels) =>
        new(name, description, installedDirectory: null, [file],
            directory => LoadCsv(file, new CsvOptions { Name = name, Labels = labels }, directory));

    private static Dataset LoadCsv(string file, CsvOptions options, string? directory)
    {
        if (directory is not null) return CsvLoader.Load(Path.Combine(directory, file), options);
        // Missing only from a build that left out models/datasets, not through anything a user passed.
        using Stream resource = typeof(DatasetRegistry).Assembly.GetManifestResourceStream(ResourcePrefix + file)
            ?? throw new InvalidOperationException($"This build of Simd.Runtime lacks its embedded dataset {file} (models/datasets/{file} of the repository).");
        return CsvLoader.Load(resource, file, options);
    }

    private static DatasetSplit LoadFashionMnist(string? directory)
    {
        directory ??= FashionMnistDirectory;
        string[] files = FashionMnistFiles;
        // IdxFolder reads either spelling; only a file missing in both is missing.
        string[] missing = files.Where(f => !File.Exists(Path.Combine(directory, f)) && !File.Exists(Path.Combine(directory, f[..^3]))).ToArray();
        if (missing.Length > 0)
            throw new FileNotFoundException(
                $"Fashion-MNIST is not installed: {directory} lacks {string.Join(", ", missing)}. Install Debian's package with: " +
                $"{FashionMnistInstallCommand} (elsewhere, download the four files of https://github.com/zalandoresearch/fashion-mnist into that folder).",
                Path.Combine(directory, missing[0]));
        return IdxFolder.Load(directory, "fashion-mnist", classCount: 10);
    }

    private static Dataset Concatenate(DatasetSplit split)
    {
        Dataset a = split.Train, b = split.Test;
        float[] features = [.. a.Features, .. b.Features];
        int[] labels = [.. a.Labels!, .. b.Labels!];
        return new Dataset("fashion-mnist", features, a.FeatureCount, labels, a.ClassCount);
    }
}
