using Simd.Runtime.Data;

namespace Simd.Runtime.Tests.Data;

/// <summary>Folders of IDX files in the MNIST / Fashion-MNIST layout, and the pairing of images with their labels.</summary>
public sealed class IdxFolderTests : IDisposable
{
    private readonly TempDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void LoadsTheTrainingAndTestPairsGzipOrNot(bool gzip, bool dotSpelling)
    {
        string folder = _files.PathOf("mnist");
        IdxBytes.WriteFolder(folder, IdxBytes.Cycle(12, 3), IdxBytes.Cycle(6, 3), gzip, dotSpelling);

        DatasetSplit split = IdxFolder.Load(folder);

        Assert.Equal("mnist (train)", split.Train.Name);
        Assert.Equal(12, split.Train.Count);
        Assert.Equal(6, split.Test.Count);
        Assert.Equal(16, split.Train.FeatureCount);
        Assert.Equal(3, split.Train.ClassCount);
        Assert.Equal(3, split.Test.ClassCount);
        Assert.All(split.Train.Features, v => Assert.InRange(v, 0f, 1f));
        Assert.True(IdxFolder.Contains(folder));
    }

    [Fact]
    public void PlainFilesArePreferredOverGzipCopies()
    {
        string folder = _files.PathOf("both");
        IdxBytes.WriteFolder(folder, IdxBytes.Cycle(12, 3), IdxBytes.Cycle(6, 3), gzip: true);
        IdxBytes.WriteFolder(folder, IdxBytes.Cycle(10, 2), IdxBytes.Cycle(4, 2), gzip: false);

        IdxPair train = IdxFolder.FindPart(folder, IdxFolder.TrainPrefix)!;

        Assert.EndsWith("train-images-idx3-ubyte", train.ImagesPath);
        Assert.Equal(10, IdxFolder.Load(folder).Train.Count);
    }

    [Fact]
    public void MismatchedCountsNameBothFiles()
    {
        string folder = _files.PathOf("mismatch");
        IdxBytes.WriteFolder(folder, IdxBytes.Cycle(12, 3), IdxBytes.Cycle(6, 3));
        File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte"), IdxBytes.Labels(IdxBytes.Cycle(11, 3)));

        var e = Assert.Throws<DatasetFormatException>(() => IdxFolder.Load(folder));

        Assert.Contains("train-labels-idx1-ubyte", e.Message);
        Assert.Contains("11 labels for the 12 images", e.Message);
        Assert.Contains("train-images-idx3-ubyte", e.Message);
    }

    [Fact]
    public void BadMagicIsReportedAtOffsetZero()
    {
        string folder = _files.PathOf("magic");
        IdxBytes.WriteFolder(folder, IdxBytes.Cycle(12, 3), IdxBytes.Cycle(6, 3));
        string images = Path.Combine(folder, "train-images-idx3-ubyte");
        byte[] bytes = File.ReadAllBytes(images);
        bytes[0] = 0x42;
        File.WriteAllBytes(images, bytes);

        var e = Assert.Throws<DatasetFormatException>(() => IdxFolder.Load(folder));

        Assert.Equal(0, e.Offset);
        Assert.Contains("magic number", e.Message);
        Assert.StartsWith(images, e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedFileIsReportedWithTheOffsetWhereItEnds(bool gzip)
    {
        string folder = _files.PathOf("short");
        IdxBytes.WriteFolder(folder, IdxBytes.Cycle(12, 3), IdxBytes.Cycle(6, 3), gzip);
        string name = "t10k-images-idx3-ubyte" + (gzip ? ".gz" : "");
        byte[] full = IdxBytes.Images(IdxBytes.Cycle(6, 3));
        IdxBytes.Write(Path.Combine(folder, "t10k-images-idx3-ubyte"), full[..^10], gzip);

        var e = Assert.Throws<DatasetFormatException>(() => IdxFolder.Load(folder));

        Assert.Contains(name, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Equal(full.Length - 10, e.Offset);
    }

    [Fact]
    public void AMissingLabelsFileIsNamed()
    {
        string folder = _files.PathOf("nolabels");
        IdxBytes.WriteFolder(folder, IdxBytes.Cycle(12, 3), IdxBytes.Cycle(6, 3));
        File.Delete(Path.Combine(folder, "t10k-labels-idx1-ubyte"));

        var e = Assert.Throws<FileNotFoundException>(() => IdxFolder.Load(folder));

        Assert.Contains("t10k-labels-idx1-ubyte", e.Message);
    }

    [Fact]
    public void AMissingPartNamesTheFilesLookedFor()
    {
        string folder = _files.PathOf("trainonly");
        IdxBytes.WriteFolder(folder, IdxBytes.Cycle(12, 3), IdxBytes.Cycle(6, 3));
        File.Delete(Path.Combine(folder, "t10k-images-idx3-ubyte"));
        File.Delete(Path.Combine(folder, "t10k-labels-idx1-ubyte"));

        Assert.Null(IdxFolder.FindPart(folder, IdxFolder.TestPrefix));
        var e = Assert.Throws<FileNotFoundException>(() => IdxFolder.Load(folder));
        Assert.Contains("t10k-images-idx3-ubyte", e.Message);
        Assert.Equal(12, IdxFolder.LoadPart(folder, IdxFolder.TrainPrefix, "train").Count);
    }

    [Fact]
    public void TestLabelsOutsideTheTrainingClassesAreRefused()
    {
        string folder = _files.PathOf("wider");
        IdxBytes.WriteFolder(folder, IdxBytes.Cycle(12, 3), [0, 1, 2, 3, 1, 2]);

        var e = Assert.Throws<DatasetFormatException>(() => IdxFolder.Load(folder));

        Assert.Contains("t10k-labels-idx1-ubyte", e.Message);
        Assert.Contains("label 3 of sample 3 is outside the 3 classes 0..2", e.Message);
        Assert.Equal(8 + 3, e.Offset);
    }

    [Theory]
    [InlineData("train-images-idx3-ubyte", "train-labels-idx1-ubyte")]
    [InlineData("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")]
    [InlineData("t10k-images.idx3-ubyte", "t10k-labels.idx1-ubyte")]
    [InlineData("emnist-letters-test-images-idx3-ubyte", "emnist-letters-test-labels-idx1-ubyte")]
    [InlineData("digits.idx", null)]
    public void TheLabelsFileNameFollowsTheImagesFileName(string images, string? labels)
    {
        Assert.Equal(labels, IdxFolder.LabelsNameOf(images));
    }

    [Fact]
    public void TheLabelsFileIsFoundBesideTheImagesCompressedOrNot()
    {
        string images = _files.Write("train-images-idx3-ubyte", IdxBytes.Images([0, 1]), gzip: false);
        Assert.Null(IdxFolder.FindLabelsFile(images));

        _files.Write("train-labels-idx1-ubyte.gz", IdxBytes.Labels([0, 1]), gzip: true);

        Assert.Equal(_files.PathOf("train-labels-idx1-ubyte.gz"), IdxFolder.FindLabelsFile(images));
    }
}
