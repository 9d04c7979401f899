namespace Simd.Runtime.Data;

/// <summary>A dataset the runtime knows by name: where its files are and how to read them.</summary>
public sealed class KnownDataset
{
    private readonly Func<string?, Dataset> _loadAll;
    private readonly Func<string?, DatasetSplit>? _loadOfficialSplit;
    private readonly string[] _files;
    private readonly string? _installedDirectory;

    /// <param name="installedDirectory">Where the files are read from by default; null for a dataset embedded in this assembly.</param>
    internal KnownDataset(string name, string description, string? installedDirectory, string[] files, Func<string?, Dataset> loadAll,
                          Func<string?, DatasetSplit>? loadOfficialSplit = null)
    {
        _files = files;
        _installedDirectory = installedDirectory;
        Name = name;
        Description = description;
        _loadAll = loadAll;
        _loadOfficialSplit = loadOfficialSplit;
    }

    /// <summary>The name used by <c>--data</c> and <see cref="DatasetRegistry.Get"/>.</summary>
    public string Name { get; }

    public string Description { get; }

    /// <summary>
    /// True when the files are embedded in the Simd.Runtime assembly (the repository's models/datasets), so the
    /// dataset loads anywhere; false for data installed on the system (Fashion-MNIST).
    /// </summary>
    public bool IsShipped => _installedDirectory is null;

    /// <summary>The file names the dataset reads, relative to its folder.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>
    /// True when the dataset can be loaded: always for a shipped dataset read from the library itself, otherwise when
    /// every file is present in <paramref name="directory"/> (null: the system folder).
    /// </summary>
    public bool IsAvailable(string? directory = null)
    {
        string? dir = directory ?? _installedDirectory;
        return dir is null || _files.All(f => File.Exists(Path.Combine(dir, f)));
    }

    /// <summary>True when the dataset comes with its own train/test division (Fashion-MNIST).</summary>
    public bool HasOfficialSplit => _loadOfficialSplit is not null;

    /// <summary>
    /// Every sample. <paramref name="directory"/>, when given, is a folder holding <see cref="Files"/> to read instead
    /// of the default: the copy embedded in the library for a shipped dataset, the system folder for an installed one.
    /// </summary>
    public Dataset Load(string? directory = null) => _loadAll(directory);

    /// <summary>
    /// A train/test split: the official one when the dataset has it, otherwise a stratified split of
    /// <paramref name="testFraction"/> of the samples drawn with <paramref name="seed"/>.
    /// <paramref name="directory"/> is as for <see cref="Load"/>.
    /// </summary>
    public DatasetSplit LoadSplit(double testFraction, int seed, string? directory = null) =>
        _loadOfficialSplit is not null ? _loadOfficialSplit(directory)
                                       : StratifiedSplitter.Split(Load(directory), testFraction, seed);
}
