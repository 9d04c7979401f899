using Simd.Runtime.Data;

namespace Simd.Runtime.Tests.Data;

public sealed class DatasetRegistryTests
{
    [Theory]
    [InlineData("digits", 1797, 64, 10)]
    [InlineData("iris", 150, 4, 3)]
    [InlineData("wine", 178, 13, 3)]
    public void ShippedMultiClassDatasetsLoadWithTheirCounts(string name, int count, int features, int classes)
    {
        KnownDataset known = DatasetRegistry.Get(name);
        Assert.True(known.IsAvailable());
        Dataset d = known.Load();

        Assert.Equal(count, d.Count);
        Assert.Equal(features, d.FeatureCount);
        Assert.Equal(classes, d.ClassCount);
        Assert.Equal(Enumerable.Range(0, classes), d.Labels!.Distinct().Order());
    }

    [Fact]
    public void ShippedDatasetsAreEmbeddedInTheLibraryAndEqualTheRepositoryFiles()
    {
        string repositoryCopy = RepositoryDatasets();
        foreach (KnownDataset known in DatasetRegistry.All.Where(d => d.IsShipped))
        {
            // Built in: available whatever the working or application folder (ReadmeExampleTests runs it elsewhere).
            Assert.True(known.IsAvailable());
            Dataset embedded = known.Load(), file = known.Load(repositoryCopy);

            Assert.Equal(known.Name, embedded.Name);
            Assert.Equal(file.Features, embedded.Features);
            Assert.Equal(file.Labels, embedded.Labels);
            Assert.Equal(file.Targets, embedded.Targets);
        }
    }

    [Fact]
    public void AShippedDatasetReadsTheFilesOfAGivenFolderInstead()
    {
        using var files = new TempDirectory();
        files.WriteText("iris.csv", "3,4,a,b,c\n1,2,3,4,0\n5,6,7,8,2\n9,8,7,6,1\n", gzip: true);
        string folder = Path.GetDirectoryName(files.PathOf("iris.csv"))!;
        KnownDataset iris = DatasetRegistry.Get("iris");

        Dataset d = iris.Load(folder);

        Assert.True(iris.IsAvailable(folder));
        Assert.Equal(3, d.Count);
        Assert.Equal([0, 2, 1], d.Labels!);
        Assert.False(DatasetRegistry.Get("wine").IsAvailable(folder));
        var e = Assert.Throws<FileNotFoundException>(() => DatasetRegistry.Get("wine").Load(folder));
        Assert.Contains(Path.Combine(folder, "wine_data.csv.gz"), e.Message);
    }

    [Fact]
    public void BreastCancerIsOneBinaryTarget()
    {
        Dataset d = DatasetRegistry.Get("breast-cancer").Load();

        Assert.Equal(569, d.Count);
        Assert.Equal(30, d.FeatureCount);
        Assert.False(d.IsMultiClass);
        Assert.Equal(1, d.TargetCount);
        Assert.Equal(212, d.Targets!.Count(t => t == 0f));
        Assert.Equal(357, d.Targets!.Count(t => t == 1f));
    }

    [Fact]
    public void DigitsFirstSampleMatchesTheFile()
    {
        Dataset d = DatasetRegistry.Get("digits").Load();

        Assert.Equal([0f, 0f, 5f, 13f, 9f, 1f, 0f, 0f], d.Sample(0)[..8].ToArray());
        Assert.Equal(0, d.Labels![0]);
        Assert.Equal(16f, d.Features.Max());
    }

    [Fact]
    public void SplitOfAShippedDatasetIsStratified()
    {
        DatasetSplit split = DatasetRegistry.Get("iris").LoadSplit(0.2, seed: 7);

        Assert.Equal(120, split.Train.Count);
        Assert.Equal(30, split.Test.Count);
        Assert.All(Enumerable.Range(0, 3), c => Assert.Equal(10, split.Test.Labels!.Count(l => l == c)));
    }

    [Fact]
    public void NamesAreCaseInsensitiveAndUnknownNamesListTheKnownOnes()
    {
        Assert.True(DatasetRegistry.TryGet("Digits", out KnownDataset digits));
        Assert.Equal("digits", digits.Name);

        var e = Assert.Throws<ArgumentException>(() => DatasetRegistry.Get("mnist-3d"));
        Assert.Contains("mnist-3d", e.Message);
        Assert.Contains("breast-cancer", e.Message);
        Assert.Contains("fashion-mnist", e.Message);
    }

    [Fact]
    public void MissingFashionMnistSaysHowToInstallIt()
    {
        using var folder = new TempDirectory("simd-no-fashion-");
        string empty = folder.Path;
        KnownDataset fashion = DatasetRegistry.Get("fashion-mnist");
        Assert.True(fashion.HasOfficialSplit);
        Assert.False(fashion.IsAvailable(empty));

        var e = Assert.Throws<FileNotFoundException>(() => fashion.LoadSplit(0.2, 1, empty));
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", e.Message);
        Assert.Contains(empty, e.Message);
        Assert.All(fashion.Files, f => Assert.Contains(f, e.Message));
        Assert.Contains("https://github.com/zalandoresearch/fashion-mnist", e.Message);
    }

    [Fact]
    public void FashionMnistWhenInstalledHasTheOfficialSplit()
    {
        if (!File.Exists(Path.Combine(DatasetRegistry.FashionMnistDirectory, "t10k-labels-idx1-ubyte.gz"))) return;

        DatasetSplit split = DatasetRegistry.Get("fashion-mnist").LoadSplit(0.2, 1);

        Assert.Equal(60000, split.Train.Count);
        Assert.Equal(10000, split.Test.Count);
        Assert.Equal(784, split.Train.FeatureCount);
        Assert.Equal(10, split.Train.ClassCount);
        Assert.InRange(split.Train.Features.Max(), 0.99f, 1f);
    }

    /// <summary>models/datasets of the repository holding the test output folder.</summary>
    private static string RepositoryDatasets()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "models", "datasets");
            if (File.Exists(Path.Combine(candidate, "README.md"))) return candidate;
        }
        throw new DirectoryNotFoundException($"No models/datasets above {AppContext.BaseDirectory}.");
    }
}
