using Simd.Runtime.Graphs;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// A node the exporter has no ONNX form for is refused with a message naming the node and its op, before anything is
/// written: no file (an existing one keeps its bytes), no temporary file beside it, nothing on a stream.
/// </summary>
public sealed class OnnxExportRefusalTests : IDisposable
{
    private readonly TempDirectory _dir = new("simd-onnx-export-refusal-");

    public void Dispose() => _dir.Dispose();

    /// <summary>An op of the caller's own, registered nowhere (the exporter knows the runtime's ops only).</summary>
    private sealed class SquareOp : Op
    {
        public override string Kind => "square";

        public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs) => [inputs[0]];

        internal override void Forward(in OpContext context)
        {
            ReadOnlySpan<float> x = context.Input(0);
            Span<float> y = context.Output(0);
            for (int i = 0; i < x.Length; i++) y[i] = x[i] * x[i];
        }

        internal override void Backward(in OpContext context) { }
    }

    private static Model CustomOp()
    {
        var g = new GraphBuilder();
        g.Output(g.Dense(g.Single(new SquareOp(), g.Dense(g.Input(new TensorShape(4)), 3)), 2));
        return g.Build();
    }

    private static Model LstmWithLengths()
    {
        var g = new GraphBuilder();
        Value rows = g.Reshape(g.Input(new TensorShape(12)), 3, 4);
        Value lengths = g.Dense(g.Flatten(rows), 1);
        g.Output(g.Dense(g.Lstm(rows, 5, returnSequence: false, lengths: lengths), 2));
        return g.Build();
    }

    public static TheoryData<string, string, string> Refused => new()
    {
        { "custom", "Node 'square0' (square) cannot be exported to ONNX: the exporter has no ONNX form for the op 'square'", "dense, dropout" },
        { "lengths", "Node 'lstm0' (lstm) cannot be exported to ONNX: sequence lengths computed by the graph have no ONNX form", "sequence_lens" },
    };

    private static Model Create(string which) => which == "custom" ? CustomOp() : LstmWithLengths();

    [Theory]
    [MemberData(nameof(Refused))]
    public void RefusedBeforeAFileIsWritten(string which, string message, string detail)
    {
        using Model model = Create(which);
        string path = _dir.PathOf("model.onnx");

        var e = Assert.Throws<Simd.Runtime.Onnx.Export.OnnxExportException>(() => model.ExportOnnx(path));

        Assert.StartsWith(message, e.Message);
        Assert.Contains(detail, e.Message);
        Assert.Equal(which == "custom" ? ("square0", "square") : ("lstm0", "lstm"), (e.Node, e.OpKind));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void ARefusedExportLeavesAnExistingFileAndAStreamAsTheyWere(string which, string message, string detail)
    {
        _ = (message, detail);
        using Model model = Create(which);
        string path = _dir.Write("model.onnx", [1, 2, 3]);
        var stream = new MemoryStream();

        Assert.Throws<Simd.Runtime.Onnx.Export.OnnxExportException>(() => model.ExportOnnx(path));
        Assert.Throws<Simd.Runtime.Onnx.Export.OnnxExportException>(() => model.ExportOnnx(stream));

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.EnumerateFileSystemEntries(_dir.Path));
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void AMissingFolderIsAnIOExceptionNamingThePath()
    {
        using Model model = new ModelBuilder(4).Dense(2).Build();
        string path = Path.Combine(_dir.Path, "no-such-folder", "model.onnx");

        var e = Assert.Throws<IOException>(() => model.ExportOnnx(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("does not exist", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
    }

    [Fact]
    public void AnExportReplacesAnExistingFileWhole()
    {
        using Model model = new ModelBuilder(4).Dense(2).Build();
        string path = _dir.Write("model.onnx", new byte[100_000]);

        model.ExportOnnx(path);

        var stream = new MemoryStream();
        model.ExportOnnx(stream);
        Assert.Equal(stream.ToArray(), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.EnumerateFileSystemEntries(_dir.Path));
    }
}
