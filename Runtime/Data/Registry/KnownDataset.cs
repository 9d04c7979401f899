namespace Simd.Runtime.Data;

/// <summary>A dataset the runtime knows by name: where its files are and how to read them.</summary>
public sealed class KnownDataset
{
    private readonly Func<string, Dataset> _loadAll;
    private readonly Func<string, DatasetSplit>? _loadOfficialSplit;

    internal KnownDataset(string name, string description, bool shipped, Func<string, Dataset> loadAll, Func<string, DatasetSplit>? loadOfficialSplit = null)
    {
        Name = name;
        Description = description;
        IsShipped = shipped;
        _loadAll = loadAll;
        _loadOfficialSplit = loadOfficialSplit;
    }

    /// <summary>The name used by <c>--data</c> and <see cref="DatasetRegistry.Get"/>.</summary>
    public string Name { get; }

    public string Description { get; }

    /// <summary>True when the files ship in the repository (models/datasets); false for system-installed data.</summary>
    public bool IsShipped { get; }

    /// <summary>True when the dataset comes with its own train/test division (Fashion-MNIST).</summary>
    public bool HasOfficialSplit => _loadOfficialSplit is not null;

    /// <summary>
    /// Every sample. <paramref name="directory"/> overrides where the files are looked for (null: the shipped
    /// datasets folder, or the system folder for installed datasets).
    /// </summary>
    public Dataset Load(string? directory = null) => _loadAll(directory ?? DefaultDirectory);

    /// <summary>
    /// A train/test split: the official one when the dataset has it, otherwise a stratified split of
    /// <paramref name="testFraction"/> of the samples drawn with <paramref name="seed"/>.
    /// </summary>
    public DatasetSplit LoadSplit(double testFraction, int seed, string? directory = null) =>
        _loadOfficialSplit is not null ? _loadOfficialSplit(directory ?? DefaultDirectory)
                                       : StratifiedSplitter.Split(Load(directory), testFraction, seed);

    private string DefaultDirectory => IsShipped ? DatasetRegistry.ShippedDirectory : DatasetRegistry.FashionMnistDirectory;
}
