using System.Runtime.InteropServices;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// The fast way from an ONNX file to answers, <see cref="InferenceModel.LoadOnnx"/>: the same model as an import
/// then a freeze, bit for bit, on the real PyTorch exports; the same refusals; and what makes it fast checked where
/// it can be: float weights are views of the file's bytes, not copies, and a warm load allocates only a small part
/// of the file's size on the managed heap.
/// </summary>
public sealed class OnnxServingLoadTests
{
    private static string Fixture(string file) => Path.Combine(AppContext.BaseDirectory, "Onnx", "Fixtures", file);

    [Theory]
    [InlineData("mlp_batchnorm_softmax")]
    [InlineData("mlp_gelu_silu")]
    [InlineData("lenet")]
    [InlineData("resnet_small")]
    [InlineData("attention")]
    public void LoadOnnxGivesTheBitsOfAnImportThenAFreeze(string name)
    {
        string path = Fixture($"real_{name}.onnx");
        OnnxTensor x = OnnxTensor.Load(Fixture($"real_{name}_x.pb"));
        int rows = (int)x.Dims[0];
        var options = new InferenceOptions { MaxBatch = rows };
        using Model imported = OnnxImporter.Load(path).Model;
        using var frozen = InferenceModel.Freeze(imported, options);
        using var served = InferenceModel.LoadOnnx(path, options);
        var expected = new float[rows * frozen.OutputSize];
        var actual = new float[expected.Length];
        frozen.Predict(x.Floats, rows, expected);
        served.Predict(x.Floats, rows, actual);
        Assert.Equal(frozen.Describe(), served.Describe());
        Assert.True(MemoryMarshal.Cast<float, int>(expected.AsSpan()).SequenceEqual(MemoryMarshal.Cast<float, int>(actual.AsSpan())), name);
    }

    [Fact]
    public void LoadOnnxRefusesWhatTheImporterRefuses()
    {
        using var dir = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => InferenceModel.LoadOnnx(dir.PathOf("missing.onnx")));
        byte[] model = File.ReadAllBytes(Fixture("real_lenet.onnx"));
        string truncated = dir.Write("truncated.onnx", model[..(model.Length / 2)]);
        Assert.Throws<OnnxFormatException>(() => InferenceModel.LoadOnnx(truncated));
        string unsupported = dir.Write("unsupported.onnx", OnnxWriter.Model(
            [OnnxWriter.Node("Hardmax", ["x"], ["y"])], [], [OnnxWriter.Value("x", [null, 3])], [OnnxWriter.Value("y", [null, 3])]));
        var refused = Assert.Throws<OnnxImportException>(() => InferenceModel.LoadOnnx(unsupported));
        Assert.Equal(Assert.Throws<OnnxImportException>(() => OnnxImporter.Load(unsupported)).Message, refused.Message);
    }

    [Fact]
    public void AModelReadFromAnArrayViewsItsFloatWeights()
    {
        // An odd-length name puts raw_data at an odd offset: the view must not need aligned floats.
        float[] weights = [.. Enumerable.Range(0, 37).Select(i => i * 0.25f - 3)];
        byte[] bytes = OnnxWriter.Model([OnnxWriter.Node("Gemm", ["x", "w_odd_"], ["y"])], [RawTensor("w_odd_", [37, 1], weights)],
            [OnnxWriter.Value("x", [null, 37])], [OnnxWriter.Value("y", [null, 1])]);
        OnnxModel view = OnnxModel.Read(bytes), copy = OnnxModel.Read((ReadOnlySpan<byte>)bytes);
        Assert.Equal(weights, view.Graph.Initializer("w_odd_")!.Floats.ToArray());
        Assert.Equal(weights, copy.Graph.Initializer("w_odd_")!.Floats.ToArray());
        int at = bytes.AsSpan().IndexOf(MemoryMarshal.AsBytes(weights.AsSpan(1, 2)));
        Assert.NotEqual(0, (at - sizeof(float)) % sizeof(float));
        bytes[at] ^= 0x01;
        Assert.NotEqual(weights[1], view.Graph.Initializer("w_odd_")!.Floats[1]);
        Assert.Equal(weights[1], copy.Graph.Initializer("w_odd_")!.Floats[1]);
    }

    [Fact]
    public void RawDataOfTheWrongLengthIsRefusedInAView()
    {
        byte[] bytes = OnnxWriter.Model([OnnxWriter.Node("Gemm", ["x", "w"], ["y"])], [w => w.PackedInts(1, [2, 1]).Int(2, 1).Bytes(9, new byte[7]).String(8, "w")],
            [OnnxWriter.Value("x", [null, 2])], [OnnxWriter.Value("y", [null, 1])]);
        Assert.Contains("has 7 bytes; its dims say 2 elements of 4 bytes", Assert.Throws<OnnxFormatException>(() => OnnxModel.Read(bytes)).Message);
    }

    [Fact]
    public void AWarmLoadAllocatesLittleOfTheFileOnTheManagedHeap()
    {
        using var dir = new TempDirectory();
        var random = new Random(5);
        float[] w = [.. Enumerable.Range(0, 512 * 256).Select(_ => (float)(random.NextDouble() - 0.5))];
        string path = dir.Write("wide.onnx", OnnxWriter.Model(
            [OnnxWriter.Node("Gemm", ["x", "w"], ["h"], OnnxWriter.IntAttribute("transB", 1)), OnnxWriter.Node("Relu", ["h"], ["y"])],
            [RawTensor("w", [256, 512], w)], [OnnxWriter.Value("x", [null, 512])], [OnnxWriter.Value("y", [null, 256])]));
        long file = new FileInfo(path).Length;
        for (int i = 0; i < 3; i++) InferenceModel.LoadOnnx(path).Dispose();
        long before = GC.GetAllocatedBytesForCurrentThread();
        InferenceModel.LoadOnnx(path).Dispose();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < file / 8, $"a warm load of a {file:N0}-byte file allocated {allocated:N0} managed bytes");
    }

    [Fact]
    public void NativeBlocksAreReusedAtTheirExactSizeAndBounded()
    {
        unsafe
        {
            nuint size = NativeBlocks.MinimumKept * 3 + 64;
            void* first = NativeBlocks.Allocate(size);
            NativeBlocks.Free(first, size);
            void* again = NativeBlocks.Allocate(size);
            Assert.True(first == again, "a freed block is handed out again at its size");
            void* other = NativeBlocks.Allocate(size + 64);
            Assert.True(other != again, "and only at its size");
            NativeBlocks.Free(again, size);
            NativeBlocks.Free(other, size + 64);
            void* huge = NativeBlocks.Allocate(NativeBlocks.MaximumKept + 64);
            NativeBlocks.Free(huge, NativeBlocks.MaximumKept + 64);
            Assert.True(NativeBlocks.KeptBytes <= NativeBlocks.MaximumKept);
        }
    }

    private static Action<ProtoWriter> RawTensor(string name, long[] dims, float[] values) =>
        w => w.PackedInts(1, dims).Int(2, 1).Bytes(9, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()).String(8, name);
}
