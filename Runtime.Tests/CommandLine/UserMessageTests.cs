using Simd.Models.Cli;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>Exceptions reach the user as their message alone: no parameter names, no "Actual value was".</summary>
public class UserMessageTests
{
    [Fact]
    public void ParameterNamesAreCut()
    {
        Assert.Equal("Splitting leaves nothing for test.", UserMessage.Of(new ArgumentException("Splitting leaves nothing for test.", "options")));
        Assert.Equal("The batch size must be at least 1.",
            UserMessage.Of(new ArgumentOutOfRangeException("BatchSize", 0, "The batch size must be at least 1.")));
        Assert.Equal("No parameter here.", UserMessage.Of(new InvalidOperationException("No parameter here.")));
    }

    [Fact]
    public async Task GuardPrintsOneCleanErrorLine()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new AppConsole(output, error);

        int code = await ModelsApp.Guard(console, () => throw new ArgumentException("Training set 'x' is empty.", "train"));

        Assert.Equal(1, code);
        Assert.Equal("error: Training set 'x' is empty." + Environment.NewLine, error.ToString());
    }

    [Fact]
    public void HelpFitsEightyColumns()
    {
        var output = new StringWriter();
        Assert.Equal(0, ModelsApp.Run(["train", "--help"], output, new StringWriter()));
        Assert.Contains("--batch-norm", output.ToString());
        Assert.All(output.ToString().Split('\n'), l => Assert.True(l.TrimEnd('\r', ' ').Length <= 80, l));
    }
}
