namespace Simd.Runtime.Data;

/// <summary>
/// The datasets known by name: digits, iris, wine and breast-cancer from the CSV files shipped in models/datasets,
/// and fashion-mnist from the IDX files of Debian's dataset-fashion-mnist package.
/// </summary>
public static class DatasetRegistry
{
    /// <summary>Environment variable naming the folder of the shipped datasets (overrides the search).</summary>
    public const string DirectoryVariable = "SIMD_DATASETS";

    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs its files.</summary>
    public const string FashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    public const string FashionMnistInstallCommand = "sudo apt-get install dataset-fashion-mnist";

    private static readonly KnownDataset[] s_datasets =
    [
        Csv("digits", "digits.csv.gz", "8×8 handwritten digits (UCI optdigits): 1,797 samples, 64 features, 10 classes", CsvLabelKind.ClassIndex),
        Csv("iris", "iris.csv", "Fisher's iris: 150 samples, 4 features, 3 classes", CsvLabelKind.ClassIndex),
        Csv("wine", "wine_data.csv.gz", "UCI wine: 178 samples, 13 features, 3 classes", CsvLabelKind.ClassIndex),
        Csv("breast-cancer", "breast_cancer.csv.gz", "Breast Cancer Wisconsin (Diagnostic): 569 samples, 30 features, binary", CsvLabelKind.BinaryTarget),
        new KnownDataset("fashion-mnist", "Fashion-MNIST: 60,000 + 10,000 images of 28×28, 10 classes (system-installed)", shipped: false,
            directory => Concatenate(LoadFashionMnist(directory)), LoadFashionMnist),
    ];

    public static IReadOnlyList<KnownDataset> All => s_datasets;

    public static IEnumerable<string> Names => s_datasets.Select(d => d.Name);

    public static bool TryGet(string name, out KnownDataset dataset)
    {
        foreach (KnownDataset d in s_datasets)
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

    /// <summary>
    /// The folder holding the shipped CSV files: <c>$SIMD_DATASETS</c> when set, else <c>datasets/</c> beside the
    /// application, else the first <c>models/datasets</c> found walking up from the application's folder.
    /// </summary>
    public static string ShippedDirectory
    {
        get
        {
            string? variable = Environment.GetEnvironmentVariable(DirectoryVariable);
            if (!string.IsNullOrEmpty(variable)) return variable;
            string beside = Path.Combine(AppContext.BaseDirectory, "datasets");
            if (File.Exists(Path.Combine(beside, "digits.csv.gz"))) return beside;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "models", "datasets");
                if (File.Exists(Path.Combine(candidate, "digits.csv.gz"))) return candidate;
            }
            throw new DirectoryNotFoundException(
                $"The shipped datasets were found neither beside the application ({beside}) nor in a models/datasets folder above it; set {DirectoryVariable} to their folder.");
        }
    }

    private static KnownDataset Csv(string name, string file, string description, CsvLabelKind labels) =>
        new(name, description, shipped: true,
            directory => CsvLoader.Load(Path.Combine(directory, file), new CsvOptions { Name = name, Labels = labels }));

    private static DatasetSplit LoadFashionMnist(string directory)
    {
        string[] files = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
        foreach (string file in files)
        {
            string path = Path.Combine(directory, file);
            if (!File.Exists(path))
                throw new FileNotFoundException(
                    $"Fashion-MNIST is not installed: {path} is missing. Install it with: {FashionMnistInstallCommand}", path);
        }
        Dataset train = IdxReader.LoadDataset(Path.Combine(directory, files[0]), Path.Combine(directory, files[1]), "fashion-mnist (train)", classCount: 10);
        Dataset test = IdxReader.LoadDataset(Path.Combine(directory, files[2]), Path.Combine(directory, files[3]), "fashion-mnist (test)", classCount: 10);
        return new DatasetSplit(train, test);
    }

    private static Dataset Concatenate(DatasetSplit split)
    {
        Dataset a = split.Train, b = split.Test;
        float[] features = [.. a.Features, .. b.Features];
        int[] labels = [.. a.Labels!, .. b.Labels!];
        return new Dataset("fashion-mnist", features, a.FeatureCount, labels, a.ClassCount);
    }
}
