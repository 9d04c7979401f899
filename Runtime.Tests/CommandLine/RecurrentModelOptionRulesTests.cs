namespace Simd.Runtime.Tests.CommandLine;

/// <summary>
/// <c>train --model lstm|gru|rnn</c> takes <c>--augment</c>: a mirrored or shifted image is still an image of its
/// class, read row by row (the MLP-only options they refuse are in <see cref="ModelOptionRulesTests"/>).
/// </summary>
public sealed class RecurrentModelOptionRulesTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

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
