using System.CommandLine;
using Simd.Models.Training;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>The data options of `train` map onto <see cref="TrainOptions"/>.</summary>
public sealed class TrainDataOptionTests
{
    private static TrainOptions Bind(params string[] args)
    {
        var command = new TrainCommand();
        ParseResult result = new RootCommand { command.Command }.Parse(["train", .. args]);
        Assert.Empty(result.Errors);
        return command.Bind(result);
    }

    [Fact]
    public void DataOptionsMapOntoTheRecord()
    {
        TrainOptions o = Bind("--data", "train-images-idx3-ubyte", "--labels", "l.idx1", "--classes", "12", "--test-data", "t10k-images-idx3-ubyte",
            "--test-labels", "tl.idx1");

        Assert.Equal("train-images-idx3-ubyte", o.Data);
        Assert.Equal("l.idx1", o.Labels);
        Assert.Equal(12, o.ClassCount);
        Assert.Equal("t10k-images-idx3-ubyte", o.TestData);
        Assert.Equal("tl.idx1", o.TestLabels);
    }

    [Fact]
    public void DataOptionsDefaultToNothing()
    {
        TrainOptions o = Bind();

        Assert.Null(o.ClassCount);
        Assert.Null(o.Labels);
        Assert.Null(o.TestData);
        Assert.Null(o.TestLabels);
    }

    [Fact]
    public void TestLabelsWithoutTestDataIsAnError()
    {
        var (code, _, error) = CliRun.Run("train", "--data", "iris", "--test-labels", "x", "--epochs", "1");

        Assert.Equal(1, code);
        Assert.Contains("--test-labels needs --test-data", error);
    }
}
