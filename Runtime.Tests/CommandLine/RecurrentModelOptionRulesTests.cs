namespace Simd.Runtime.Tests.CommandLine;

/// <summary>
/// <c>train --model lstm|gru|rnn</c> refuses the options that shape the MLP only, as the convolutional networks do,
/// and takes <c>--augment</c>: a mirrored or shifted image is still an image of its class, read row by row.
/// </summary>
public sealed class RecurrentModelOptionRulesTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("lstm", "--layers", "64")]
    [InlineData("gru", "--layers", "64,32")]
    [InlineData("rnn", "--layers", "128")]
    [InlineData("lstm", "--activation", "relu")]
    [InlineData("rnn", "--activation", "tanh")]
    [InlineData("gru", "--batch-norm", "false")]
    [InlineData("lstm", "--batch-norm", "true")]
    [InlineData("rnn", "--dropout", "0.3")]
    [InlineData("gru", "--dropout", "0")]
    public void AnMlpOptionWithARecurrentModelIsRefusedNamingBoth(string model, string option, string value)
    {
        string save = _cli.PathOf("model.simd");
        string checkpoint = _cli.PathOf("model.ckpt");
        var (code, output, error) = CliRun.Run("train", "--model", model, option, value, "--epochs", "1", "--save", save, "--checkpoint", checkpoint);

        Assert.Equal(2, code);
        Assert.Contains($"error: {option} shapes the MLP only; --model {model} has fixed layers and would ignore it: " +
                        $"leave out {option}, or use --model mlp.", error);
        Assert.DoesNotContain("test accuracy", output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cli.Dir));
    }

    [Fact]
    public void EachIgnoredOptionIsNamed()
    {
        var (code, _, error) = CliRun.Run("train", "--model", "GRU", "--activation", "gelu", "--batch-norm", "false", "--epochs", "1");

        Assert.Equal(2, code);
        Assert.Contains("--activation shapes the MLP only; --model gru", error);
        Assert.Contains("--batch-norm shapes the MLP only; --model gru", error);
    }

    [Theory]
    [InlineData("lstm", "flip,crop")]
    [InlineData("rnn", "flip")]
    [InlineData("gru", "crop")]
    public void AugmentationTrainsTheRecurrentModelsOnUnscaledImages(string model, string augment)
    {
        string[] args = ["train", "--model", model, "--scaling", "none", "--epochs", "2"];
        var (code, augmented, error) = CliRun.Run([.. args, "--augment", augment]);
        Assert.True(code == 0, error);
        Assert.Contains($"augment {augment}", augmented);

        (code, string plain, error) = CliRun.Run(args);
        Assert.True(code == 0, error);
        Assert.NotEqual(CliRun.Last(plain, "test loss"), CliRun.Last(augmented, "test loss"));
    }

    [Fact]
    public void AugmentationOfScaledFeaturesIsRefusedAndNothingIsSaved()
    {
        string save = _cli.PathOf("model.simd");
        var (code, output, error) = CliRun.Run("train", "--model", "lstm", "--augment", "flip", "--epochs", "1", "--save", save);

        Assert.Equal(1, code);
        Assert.Contains("error: --augment flip moves pixels to other positions, whose --scaling standardize was fitted per pixel", error);
        Assert.DoesNotContain("test accuracy", output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cli.Dir));
    }
}
