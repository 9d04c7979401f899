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
        Dataset d = DatasetRegistry.Get(name).Load();

        Assert.Equal(count, d.Count);
        Assert.Equal(features, d.FeatureCount);
        Assert.Equal(classes, d.ClassCount);
        Assert.Equal(Enumerable.Range(0, classes), d.Labels!.Distinct().Order());
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
        string empty = Directory.CreateTempSubdirectory("simd-no-fashion-").FullName;
        try
        {
            KnownDataset fashion = DatasetRegistry.Get("fashion-mnist");
            Assert.True(fashion.HasOfficialSplit);

            var e = Assert.Throws<FileNotFoundException>(() => fashion.LoadSplit(0.2, 1, empty));
            Assert.Contains("sudo apt-get install dataset-fashion-mnist", e.Message);
            Assert.Contains(empty, e.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
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
}
