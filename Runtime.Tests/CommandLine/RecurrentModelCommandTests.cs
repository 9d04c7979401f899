using System.Globalization;
using Simd.Runtime.Data;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>
/// <c>train --model lstm|gru|rnn</c>: recurrent networks over the rows of the samples read as square images (the
/// digits' 8 rows of 8 pixels), classifying from the last step's state.
/// </summary>
public sealed class RecurrentModelCommandTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    private static double Accuracy(string output) => double.Parse(CliRun.Last(output, "test accuracy"), CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("lstm", 71_946)]
    [InlineData("gru", 54_282)]
    [InlineData("rnn", 18_954)]
    public void EachRecurrentModelLearnsTheDigitsFromTheirRows(string model, int parameters)
    {
        var (code, output, error) = CliRun.Run("train", "--model", model, "--epochs", "4");

        Assert.True(code == 0, error);
        Assert.Contains($"model: {model} over 8 rows of 8 features, 128 hidden, 10 outputs,", output);
        Assert.Contains(parameters.ToString("N0", CultureInfo.InvariantCulture) + " parameters", output);
        Assert.True(Accuracy(output) > 0.85, output);
        Assert.DoesNotContain("warning:", output);
    }

    [Theory]
    [InlineData("lstm", typeof(LstmOp))]
    [InlineData("gru", typeof(GruOp))]
    [InlineData("rnn", typeof(RnnOp))]
    public void ASavedRecurrentModelLoadsEvaluatesAndPredictsAsTrained(string model, Type op)
    {
        string file = _cli.PathOf(model + ".simd");
        var (code, output, error) = CliRun.Run("train", "--model", model, "--epochs", "3", "--scaling", "none", "--save", file);
        Assert.True(code == 0, error);
        Assert.Contains($"saved: {file}", output);

        Dataset digits = DatasetRegistry.Get("digits").Load();
        const int Rows = 12;
        string input = _cli.PathOf("rows.csv");
        File.WriteAllText(input, string.Join("\n", Enumerable.Range(0, Rows).Select(i =>
            string.Join(",", digits.Sample(i).ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture))))) + "\n");
        string[] expected;
        using (var loaded = Model.Load(file))
        {
            Assert.Single(loaded.Ops, o => o.GetType() == op);
            expected = [.. Enumerable.Range(0, Rows).Select(i => loaded.PredictClass(digits.Sample(i)).ToString(CultureInfo.InvariantCulture))];
        }

        var (evalCode, evalOutput, evalError) = CliRun.Run("evaluate", "--model", file);
        Assert.True(evalCode == 0, evalError);
        Assert.Contains($"accuracy: {CliRun.Last(output, "test accuracy")}", evalOutput);

        var (predictCode, predictOutput, predictError) = CliRun.Run("predict", "--model", file, "--input", input);
        Assert.True(predictCode == 0, predictError);
        Assert.Equal(expected, CliRun.Lines(predictOutput).Select(l => l.Trim()));
    }

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void TheRecurrentModelsHaveNoBatchNormAndTrainOnBatchesOfOneSample(string model)
    {
        var (code, output, error) = CliRun.Run("train", "--model", model, "--batch-size", "1", "--epochs", "1", "--validation-fraction", "0");

        Assert.True(code == 0, error);
        Assert.Contains("batch 1, 1 epoch", output);
    }

    [Fact]
    public void ResultsAreTheSameAtOneAndTwoThreads()
    {
        string[] args = ["train", "--model", "gru", "--epochs", "2"];
        var (code, one, error) = CliRun.Run([.. args, "--threads", "1"]);
        Assert.True(code == 0, error);
        (code, string two, error) = CliRun.Run([.. args, "--threads", "2"]);
        Assert.True(code == 0, error);

        Assert.Equal(CliRun.Last(one, "test loss"), CliRun.Last(two, "test loss"));
    }

    [Fact]
    public void AnLstmResumedFromACheckpointEndsAsAnUninterruptedRun()
    {
        string checkpoint = _cli.PathOf("lstm.ckpt");
        // A constant rate, so that the one-epoch run's schedule is the first epoch of the three-epoch one.
        string[] args = ["train", "--model", "lstm", "--schedule", "constant"];
        var (code, whole, error) = CliRun.Run([.. args, "--epochs", "3"]);
        Assert.True(code == 0, error);
        (code, _, error) = CliRun.Run([.. args, "--epochs", "1", "--checkpoint", checkpoint]);
        Assert.True(code == 0, error);
        (code, string resumed, error) = CliRun.Run([.. args, "--epochs", "3", "--checkpoint", checkpoint]);
        Assert.True(code == 0, error);

        Assert.Contains("resumed from", resumed);
        Assert.Equal(CliRun.Last(whole, "test loss"), CliRun.Last(resumed, "test loss"));
    }

    [Theory]
    [InlineData("gru", "iris", 2)]
    [InlineData("lstm", "digits", 8)]
    public void AnySquareNumberOfFeaturesIsASequence(string model, string data, int side)
    {
        var (code, output, error) = CliRun.Run("train", "--model", model, "--data", data, "--epochs", "1");

        Assert.True(code == 0, error);
        Assert.Contains($"model: {model} over {side} rows of {side} features", output);
    }

    [Theory]
    [InlineData("lstm", "wine", 13)]
    [InlineData("rnn", "breast-cancer", 30)]
    public void DataThatIsNotASquareImageIsRefusedAndNothingIsSaved(string model, string data, int features)
    {
        string save = _cli.PathOf("model.simd");
        var (code, output, error) = CliRun.Run("train", "--model", model, "--data", data, "--epochs", "1", "--save", save);

        Assert.Equal(1, code);
        Assert.Contains($"error: --model {model} reads each sample as the rows of a square image, one row a step, but '{data}' has " +
                        $"{features} features, not a square number; use --model mlp.", error);
        Assert.DoesNotContain("test accuracy", output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cli.Dir));
    }

    [Fact]
    public void AnUnknownModelNamesTheRecurrentOnesToo()
    {
        var (code, _, error) = CliRun.Run("train", "--model", "transformer");

        Assert.Equal(2, code);
        Assert.Contains("mlp, lenet, resnet, lstm, gru, rnn", error);
    }
}
