namespace Simd.Runtime.Tests.CommandLine;

/// <summary>A split that leaves a part empty is reported against the option that asked for it.</summary>
public sealed class SplitFractionCommandTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void TooSmallAValidationFractionNamesItsOptionValueCountsAndRange()
    {
        string data = _cli.WriteBlobs("small.csv", 30, 3);
        string model = _cli.PathOf("never.simd");

        var (code, _, error) = CliRun.Run("train", "--data", data, "--validation-fraction", "0.01", "--epochs", "1", "--save", model);

        Assert.Equal(1, code);
        Assert.Equal("error: --validation-fraction 0.01 holds out 0 of the 24 training samples for validation and leaves 24 for training; " +
                     "both need at least one: give --validation-fraction a value from 0.063 to 0.937, or --validation-fraction 0 for no validation split.",
                     error.Trim());
        Assert.DoesNotContain("testFraction", error);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void TooLargeATestFractionNamesItsOption()
    {
        var (code, _, error) = CliRun.Run("train", "--data", "iris", "--test-fraction", "0.995", "--epochs", "1");

        Assert.Equal(1, code);
        Assert.Equal("error: --test-fraction 0.995 holds out 150 of the 150 samples for the final test and leaves 0 for training; " +
                     "both need at least one: give --test-fraction a value from 0.01 to 0.989, or a separate test set with --test-data.", error.Trim());
    }

    [Fact]
    public void ClassesOfOneSampleCannotBeSplit()
    {
        string data = _cli.PathOf("tiny.csv");
        File.WriteAllText(data, "1,2,0\n3,4,1\n5,6,2\n1,1,0\n2,2,1\n3,3,2\n");

        var (code, _, error) = CliRun.Run("train", "--data", data, "--test-fraction", "0.5", "--epochs", "1");

        Assert.Equal(1, code);
        Assert.Contains("--validation-fraction 0.1 holds out 0 of the 3 training samples", error);
        Assert.Contains("no class has two samples to divide", error);
    }
}
