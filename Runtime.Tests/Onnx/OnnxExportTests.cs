using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// The export read back by our own importer: the same predictions bit for bit (the imported graph holds the same ops
/// with the same weights; a fused activation comes back as an activation node, which computes the same values), at
/// a batch of 1 and of 7, through a stream and through a file.
/// </summary>
public sealed class OnnxExportTests : IDisposable
{
    private readonly TempDirectory _dir = new("simd-onnx-export-");

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Importable => [.. ExportNetworks.Importable];

    [Theory]
    [MemberData(nameof(Importable))]
    public void ImportedExportPredictsBitwiseTheSame(string name)
    {
        using Model model = ExportNetworks.Create(name);
        var stream = new MemoryStream();
        model.ExportOnnx(stream);
        OnnxImportResult imported = OnnxImporter.Import(stream.ToArray());
        using Model back = imported.Model;
        Assert.False(imported.EndsWithSoftmax);
        Assert.Equal((0, 0), (imported.InputBatchAxis, imported.OutputBatchAxis));
        Assert.Equal(model.ParameterCount, back.ParameterCount);
        foreach (int rows in (int[])[1, 7])
        {
            float[] x = ExportNetworks.Inputs(rows);
            Assert.Equal(Bits(Predict(model, x)), Bits(Predict(back, x)));
        }
    }

    [Fact]
    public void AFinalSoftmaxComesBackAsTheImportersFlag()
    {
        using Model model = ExportNetworks.Create("ends-with-softmax");
        string path = _dir.PathOf("softmax.onnx");
        model.ExportOnnx(path);
        OnnxImportResult imported = OnnxImporter.Load(path);
        using Model back = imported.Model;
        Assert.True(imported.EndsWithSoftmax);
        float[] x = ExportNetworks.Inputs(7), probabilities = Predict(model, x), logits = Predict(back, x);
        Simd.Runtime.Intrinsics.Softmax.Forward(logits, logits, 7, ExportNetworks.Outputs);
        Assert.Equal(Bits(probabilities), Bits(logits));
    }

    [Fact]
    public void TheFileHoldsOpset17IrVersion8NamedValuesAndTheWeightsAsInitializers()
    {
        using Model model = ExportNetworks.Create("mlp");
        string path = _dir.PathOf("mlp.onnx");
        model.ExportOnnx(path);
        OnnxModel onnx = OnnxModel.Load(path);
        Assert.Equal(8, onnx.IrVersion);
        Assert.Equal(17, onnx.Opset(""));
        Assert.Equal("Simd.Runtime", onnx.ProducerName);
        OnnxGraph graph = onnx.Graph;
        Assert.Equal(["Gemm", "Relu", "Gemm", "Tanh", "Gemm"], graph.Nodes.Select(n => n.OpType));
        Assert.Equal(["dense0/Gemm", "dense0/Relu", "dense1/Gemm", "dense1/Tanh", "dense2/Gemm"], graph.Nodes.Select(n => n.Name));
        Assert.Equal("input", Assert.Single(graph.Inputs).Name);
        Assert.Equal([null, 64], Assert.Single(graph.Inputs).Shape!);
        Assert.Equal([null, 10], Assert.Single(graph.Outputs).Shape!);
        // Dropout is left out: the second Gemm reads the first layer's activation.
        Assert.Equal(graph.Nodes[1].Outputs[0], graph.Nodes[2].Inputs[0]);
        var dense = model.Ops.OfType<Simd.Runtime.Ops.DenseOp>().First();
        OnnxTensor w = graph.Initializer(graph.Nodes[0].Inputs[1])!;
        Assert.Equal([64L, 32], w.Dims);
        Assert.Equal(dense.Weights.ToArray(), w.Floats.ToArray());
        // The input's and the output's first dimension: dim_param (field 2 of the Dimension message) "batch".
        Assert.Equal(2, Count(File.ReadAllBytes(path), "\u0012\u0005batch"u8));
    }

    [Theory]
    [InlineData("activations", 20, 9)]
    [InlineData("dilated-avgpool", 19, 9)]
    [InlineData("resnet", 17, 8)]
    public void AnOpThatCameLaterRaisesTheOpset(string name, long opset, long irVersion)
    {
        using Model model = ExportNetworks.Create(name);
        var stream = new MemoryStream();
        model.ExportOnnx(stream);
        OnnxModel onnx = OnnxModel.Read(stream.ToArray());
        Assert.Equal((opset, irVersion), (onnx.Opset(""), onnx.IrVersion));
    }

    private static float[] Predict(Model model, float[] x)
    {
        var y = new float[x.Length / model.InputSize * model.OutputSize];
        model.Predict(x, y);
        return y;
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);

    private static int Count(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> part)
    {
        int count = 0;
        for (int i; (i = bytes.IndexOf(part)) >= 0; bytes = bytes[(i + part.Length)..]) count++;
        return count;
    }
}
