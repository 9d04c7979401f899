using static Simd.Runtime.Tests.CommandLine.CliRun;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>
/// Every message the command line gives for bad input names the option or file, the value and what is allowed,
/// in the user's terms: no .NET type names, parameter names or offsets of -1.
/// </summary>
public sealed class MessageSweepTests : IDisposable
{
    private readonly TempDirectory _dir = new("simd-message-tests-");

    public void Dispose() => _dir.Dispose();

    private static void AssertUserTerms(string error)
    {
        Assert.StartsWith("error: ", error);
        Assert.DoesNotContain("System.", error);
        Assert.DoesNotContain("(Parameter", error);
        Assert.DoesNotContain("offset -1", error);
        Assert.DoesNotContain("Exception", error);
        Assert.DoesNotContain("   at ", error);
    }

    public static TheoryData<string, string, string> BadValues()
    {
        var data = new TheoryData<string, string, string>();
        void Add(string option, string expected, params string[] values)
        {
            foreach (string v in values) data.Add(option, v, expected);
        }
        Add("--label-column", "an integer", "abc", "1.5", "99999999999");
        Add("--test-fraction", "a fraction in (0, 1)", "abc", "0", "1", "-0.5", "NaN");
        Add("--validation-fraction", "a fraction in [0, 1)", "abc", "1", "-0.1");
        Add("--dropout", "a number in [0, 1)", "abc", "1", "-1", "NaN");
        Add("--label-smoothing", "a number in [0, 1)", "abc", "1", "-0.1");
        Add("--lr", "a learning rate in (0, 10]", "abc", "0", "-1", "11", "NaN", "Infinity");
        Add("--step-epochs", "an integer ≥ 0", "abc", "-1", "2.5");
        Add("--gamma", "a number in [0, 1]", "abc", "2", "-1");
        Add("--warmup-epochs", "an integer ≥ 0", "abc", "-1");
        Add("--weight-decay", "a number in [0, 1]", "abc", "2", "-1");
        Add("--clip-norm", "a number ≥ 0", "abc", "-1", "NaN");
        Add("--batch-size", "an integer ≥ 1", "abc", "0", "-5", "1e3");
        Add("--epochs", "an integer in [1, 100000]", "abc", "0", "100001", "99999999999");
        Add("--patience", "an integer ≥ 0", "abc", "-1");
        Add("--seed", "an integer", "abc", "1.5", "99999999999");
        Add("--threads", "an integer in [1, 256]", "abc", "0", "257");
        Add("--batch-norm", "true or false", "abc", "no");
        Add("--scaling", "standardize", "bogus");
        Add("--activation", "relu", "bogus");
        Add("--loss", "cross-entropy", "bogus");
        Add("--optimizer", "adam", "bogus");
        Add("--schedule", "cosine", "bogus");
        Add("--layers", "an integer in [1, 65536]", "abc", "0", "64,-1", "99999999");
        return data;
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void ABadValueNamesTheOptionTheValueAndWhatIsAllowed(string option, string value, string expected)
    {
        var (code, output, error) = Run("train", "--data", "iris", option, value);

        Assert.Equal(2, code);
        AssertUserTerms(error);
        Assert.StartsWith($"error: {option}: ", error);
        Assert.Contains(value, error);
        Assert.Contains(expected, error);
        Assert.Empty(output);
    }

    [Fact]
    public void AMissingValueNamesTheOption()
    {
        var (code, _, error) = Run("train", "--epochs");
        Assert.Equal(2, code);
        AssertUserTerms(error);
        Assert.Contains("--epochs", error);
    }

    [Fact]
    public void ABrokenModelFileNamesTheFileAndTheByte()
    {
        string path = _dir.PathOf("broken.simd");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

        var (code, _, error) = Run("evaluate", "--model", path);

        Assert.Equal(1, code);
        AssertUserTerms(error);
        Assert.Contains($"'{path}'", error);
        Assert.Contains("at byte", error);
    }

    [Fact]
    public void ACheckpointOfAnotherOptimizerNamesTheFileAndBothOptimizers()
    {
        string checkpoint = _dir.PathOf("run.ckpt");
        var (code, _, error) = Run("train", "--data", "iris", "--epochs", "1", "--layers", "8", "--optimizer", "sgd", "--checkpoint", checkpoint);
        Assert.True(code == 0, error);

        (code, _, error) = Run("train", "--data", "iris", "--epochs", "2", "--layers", "8", "--optimizer", "adam", "--checkpoint", checkpoint);

        Assert.Equal(1, code);
        AssertUserTerms(error);
        Assert.Contains($"'{checkpoint}'", error);
        Assert.Contains("'sgd'", error);
        Assert.Contains("'adam'", error);
    }

    [Fact]
    public void AModelFileGivenAsCheckpointIsNamedAndLeftAlone()
    {
        string model = _dir.PathOf("iris.simd");
        var (code, _, error) = Run("train", "--data", "iris", "--epochs", "1", "--layers", "8", "--save", model);
        Assert.True(code == 0, error);
        byte[] saved = File.ReadAllBytes(model);

        (code, _, error) = Run("train", "--data", "iris", "--epochs", "1", "--layers", "8", "--checkpoint", model);

        Assert.Equal(1, code);
        AssertUserTerms(error);
        Assert.Contains($"'{model}'", error);
        Assert.Contains("holds a model but no checkpoint", error);
        Assert.Equal(saved, File.ReadAllBytes(model));
    }

    [Fact]
    public void AModelFileWithoutTheCommandLinesEntriesIsNamed()
    {
        string path = _dir.PathOf("plain.simd");
        var container = new Simd.Runtime.Serialization.ModelContainer();
        container.SetString("model.format", "simd.sequential");
        container.Save(path);

        var (code, _, error) = Run("evaluate", "--model", path);

        Assert.Equal(1, code);
        AssertUserTerms(error);
        Assert.Contains(path, error);
    }
}
