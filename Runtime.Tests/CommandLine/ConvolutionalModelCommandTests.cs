using Simd.Runtime.Models;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary><c>train --model lenet|resnet</c>: convolutional networks over the samples read as square images.</summary>
public sealed class ConvolutionalModelCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("simd-conv-cli-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void LeNetTrainsOnTheDigitsAndItsSavedFileEvaluatesTheSame()
    {
        string model = _dir.PathOf("lenet.simd");
        var (code, output, error) = CliRun.Run("train", "--model", "lenet", "--epochs", "4", "--save", model);
        Assert.True(code == 0, error);
        Assert.Contains("model: lenet on 8×8 images", output);
        double accuracy = double.Parse(CliRun.Last(output, "test accuracy"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(accuracy > 0.85, output);

        using (var loaded = Model.Load(model))
        {
            Assert.Equal(2, loaded.Ops.OfType<Conv2DOp>().Count());
            Assert.Equal(2, loaded.Ops.OfType<MaxPool2DOp>().Count());
        }
        var (evalCode, evalOutput, evalError) = CliRun.Run("evaluate", "--model", model);
        Assert.True(evalCode == 0, evalError);
        Assert.Contains($"accuracy: {CliRun.Last(output, "test accuracy")}", evalOutput);
    }

    [Fact]
    public void ResNetTrainsOnTheDigits()
    {
        var (code, output, error) = CliRun.Run("train", "--model", "resnet", "--epochs", "1");
        Assert.True(code == 0, error);
        Assert.Contains("model: resnet on 8×8 images", output);
        double accuracy = double.Parse(CliRun.Last(output, "test accuracy"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(accuracy > 0.5, output);
    }

    [Theory]
    [InlineData("wine", "'wine' has 13 features, not a square number; use --model mlp.")]
    [InlineData("iris", "needs images of at least 8×8; 'iris' has 2×2; use --model mlp.")]
    public void DataThatIsNotASquareImageIsRefused(string data, string message)
    {
        var (code, _, error) = CliRun.Run("train", "--model", "lenet", "--data", data, "--epochs", "1");
        Assert.NotEqual(0, code);
        Assert.Contains(message, error);
    }

    [Fact]
    public void AnUnknownModelNamesTheChoices()
    {
        var (code, _, error) = CliRun.Run("train", "--model", "vgg");
        Assert.NotEqual(0, code);
        Assert.Contains("mlp, lenet, resnet", error);
    }
}
