using Simd.Runtime.Tests.Data;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>`--data` with IDX files: a folder in the MNIST layout, an images file with its labels, detection by content.</summary>
public sealed class IdxDataCommandTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    private static readonly string[] Quick = ["--epochs", "15", "--layers", "16", "--lr", "0.01"];

    private string Folder(string name, bool gzip = false, bool dotSpelling = false)
    {
        string folder = _cli.PathOf(name);
        IdxBytes.WriteFolder(folder, IdxBytes.Cycle(60, 3), IdxBytes.Cycle(21, 3), gzip, dotSpelling);
        return folder;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void AnIdxFolderTrainsWithItsT10kPairAsTheTestSet(bool gzip, bool dotSpelling)
    {
        string folder = Folder("mnist", gzip, dotSpelling);
        string model = _cli.PathOf("mnist.simd");

        var (code, output, error) = CliRun.Run(["train", "--data", folder, "--save", model, .. Quick]);

        Assert.True(code == 0, error);
        Assert.Contains("data: mnist, 16 features, 3 classes; train 54, validation 6, test 21;", output);
        string accuracy = CliRun.Last(output, "test accuracy");

        var (evalCode, evalOutput, evalError) = CliRun.Run("evaluate", "--model", model);
        Assert.True(evalCode == 0, evalError);
        Assert.Contains("data: mnist (test), 21 samples", evalOutput);
        Assert.Equal(accuracy, CliRun.Last(evalOutput, "accuracy"));
        Assert.Equal("", evalError);
    }

    [Fact]
    public void AnImagesFileFindsItsLabelsFileByName()
    {
        string images = Path.Combine(Folder("pair", gzip: true), "train-images-idx3-ubyte.gz");

        var (code, output, error) = CliRun.Run(["train", "--data", images, .. Quick]);

        Assert.True(code == 0, error);
        // The data line wraps at 80 columns where the file's name is long: judge its parts.
        Assert.Contains("16 features, 3 classes;", output);
        Assert.Contains("train 42, validation 6, test 12;", output);
    }

    [Fact]
    public void AnIdxFileIsReadAsIdxWhateverItsName()
    {
        string folder = Folder("renamed");
        string images = _cli.PathOf("images.csv");
        File.Copy(Path.Combine(folder, "train-images-idx3-ubyte"), images);

        var (code, output, error) = CliRun.Run(["train", "--data", images, "--labels", Path.Combine(folder, "train-labels-idx1-ubyte"), .. Quick]);

        Assert.True(code == 0, error);
        Assert.Contains("16 features, 3 classes", output);
        Assert.DoesNotContain("field", error);
    }

    [Fact]
    public void AnImagesFileWithoutALabelsFileSaysToGiveLabels()
    {
        string images = _cli.PathOf("digits.idx");
        File.Copy(Path.Combine(Folder("source"), "train-images-idx3-ubyte"), images);
        string model = _cli.PathOf("never.simd");

        var (code, _, error) = CliRun.Run(["train", "--data", images, "--save", model, .. Quick]);

        Assert.Equal(1, code);
        Assert.Equal($"error: --data '{images}' is an IDX images file whose name has no 'images' to find its labels file by; give the labels file with --labels.",
                     error.Trim());
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void ALabelsFileAsDataSaysToGiveTheImages()
    {
        string labels = Path.Combine(Folder("labels"), "train-labels-idx1-ubyte");

        var (code, _, error) = CliRun.Run(["train", "--data", labels, .. Quick]);

        Assert.Equal(1, code);
        Assert.Contains("is an IDX labels file (rank 1), not images; give the images file as --data", error);
    }

    [Fact]
    public void MismatchedCountsNameTheFiles()
    {
        string folder = Folder("mismatch");
        File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte"), IdxBytes.Labels(IdxBytes.Cycle(59, 3)));
        string model = _cli.PathOf("never.simd");

        var (code, _, error) = CliRun.Run(["train", "--data", folder, "--save", model, .. Quick]);

        Assert.Equal(1, code);
        Assert.Contains("train-labels-idx1-ubyte: holds 59 labels for the 60 images of", error);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void LabelsWithAFolderIsAnError()
    {
        string folder = Folder("labelled");

        var (code, _, error) = CliRun.Run(["train", "--data", folder, "--labels", Path.Combine(folder, "train-labels-idx1-ubyte"), .. Quick]);

        Assert.Equal(1, code);
        Assert.Contains($"--labels applies to an IDX images file; the folder '{folder}' pairs its files by name.", error);
    }

    [Fact]
    public void AFolderWithoutIdxFilesIsAnError()
    {
        Directory.CreateDirectory(_cli.PathOf("empty"));

        var (code, _, error) = CliRun.Run(["train", "--data", _cli.PathOf("empty"), .. Quick]);

        Assert.Equal(1, code);
        Assert.Contains("is a folder without IDX files in the MNIST layout", error);
    }

    [Fact]
    public void AFolderWithoutItsT10kPairSaysToGiveTestData()
    {
        string folder = Folder("trainonly");
        File.Delete(Path.Combine(folder, "t10k-images-idx3-ubyte"));

        var (code, _, error) = CliRun.Run(["train", "--data", folder, .. Quick]);

        Assert.Equal(1, code);
        Assert.Contains("has no t10k-images-idx3-ubyte", error);
        Assert.Contains("--test-data", error);
    }

    [Fact]
    public void TestDataReplacesTheSplitAndEvaluateUsesIt()
    {
        string train = _cli.WriteBlobs("train.csv", 90, 3);
        string test = _cli.WriteBlobs("test.csv", 33, 3, seed: 9);
        string model = _cli.PathOf("blobs.simd");

        var (code, output, error) = CliRun.Run(["train", "--data", train, "--test-data", test, "--save", model, .. Quick]);
        Assert.True(code == 0, error);
        Assert.Contains("train 81, validation 9, test 33;", output);

        var (evalCode, evalOutput, evalError) = CliRun.Run("evaluate", "--model", model);
        Assert.True(evalCode == 0, evalError);
        Assert.Contains("data: test, 33 samples", evalOutput);
        Assert.Equal(CliRun.Last(output, "test accuracy"), CliRun.Last(evalOutput, "accuracy"));
    }

    [Fact]
    public void TestDataFolderGivesItsT10kPair()
    {
        string images = Path.Combine(Folder("a"), "train-images-idx3-ubyte");

        var (code, output, error) = CliRun.Run(["train", "--data", images, "--test-data", Folder("b", gzip: true), .. Quick]);

        Assert.True(code == 0, error);
        Assert.Contains("train 54, validation 6, test 21;", output);
    }

    [Fact]
    public void TestDataWithOtherFeaturesIsAnError()
    {
        string train = _cli.WriteBlobs("train.csv", 90, 3);
        string test = _cli.PathOf("wide.csv");
        File.WriteAllText(test, "1,2,3,0\n4,5,6,1\n7,8,9,2\n");
        string model = _cli.PathOf("never.simd");

        var (code, _, error) = CliRun.Run(["train", "--data", train, "--test-data", test, "--save", model, .. Quick]);

        Assert.Equal(1, code);
        Assert.Contains($"--test-data '{test}' has 3 features per sample; the training data has 2.", error);
        Assert.False(File.Exists(model));
    }
}
