using System.Diagnostics;
using System.Text;
using Simd.Runtime.Tests.Data;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>`-` for standard input (read as a pipe that cannot seek), and named pipes given by path.</summary>
public sealed class StandardInputCommandTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    private string TrainBlobs(string name = "blobs.simd")
    {
        string data = _cli.WriteBlobs("blobs.csv", 90, 3);
        string model = _cli.PathOf(name);
        var (code, _, error) = CliRun.Run("train", "--data", data, "--epochs", "40", "--layers", "16", "--lr", "0.01", "--save", model);
        Assert.True(code == 0, error);
        return model;
    }

    private static NonSeekableStream Pipe(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void PredictReadsCsvFromStandardInputLikeAFile()
    {
        string model = TrainBlobs();
        const string rows = "0.5,0.5\n3.5,0.5\n6.5,0.5\n";
        string file = _cli.PathOf("rows.csv");
        File.WriteAllText(file, rows);

        var (code, output, error) = CliRun.RunWithInput(Pipe(rows), "predict", "--model", model, "--input", "-");
        var (_, fromFile, _) = CliRun.Run("predict", "--model", model, "--input", file);

        Assert.True(code == 0, error);
        Assert.Equal(3, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(fromFile, output);
    }

    [Fact]
    public void PredictReadsGzipIdxImagesFromStandardInput()
    {
        string folder = _cli.PathOf("idx");
        IdxBytes.WriteFolder(folder, IdxBytes.Cycle(60, 3), IdxBytes.Cycle(9, 3));
        string model = _cli.PathOf("idx.simd");
        var (trainCode, _, trainError) = CliRun.Run("train", "--data", folder, "--epochs", "40", "--layers", "16", "--lr", "0.01", "--save", model);
        Assert.True(trainCode == 0, trainError);
        byte[] images = IdxBytes.Gzip(IdxBytes.Images(IdxBytes.Cycle(9, 3)));

        var (code, output, error) = CliRun.RunWithInput(new NonSeekableStream(images), "predict", "--model", model, "--input", "-");

        Assert.True(code == 0, error);
        Assert.Equal(["0", "1", "2", "0", "1", "2", "0", "1", "2"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void EvaluateReadsLabelledCsvFromStandardInputInFull()
    {
        string model = TrainBlobs();

        const string rows = "x,y,label\n0.5,0.5,0\n3.5,0.5,1\n6.5,0.5,2\n";
        string file = _cli.PathOf("rows.csv");
        File.WriteAllText(file, rows);

        var (code, output, error) = CliRun.RunWithInput(Pipe(rows), "evaluate", "--model", model, "--data", "-");
        var (_, fromFile, _) = CliRun.Run("evaluate", "--model", model, "--data", file);

        Assert.True(code == 0, error);
        Assert.Contains("data: stdin, 3 samples", output);
        Assert.Equal(fromFile.Replace("data: rows,", "data: stdin,"), output);
    }

    [Fact]
    public void IdxImagesOnStandardInputNeedTheirLabelsFile()
    {
        string model = TrainBlobs();

        var (code, _, error) = CliRun.RunWithInput(new NonSeekableStream(IdxBytes.Images([0, 1])), "evaluate", "--model", model, "--data", "-");

        Assert.Equal(1, code);
        Assert.Equal("error: IDX images on standard input have no labels file beside them; give it with --labels.", error.Trim());
    }

    [Fact]
    public void TrainDoesNotReadStandardInput()
    {
        var (code, _, error) = CliRun.RunWithInput(Pipe("1,2,0\n"), "train", "--data", "-", "--epochs", "1");

        Assert.Equal(1, code);
        Assert.Contains("--data -: train reads a file or a folder", error);
    }

    [Fact]
    public void ANamedPipeTrainsButCannotBeEvaluatedAgainWithoutData()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        string csv = File.ReadAllText(_cli.WriteBlobs("source.csv", 90, 3));
        string fifo = _cli.PathOf("pipe.csv");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!) mkfifo.WaitForExit();
        Assert.True(File.Exists(fifo));
        // Opening a pipe for writing waits for its reader, the training run below; a background thread cannot
        // keep the test run alive should that never come.
        var writer = new Thread(() => File.WriteAllText(fifo, csv)) { IsBackground = true };
        writer.Start();
        string model = _cli.PathOf("pipe.simd");

        var (code, output, error) = CliRun.Run("train", "--data", fifo, "--epochs", "3", "--layers", "8", "--save", model);
        writer.Join(TimeSpan.FromSeconds(30));

        Assert.True(code == 0, error);
        Assert.Contains("train 66, validation 6, test 18;", output);
        var (evalCode, _, evalError) = CliRun.Run("evaluate", "--model", model);
        Assert.Equal(1, evalCode);
        Assert.Contains("was a pipe when the model was trained and cannot be read again; give the data with --data", evalError);
    }
}
