using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Simd.Runtime.Onnx;
using Simd.Runtime.Tests.CommandLine;
using Simd.Runtime.Tests.Conformance;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// `onnx-conformance DIR` through the app's entry point, on case folders copied from the conformance data into a
/// scratch folder (some with an expected output changed): one line per case, the count, the exit code, and nothing
/// written to the folder it reads.
/// </summary>
public sealed class ConformanceRunnerCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new("simd-onnx-conformance-");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void PassingFailingAndSkippedCasesEachGetALineAndTheCountEndsTheRun()
    {
        CopyCase("test_relu", "pass");
        string fail = CopyCase("test_relu", "fail");
        OnnxTensor y = OnnxTensor.Load(Path.Combine(fail, "test_data_set_0", "output_0.pb"));
        float[] tampered = y.Floats.ToArray();
        float original = tampered[7];
        tampered[7] = original + 1;
        WriteTensor(Path.Combine(fail, "test_data_set_0", "output_0.pb"), y.Name, y.Dims, tampered);
        CopyCase("test_reshape_allowzero_reordered", "skip");

        var (code, output, error) = Run(_temp.Path);

        Assert.Equal(1, code);
        Assert.Equal("", error);
        string[] lines = CliRun.Lines(output);
        Assert.Equal(4, lines.Length);
        // Shape [3, 4, 5]: element 7 is [0, 1, 2]; relu gives the original value back.
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture,
            $"FAIL fail: output 'y' at [0, 1, 2]: {original:R} vs expected {original + 1:R} (|error| "), lines[0]);
        Assert.EndsWith("> 1e-05 + 0.001·|expected|; 1 of 60 values off)", lines[0]);
        Assert.Equal("PASS pass", lines[1]);
        Assert.StartsWith("SKIP skip: ONNX graph: input 'data' has shape [0, 3, 4]", lines[2]);
        Assert.Equal("1 passed, 1 failed, 1 skipped", lines[3]);
    }

    [Fact]
    public void NoFailureExitsWithZeroAndLeavesTheFolderAsItWas()
    {
        CopyCase("test_relu", "relu");
        CopyCase("test_gru_defaults", "gru");
        CopyCase("test_reduce_sum_empty_set_non_reduced_axis_zero", "reduce-empty");
        string[] before = Snapshot();

        var (code, output, error) = Run(_temp.Path);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        string[] lines = CliRun.Lines(output);
        Assert.Equal("PASS gru", lines[0]);
        Assert.StartsWith("SKIP reduce-empty: ONNX graph: input 'data' has shape [2, 0, 4]", lines[1]);
        Assert.Equal(["PASS relu", "2 passed, 0 failed, 1 skipped"], lines[2..]);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void CasesAreFoundBelowTheFolderAndNamedByTheirPathInIt()
    {
        CopyCase("test_relu", Path.Combine("group", "relu"));
        CopyCase("test_sigmoid", Path.Combine("group", "more", "sigmoid"));

        var (code, output, _) = Run(Path.Combine(_temp.Path, "group"));

        Assert.Equal(0, code);
        Assert.Equal(["PASS more/sigmoid", "PASS relu", "2 passed, 0 failed, 0 skipped"], CliRun.Lines(output));
    }

    [Fact]
    public void AFolderThatIsItselfACaseRunsUnderItsName()
    {
        string relu = CopyCase("test_relu", "relu");

        var (code, output, _) = Run(relu);

        Assert.Equal(0, code);
        Assert.Equal(["PASS relu", "1 passed, 0 failed, 0 skipped"], CliRun.Lines(output));
    }

    [Fact]
    public void EveryDataSetRunsAndAFailureNamesItsDataSet()
    {
        string c = CopyCase("test_relu", "relu");
        string second = Path.Combine(c, "test_data_set_1");
        CopyFolder(Path.Combine(c, "test_data_set_0"), second);
        OnnxTensor y = OnnxTensor.Load(Path.Combine(second, "output_0.pb"));
        float[] tampered = y.Floats.ToArray();
        tampered[^1] = float.NaN;
        WriteTensor(Path.Combine(second, "output_0.pb"), y.Name, y.Dims, tampered);

        var (code, output, _) = Run(_temp.Path);

        Assert.Equal(1, code);
        Assert.StartsWith($"FAIL relu: test_data_set_1: output 'y' at [2, 3, 4]: {y.Floats[^1].ToString("R", CultureInfo.InvariantCulture)} vs expected NaN",
            CliRun.Lines(output)[0]);
    }

    [Fact]
    public void AnOutputOfAnotherShapeFails()
    {
        string c = CopyCase("test_relu", "relu");
        string path = Path.Combine(c, "test_data_set_0", "output_0.pb");
        OnnxTensor y = OnnxTensor.Load(path);
        WriteTensor(path, y.Name, [3, 20], y.Floats.ToArray());

        var (code, output, _) = Run(_temp.Path);

        Assert.Equal(1, code);
        Assert.Equal("FAIL relu: output 'y' has shape [3, 4, 5]; expected [3, 20].", CliRun.Lines(output)[0]);
    }

    [Fact]
    public void OutputsTheImporterDoesNotProduceAreNamedBesideThePass()
    {
        CopyCase("test_layer_normalization_2d_axis1", "ln");

        var (code, output, _) = Run(_temp.Path);

        Assert.Equal(0, code);
        string line = CliRun.Lines(output)[0];
        Assert.StartsWith("PASS ln (output 'Mean' not produced: ONNX node 'Y' (LayerNormalization", line);
        Assert.Contains("; output 'InvStdDev' not produced: ", line);
    }

    [Fact]
    public void DamagedOrIncompleteCasesFailWithWhatIsWrongAndTheRunGoesOn()
    {
        string damaged = CopyCase("test_relu", "damaged");
        byte[] model = File.ReadAllBytes(Path.Combine(damaged, "model.onnx"));
        File.WriteAllBytes(Path.Combine(damaged, "model.onnx"), model[..(model.Length / 2)]);
        string noOutput = CopyCase("test_relu", "no_output");
        File.Delete(Path.Combine(noOutput, "test_data_set_0", "output_0.pb"));
        string noData = CopyCase("test_relu", "no_data");
        Directory.Delete(Path.Combine(noData, "test_data_set_0"), recursive: true);
        CopyCase("test_relu", "relu");

        var (code, output, error) = Run(_temp.Path);

        Assert.Equal(1, code);
        Assert.Equal("", error);
        string[] lines = CliRun.Lines(output);
        Assert.StartsWith("FAIL damaged: model.onnx: ", lines[0]);
        Assert.Equal("FAIL no_data: no test_data_set_* folder beside model.onnx.", lines[1]);
        Assert.Equal("FAIL no_output: test_data_set_0 has no output_0.pb for output 'y'.", lines[2]);
        Assert.Equal(["PASS relu", "1 passed, 3 failed, 0 skipped"], lines[3..]);
    }

    [Fact]
    public void AMissingFolderIsABadUsage()
    {
        string missing = _temp.PathOf("missing");

        var (code, output, error) = Run(missing);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: '{missing}' does not exist; give a folder of ONNX test cases.", error.TrimEnd());
    }

    [Fact]
    public void AFileIsABadUsage()
    {
        string file = _temp.WriteText("model.onnx", "not a folder");

        var (code, output, error) = Run(file);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: '{file}' is a file; give the folder that holds the test cases.", error.TrimEnd());
    }

    [Fact]
    public void AFolderWithoutCasesIsABadUsage()
    {
        Directory.CreateDirectory(_temp.PathOf("test_relu"));
        _temp.WriteText(Path.Combine("test_relu", "notes.txt"), "no model here");

        var (code, output, error) = Run(_temp.Path);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"error: no test cases under '{_temp.Path}': no folder there holds a model.onnx", error);
        Assert.False(Directory.Exists(_temp.PathOf("test_relu/test_data_set_0")));
    }

    [Fact]
    public void NoFolderGivenIsABadUsage()
    {
        var (code, output, error) = CliRun.Run("onnx-conformance");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("'dir'", error);
        Assert.Contains("onnx-conformance --help", error);
    }

    private static (int Code, string Output, string Error) Run(string dir) => CliRun.Run("onnx-conformance", dir);

    /// <summary>Copies the conformance data's case folder to <paramref name="name"/> in the scratch folder.</summary>
    private string CopyCase(string onnxCase, string name)
    {
        string target = _temp.PathOf(name);
        CopyFolder(Path.Combine(ConformanceData.OnnxNode, onnxCase), target);
        return target;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (string dir in Directory.GetDirectories(from)) CopyFolder(dir, Path.Combine(to, Path.GetFileName(dir)));
    }

    /// <summary>Every file below the scratch folder with its size and last write time.</summary>
    private string[] Snapshot() =>
        [.. Directory.GetFileSystemEntries(_temp.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => File.Exists(p) ? $"{p} {new FileInfo(p).Length} {File.GetLastWriteTimeUtc(p):O}" : p)];

    /// <summary>A float TensorProto (dims, data_type, name, raw_data), as ONNX's test data files hold them.</summary>
    private static void WriteTensor(string path, string name, IReadOnlyList<long> dims, float[] values)
    {
        var bytes = new List<byte>();
        foreach (long d in dims)
        {
            bytes.Add(1 << 3);
            Varint(bytes, (ulong)d);
        }
        bytes.Add(2 << 3);
        Varint(bytes, 1);
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        bytes.Add((8 << 3) | 2);
        Varint(bytes, (ulong)nameBytes.Length);
        bytes.AddRange(nameBytes);
        bytes.Add((9 << 3) | 2);
        Varint(bytes, (ulong)values.Length * 4);
        var raw = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), values[i]);
        bytes.AddRange(raw);
        File.WriteAllBytes(path, [.. bytes]);
    }

    private static void Varint(List<byte> bytes, ulong value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
    }
}
