using System.Security.Cryptography;
using Simd.Runtime.Serialization;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>
/// `evaluate` rebuilds the held-out split of the file a model was trained on only while that file is unchanged:
/// the model file records its size and SHA-256.
/// </summary>
public sealed class EvaluateDataChangeTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    private (string Data, string Model, string Accuracy) Train()
    {
        string data = _cli.WriteBlobs("blobs.csv", 90, 3);
        string model = _cli.PathOf("blobs.simd");
        var (code, output, error) = CliRun.Run("train", "--data", data, "--epochs", "10", "--layers", "16", "--lr", "0.01", "--save", model);
        Assert.True(code == 0, error);
        return (data, model, CliRun.Last(output, "test accuracy"));
    }

    /// <summary>The same lines in another order: same size, other content, and a test split that now holds training rows.</summary>
    private static void Shuffle(string path)
    {
        string[] lines = File.ReadAllLines(path);
        string[] rows = lines[1..];
        new Random(5).Shuffle(rows);
        File.WriteAllLines(path, [lines[0], .. rows]);
    }

    [Fact]
    public void TheModelFileRecordsTheDataSizeAndSha256()
    {
        var (data, model, _) = Train();

        ModelContainer container = ModelContainer.Load(model);

        Assert.Equal(new FileInfo(data).Length, container.GetInt64("data.size"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(data))), container.GetString("data.sha256"));
        Assert.Equal(Path.GetFullPath(data), container.GetString("data.files"));
    }

    [Fact]
    public void AnUnchangedFileGivesTheSameTestSplitWithOrWithoutData()
    {
        var (data, model, accuracy) = Train();

        var (code, output, error) = CliRun.Run("evaluate", "--model", model);
        var (explicitCode, explicitOutput, explicitError) = CliRun.Run("evaluate", "--model", model, "--data", data);

        Assert.True(code == 0, error);
        Assert.True(explicitCode == 0, explicitError);
        Assert.Contains("data: blobs (test), 18 samples", output);
        Assert.Equal(accuracy, CliRun.Last(output, "accuracy"));
        Assert.Equal(output, explicitOutput);
        Assert.Equal("", error + explicitError);
    }

    [Fact]
    public void AShuffledFileIsRefusedNamingItAndWhatChanged()
    {
        var (data, model, _) = Train();
        Shuffle(data);

        var (code, output, error) = CliRun.Run("evaluate", "--model", model);

        Assert.Equal(1, code);
        Assert.DoesNotContain("accuracy", output);
        Assert.StartsWith($"error: '{data}' changed since the model was trained: its size is the same, ", error);
        Assert.Contains("but its content differs: SHA-256 ", error);
        Assert.Contains($"pass --data {data} to evaluate on all of it.", error);
    }

    [Fact]
    public void AGrownFileIsRefusedWithBothSizes()
    {
        var (data, model, _) = Train();
        long before = new FileInfo(data).Length;
        File.AppendAllText(data, "0.5,0.5,0\n");

        var (code, _, error) = CliRun.Run("evaluate", "--model", model);

        Assert.Equal(1, code);
        Assert.Contains(FormattableString.Invariant($"its size was {before:N0} bytes at training, now {before + 10:N0}"), error);
    }

    [Fact]
    public void AChangedFileGivenExplicitlyIsEvaluatedInFull()
    {
        var (data, model, _) = Train();
        Shuffle(data);

        var (code, output, error) = CliRun.Run("evaluate", "--model", model, "--data", data);

        Assert.True(code == 0, error);
        Assert.Contains("data: blobs, 90 samples", output);
        Assert.StartsWith($"note: '{data}' changed since the model was trained: ", error);
        Assert.Contains("evaluating all of it, not its test split.", error);
    }

    [Fact]
    public void AMissingFileSaysToGiveData()
    {
        var (data, model, _) = Train();
        File.Delete(data);

        var (code, _, error) = CliRun.Run("evaluate", "--model", model);

        Assert.Equal(1, code);
        Assert.Equal($"error: '{data}', the data the model was trained on, no longer exists; give the data with --data.", error.Trim());
    }

    [Fact]
    public void AModelFileWithoutAFingerprintEvaluatesWithAWarning()
    {
        var (_, model, accuracy) = Train();
        ModelContainer saved = ModelContainer.Load(model);
        var old = new ModelContainer();
        foreach (var (name, entry) in saved.Entries())
        {
            if (name is not ("data.size" or "data.sha256" or "data.files")) old.AddRead(name, entry);
        }
        old.Save(model);

        var (code, output, error) = CliRun.Run("evaluate", "--model", model);

        Assert.True(code == 0, error);
        Assert.Equal(accuracy, CliRun.Last(output, "accuracy"));
        Assert.StartsWith($"warning: {model} predates data fingerprints", error);
    }
}
