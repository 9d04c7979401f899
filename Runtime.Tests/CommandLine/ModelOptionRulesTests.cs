namespace Simd.Runtime.Tests.CommandLine;

/// <summary>
/// <c>train --model lenet|resnet|lstm|gru|rnn</c> refuses the options that shape the MLP only, instead of ignoring
/// them, and applies the one-sample batch rule to the network that has BatchNorm.
/// </summary>
public sealed class ModelOptionRulesTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("lenet", "--layers", "64")]
    [InlineData("resnet", "--layers", "64,32")]
    [InlineData("lenet", "--activation", "gelu")]
    [InlineData("resnet", "--activation", "tanh")]
    [InlineData("lenet", "--batch-norm", "false")]
    [InlineData("resnet", "--batch-norm", "true")]
    [InlineData("lenet", "--dropout", "0.3")]
    [InlineData("resnet", "--dropout", "0")]
    [InlineData("lstm", "--layers", "64")]
    [InlineData("gru", "--layers", "64,32")]
    [InlineData("rnn", "--layers", "128")]
    [InlineData("lstm", "--activation", "relu")]
    [InlineData("rnn", "--activation", "tanh")]
    [InlineData("gru", "--batch-norm", "false")]
    [InlineData("lstm", "--batch-norm", "true")]
    [InlineData("rnn", "--dropout", "0.3")]
    [InlineData("gru", "--dropout", "0")]
    public void AnMlpOptionWithAFixedModelIsRefusedNamingBoth(string model, string option, string value)
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

    [Theory]
    [InlineData("lenet5", "lenet", "--layers", "64", "--dropout", "0.2")]
    [InlineData("GRU", "gru", "--activation", "gelu", "--batch-norm", "false")]
    public void EachIgnoredOptionIsNamed(string given, string model, string first, string firstValue, string second, string secondValue)
    {
        var (code, _, error) = CliRun.Run("train", "--model", given, first, firstValue, second, secondValue, "--epochs", "1");

        Assert.Equal(2, code);
        Assert.Contains($"{first} shapes the MLP only; --model {model}", error);
        Assert.Contains($"{second} shapes the MLP only; --model {model}", error);
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData(null)]
    public void TheMlpStillTakesItsOptions(string? model)
    {
        string[] args = ["train", "--data", "iris", "--layers", "8", "--activation", "tanh", "--batch-norm", "false", "--dropout", "0", "--epochs", "1"];
        var (code, output, error) = CliRun.Run(model is null ? args : [.. args, "--model", model]);

        Assert.True(code == 0, error);
        Assert.Contains("model: 4-8-3 tanh", output);
    }

    [Fact]
    public void ResNetRefusesBatchesOfOneSample()
    {
        string save = _cli.PathOf("model.simd");
        var (code, _, error) = CliRun.Run("train", "--model", "resnet", "--batch-size", "1", "--epochs", "1", "--save", save);

        Assert.Equal(2, code);
        Assert.Contains("error: --batch-size 1 cannot train --model resnet (its batch normalization needs two or more samples a batch): " +
                        "use --batch-size 2 or more.", error);
        Assert.DoesNotContain("--batch-norm false", error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cli.Dir));
    }

    [Fact]
    public void LeNetHasNoBatchNormAndTrainsOnBatchesOfOneSample()
    {
        var (code, output, error) = CliRun.Run("train", "--model", "lenet", "--batch-size", "1", "--epochs", "1", "--validation-fraction", "0");

        Assert.True(code == 0, error);
        Assert.Contains("batch 1, 1 epoch", output);
    }
}
