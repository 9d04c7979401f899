using System.Text;
using Simd.Runtime.Tests.Data;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>`--classes` and the labels a file must have without it.</summary>
public sealed class ClassLabelCommandTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>Ten classes of 10 samples each, with <paramref name="stray"/> as the label of line 57.</summary>
    private string TenClasses(int stray)
    {
        var text = new StringBuilder("x,y,label\n");
        for (int i = 0; i < 100; i++) text.Append(FormattableString.Invariant($"{i % 10 + 0.01 * i},{i % 3},{(i == 55 ? stray : i % 10)}\n"));
        string path = _cli.PathOf("data.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void AStrayLabelNamesTheFileLineAndValueAndTheOptionThatWouldTakeIt()
    {
        string data = TenClasses(99);
        string model = _cli.PathOf("never.simd");

        var (code, _, error) = CliRun.Run("train", "--data", data, "--epochs", "1", "--save", model);

        Assert.Equal(1, code);
        Assert.Equal($"error: {data}, line 57: label 99 is not one of the classes 0..9 of the other labels; give --classes 100 if the data really has 100 classes",
                     error.Trim());
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void AHugeStrayLabelIsNotOfferedAsAClassCount()
    {
        var (code, _, error) = CliRun.Run("train", "--data", TenClasses(1_000_000), "--epochs", "1");

        Assert.Equal(1, code);
        Assert.EndsWith("line 57: label 1000000 is not one of the classes 0..9 of the other labels; a class index this large is not a label " +
                        "(--classes allows at most 65536 classes)", error.Trim());
    }

    [Fact]
    public void ClassesTakesTheLabelsAsGiven()
    {
        var (code, output, error) = CliRun.Run("train", "--data", TenClasses(99), "--classes", "100", "--epochs", "1", "--layers", "8",
            "--test-fraction", "0.3", "--validation-fraction", "0");

        Assert.True(code == 0, error);
        Assert.Contains("2 features, 100 classes", output);
    }

    [Fact]
    public void ALabelAtOrAboveClassesIsAnError()
    {
        var (code, _, error) = CliRun.Run("train", "--data", TenClasses(99), "--classes", "50", "--epochs", "1");

        Assert.Equal(1, code);
        Assert.EndsWith("line 57: label 99 is outside the 50 classes 0..49.", error.Trim());
    }

    [Fact]
    public void AStrayIdxLabelNamesTheSampleAndOffset()
    {
        string folder = _cli.PathOf("idx");
        byte[] labels = IdxBytes.Cycle(60, 3);
        labels[41] = 7;
        IdxBytes.WriteFolder(folder, labels, IdxBytes.Cycle(9, 3), gzip: true);

        var (code, _, error) = CliRun.Run("train", "--data", folder, "--epochs", "1");

        Assert.Equal(1, code);
        Assert.Equal($"error: {Path.Combine(folder, "train-labels-idx1-ubyte.gz")}, offset 49: label 7 of sample 41 is not one of the classes 0..2 " +
                     "of the other labels; give --classes 8 if the data really has 8 classes", error.Trim());
    }

    [Fact]
    public void TestLabelsOutsideTheTrainingClassesAreAnError()
    {
        string train = _cli.WriteBlobs("train.csv", 60, 3);
        string test = _cli.PathOf("test.csv");
        File.WriteAllText(test, "0.5,0.5,0\n3.5,0.5,3\n");

        var (code, _, error) = CliRun.Run("train", "--data", train, "--test-data", test, "--epochs", "1");

        Assert.Equal(1, code);
        Assert.Equal($"error: {test}, line 2: label 3 is outside the 3 classes 0..2.", error.Trim());
    }

    [Fact]
    public void ClassesWithAKnownDatasetIsAnError()
    {
        var (code, _, error) = CliRun.Run("train", "--data", "iris", "--classes", "5", "--epochs", "1");

        Assert.Equal(1, code);
        Assert.Contains("--classes applies to a file or folder given as --data; the known dataset 'iris' has its own.", error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void ClassesMustBePositive(string value)
    {
        var (code, _, error) = CliRun.Run("train", "--classes", value);

        Assert.Equal(2, code);
        Assert.Contains($"--classes: {value} is not valid", error);
    }
}
