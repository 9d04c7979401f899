using Simd.Runtime.Data;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>The command line end to end, on small datasets and few epochs so that each case takes about a second.</summary>
public sealed class ModelsAppTests : IDisposable
{
    private readonly TempDirectory _dir = new("simd-models-tests-");

    public void Dispose() => _dir.Dispose();

    private static (int Code, string Output, string Error) Run(params string[] args) => CliRun.Run(args);

    [Theory]
    [InlineData("train", "--epochs", "0")]
    [InlineData("train", "--optimizer", "lbfgs")]
    [InlineData("train", "--frobnicate")]
    [InlineData("evaluate")]
    [InlineData("nonsense")]
    public void BadCommandLinesExitNonZeroWithAMessageAndNoStackTrace(params string[] args)
    {
        var (code, _, error) = Run(args);

        Assert.NotEqual(0, code);
        Assert.StartsWith("error: ", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void UnknownDataIsAnErrorListingTheKnownDatasets()
    {
        var (code, _, error) = Run("train", "--data", "no-such-data", "--epochs", "1");

        Assert.Equal(1, code);
        Assert.Contains("no-such-data", error);
        Assert.Contains("digits", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void BrokenCsvIsAnErrorWithLineAndColumn()
    {
        string path = _dir.PathOf("broken.csv");
        File.WriteAllText(path, "1,2,0\n3,oops,1\n");

        var (code, _, error) = Run("train", "--data", path, "--epochs", "1");

        Assert.Equal(1, code);
        Assert.Contains("line 2, column 2", error);
    }

    [Fact]
    public void CrossEntropyOnABinaryTargetSaysToUseBce()
    {
        var (code, _, error) = Run("train", "--data", "breast-cancer", "--loss", "cross-entropy", "--epochs", "1");

        Assert.Equal(1, code);
        Assert.Contains("--loss bce", error);
    }

    [Fact]
    public void PatienceWithoutValidationIsRejected()
    {
        var (code, _, error) = Run("train", "--data", "iris", "--patience", "3", "--validation-fraction", "0");

        Assert.Equal(1, code);
        Assert.Contains("--validation-fraction", error);
    }

    [Fact]
    public void TrainPrintsIsaEpochLinesAndTheTestAccuracyLast()
    {
        var (code, output, error) = Run("train", "--data", "iris", "--epochs", "3", "--layers", "16");

        Assert.True(code == 0, error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("width=", lines[0]);
        // A header, then one row per epoch; every line fits 80 columns.
        Assert.Single(lines, l => l.StartsWith("epoch ", StringComparison.Ordinal));
        Assert.Equal(3, lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d+/3 ")));
        Assert.All(output.Split('\n'), l => Assert.True(l.TrimEnd('\r').Length <= 80, l));
        Assert.Matches(@"^test accuracy: [01]\.\d{4}$", lines[^1]);
    }

    [Fact]
    public void BreastCancerTrainsOneSigmoidOutput()
    {
        var (code, output, error) = Run("train", "--data", "breast-cancer", "--epochs", "20", "--lr", "0.01", "--layers", "16");

        Assert.True(code == 0, error);
        Assert.Contains("binary (1 sigmoid output)", output);
        Assert.Contains("sigmoid-binary-cross-entropy", output);
        double accuracy = double.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Split(':')[1]);
        Assert.True(accuracy > 0.9, output);
    }

    [Fact]
    public void CsvPathWithTwoClassesTrainsAsBinaryAndWithThreeAsClasses()
    {
        string path = _dir.PathOf("blobs.csv");
        var random = new Random(3);
        using (var w = new StreamWriter(path))
        {
            w.WriteLine("x,y,label");
            for (int i = 0; i < 120; i++)
            {
                int label = i % 2;
                w.WriteLine(FormattableString.Invariant($"{random.NextDouble() + 3 * label},{random.NextDouble()},{label}"));
            }
        }

        var (code, output, error) = Run("train", "--data", path, "--epochs", "3", "--layers", "8");
        Assert.True(code == 0, error);
        Assert.Contains("binary", output);

        var (hingeCode, hingeOutput, hingeError) = Run("train", "--data", path, "--epochs", "3", "--layers", "8", "--loss", "hinge");
        Assert.True(hingeCode == 0, hingeError);
        Assert.Contains("2 classes", hingeOutput);
    }

    [Fact]
    public void SavedModelEvaluatesOnTheSameTestSplitAndPredicts()
    {
        string model = _dir.PathOf("iris.simd");
        var (code, output, error) = Run("train", "--data", "iris", "--epochs", "30", "--layers", "16", "--save", model);
        Assert.True(code == 0, error);
        string trained = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Split(':')[1].Trim();

        var (evalCode, evalOutput, evalError) = Run("evaluate", "--model", model);
        Assert.True(evalCode == 0, evalError);
        Assert.Contains("30 samples", evalOutput);
        Assert.Contains($"accuracy: {trained}", evalOutput);

        string input = _dir.PathOf("rows.csv");
        File.WriteAllText(input, "5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n");
        var (predictCode, predictOutput, predictError) = Run("predict", "--model", model, "--input", input);
        Assert.True(predictCode == 0, predictError);
        Assert.Equal(["0", "2"], predictOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void EvaluateOfAMissingOrCorruptModelIsAnError()
    {
        var (code, _, error) = Run("evaluate", "--model", _dir.PathOf("absent.simd"));
        Assert.Equal(1, code);
        Assert.Contains("does not exist", error);

        string corrupt = _dir.PathOf("corrupt.simd");
        File.WriteAllBytes(corrupt, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        (code, _, error) = Run("evaluate", "--model", corrupt);
        Assert.Equal(1, code);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void DatasetsListsEveryKnownName()
    {
        var (code, output, _) = Run("datasets");

        Assert.Equal(0, code);
        Assert.All(DatasetRegistry.Names, n => Assert.Contains(n, output));
    }
}
