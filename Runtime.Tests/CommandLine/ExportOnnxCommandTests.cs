using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>`export-onnx model out.onnx`: the ONNX file imports back to the same predictions; every failure says what is wrong and leaves no file.</summary>
public sealed class ExportOnnxCommandTests : IDisposable
{
    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    private string SaveMlp(string name = "mlp.model")
    {
        string path = _cli.PathOf(name);
        using Model model = new ModelBuilder(4).Dense(8, ActivationKind.Relu).BatchNorm().Dense(3).Build(seed: 5);
        model.Save(path);
        return path;
    }

    private string[] Files() => [.. Directory.EnumerateFileSystemEntries(_cli.Dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public void WritesAnOnnxFileThatImportsToTheSamePredictions()
    {
        string modelPath = SaveMlp(), onnx = _cli.PathOf("mlp.onnx");

        var (code, output, error) = CliRun.Run("export-onnx", modelPath, onnx);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal($"wrote {onnx}: 4 ONNX nodes, opset 17, input [batch, 4] → output [batch, 3], 83 parameters", CliRun.Lines(output).Single());
        using Model original = Model.Load(modelPath);
        using Model back = OnnxImporter.Load(onnx).Model;
        float[] x = [0.5f, -1, 2, 0.25f, 1, 1, -3, 0], expected = new float[6], actual = new float[6];
        original.Predict(x, expected);
        back.Predict(x, actual);
        Assert.Equal(expected, actual);
        Assert.Equal(["mlp.model", "mlp.onnx"], Files());
    }

    [Fact]
    public void AModelTrainedOnScaledFeaturesSaysTheGraphTakesThemScaled()
    {
        string csv = _cli.WriteBlobs("blobs.csv", rows: 40, classes: 2), modelPath = _cli.PathOf("blobs.model"), onnx = _cli.PathOf("blobs.onnx");
        Assert.Equal(0, CliRun.Run("train", "--data", csv, "--epochs", "1", "--save", modelPath).Code);

        var (code, output, _) = CliRun.Run("export-onnx", modelPath, onnx);

        Assert.Equal(0, code);
        Assert.Contains("note: the model was trained on features scaled by 'standardize'; the ONNX graph takes them scaled the same way", output);
        Assert.True(File.Exists(onnx));
    }

    [Fact]
    public void AMissingModelFileIsNamed()
    {
        string missing = _cli.PathOf("missing.model"), onnx = _cli.PathOf("out.onnx");

        var (code, output, error) = CliRun.Run("export-onnx", missing, onnx);

        Assert.Equal((1, ""), (code, output));
        Assert.Equal($"error: Model file '{missing}' does not exist.", error.TrimEnd());
        Assert.Empty(Files());
    }

    [Fact]
    public void AnInvalidModelFileIsNamedAndAnExistingOutputKept()
    {
        string bad = _cli.PathOf("bad.model"), onnx = _cli.PathOf("out.onnx");
        File.WriteAllText(bad, "not a model");
        File.WriteAllText(onnx, "previous");

        var (code, _, error) = CliRun.Run("export-onnx", bad, onnx);

        Assert.Equal(1, code);
        Assert.StartsWith($"error: Invalid model file '{bad}'", error);
        Assert.Equal("previous", File.ReadAllText(onnx));
        Assert.Equal(["bad.model", "out.onnx"], Files());
    }

    [Theory]
    [InlineData("no-such-folder/out.onnx", "cannot be written: the folder")]
    [InlineData("", "is a folder; expected a file path")]
    public void AnUnwritableOutputIsNamedAndNothingIsLeft(string output, string message)
    {
        string modelPath = SaveMlp(), target = output.Length == 0 ? _cli.Dir : _cli.PathOf(output);

        var (code, _, error) = CliRun.Run("export-onnx", modelPath, target);

        Assert.Equal(1, code);
        Assert.Contains(target, error);
        Assert.Contains(message, error);
        Assert.Equal(["mlp.model"], Files());
    }

    [Fact]
    public void AModelWithANodeOnnxCannotHoldIsRefusedNamingTheNode()
    {
        var g = new GraphBuilder();
        Value rows = g.Reshape(g.Input(new TensorShape(6)), 3, 2);
        g.Output(g.Dense(g.Lstm(rows, 4, returnSequence: false, lengths: g.Dense(g.Flatten(rows), 1)), 2));
        string modelPath = _cli.PathOf("lengths.model"), onnx = _cli.PathOf("lengths.onnx");
        using (Model model = g.Build()) model.Save(modelPath);

        var (code, _, error) = CliRun.Run("export-onnx", modelPath, onnx);

        Assert.Equal(1, code);
        Assert.StartsWith("error: Node 'lstm0' (lstm) cannot be exported to ONNX: sequence lengths", error);
        Assert.Equal(["lengths.model"], Files());
    }

    [Fact]
    public void TheModelFileIsNotReplacedByItsExport()
    {
        string modelPath = SaveMlp();
        byte[] before = File.ReadAllBytes(modelPath);

        var (code, _, error) = CliRun.Run("export-onnx", modelPath, modelPath);

        Assert.Equal(1, code);
        Assert.Equal($"error: The output '{modelPath}' is the model file itself; writing the ONNX file there would replace the model. Choose another output path.", error.TrimEnd());
        Assert.Equal(before, File.ReadAllBytes(modelPath));
        Assert.Equal(["mlp.model"], Files());
    }

    [Fact]
    public void AMissingArgumentIsAUsageError()
    {
        var (code, _, error) = CliRun.Run("export-onnx", SaveMlp());

        Assert.Equal(2, code);
        Assert.Contains("'output'", error);
        Assert.Contains("export-onnx --help", error);
        Assert.Equal(["mlp.model"], Files());
    }
}
