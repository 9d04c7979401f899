using System.CommandLine;
using Simd.Models.Training;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>--step-epochs, --gamma and --warmup-epochs tune one schedule each; with another they are refused, not ignored.</summary>
public sealed class ScheduleOptionRulesTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("--step-epochs", "5", null, "step")]
    [InlineData("--gamma", "0.5", "cosine", "step")]
    [InlineData("--gamma", "0.5", "warmup", "step")]
    [InlineData("--warmup-epochs", "3", "step", "warmup")]
    [InlineData("--warmup-epochs", "0", "constant", "warmup")]
    public void AnOptionOfAnotherScheduleIsRefusedNamingBoth(string option, string value, string? schedule, string owner)
    {
        string save = _cli.PathOf("model.simd");
        string[] args = ["train", "--data", "iris", option, value, "--epochs", "1", "--save", save];
        var (code, output, error) = CliRun.Run(schedule is null ? args : [.. args, "--schedule", schedule]);

        Assert.Equal(2, code);
        Assert.Contains($"error: {option} tunes --schedule {owner} only; --schedule {schedule ?? "cosine"} would ignore it: " +
                        $"give --schedule {owner}, or leave out {option}.", error);
        Assert.Empty(output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cli.Dir));
    }

    [Fact]
    public void EachScheduleTakesItsOwnOptions()
    {
        var command = new TrainCommand();
        var root = new RootCommand { command.Command };
        ParseResult step = root.Parse(["train", "--schedule", "step", "--step-epochs", "5", "--gamma", "0.5"]);
        ParseResult warmup = root.Parse(["train", "--schedule", "warmup", "--warmup-epochs", "3"]);

        Assert.Empty(step.Errors);
        Assert.Empty(warmup.Errors);
        Assert.Equal((5, 0.5f), (command.Bind(step).StepEpochs, command.Bind(step).Gamma));
        Assert.Equal(3, command.Bind(warmup).WarmupEpochs);
    }

    [Fact]
    public void ABadValueIsReportedFirst()
    {
        var (code, _, error) = CliRun.Run("train", "--data", "iris", "--gamma", "2");

        Assert.Equal(2, code);
        Assert.StartsWith("error: --gamma: ", error);
    }
}
