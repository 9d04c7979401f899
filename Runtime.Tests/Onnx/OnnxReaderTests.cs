using Simd.Runtime.Onnx;
using Simd.Runtime.Tests.Conformance;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>The protobuf wire-format reader and the ONNX messages on hand-built and damaged bytes.</summary>
public class OnnxReaderTests
{
    private static OnnxTensor Tensor(Action<ProtoWriter> body)
    {
        var w = new ProtoWriter();
        body(w);
        return OnnxTensor.Read(w.ToArray());
    }

    private static OnnxFormatException Bad(Action<ProtoWriter> body) =>
        Assert.Throws<OnnxFormatException>(() => Tensor(body));

    [Fact]
    public void ReadsVarintsUpTo64Bits()
    {
        long[] values = [0, 1, 127, 128, 300, 1L << 35, long.MaxValue, -1, long.MinValue];
        OnnxTensor t = Tensor(w => { w.Int(1, values.Length).Int(2, 7); foreach (long v in values) w.Int(7, v); });
        Assert.Equal(values, t.Int64s.ToArray());
    }

    [Fact]
    public void PackedAndUnpackedRepeatedFieldsAgree()
    {
        float[] f = [1.5f, -2, float.MaxValue];
        OnnxTensor packed = Tensor(w => w.PackedInts(1, [3]).Int(2, 1).PackedFloats(4, f));
        OnnxTensor unpacked = Tensor(w => { w.Int(1, 3).Int(2, 1); foreach (float v in f) w.Float(4, v); });
        Assert.Equal(f, packed.Floats.ToArray());
        Assert.Equal(f, unpacked.Floats.ToArray());
        Assert.Equal([3L], packed.Dims);
    }

    [Fact]
    public void RawDataIsLittleEndianAndScalarsHaveOneElement()
    {
        OnnxTensor t = Tensor(w => w.Int(2, 1).Bytes(9, [0, 0, 0x80, 0x3F]));
        Assert.Empty(t.Dims);
        Assert.Equal([1f], t.Floats.ToArray());
        OnnxTensor i = Tensor(w => w.Int(1, 2).Int(2, 7).Bytes(9, [1, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));
        Assert.Equal([1L, -1L], i.Int64s.ToArray());
    }

    [Fact]
    public void SkipsUnknownFieldsOfEveryWireType()
    {
        OnnxTensor t = Tensor(w => w.Int(1, 1).Int(2, 1).Int(100, 5).Float(101, 1).Tag(102, 1).Raw(new byte[8])
            .String(103, "x").PackedFloats(4, [2f]));
        Assert.Equal([2f], t.Floats.ToArray());
    }

    [Fact]
    public void TruncatedVarintNamesFieldAndOffset()
    {
        OnnxFormatException e = Bad(w => w.Int(2, 1).Tag(1, 0).Raw([0x80, 0x80]));
        Assert.Equal("TensorProto.dims", e.Field);
        Assert.Equal(3, e.Offset);
    }

    [Fact]
    public void OverlongVarintsAreRejected()
    {
        // An eleventh byte is impossible: the tenth may only carry bit 63, and then ends the varint.
        Assert.Contains("overflows", Bad(w => w.Tag(1, 0).Raw([.. Enumerable.Repeat((byte)0x80, 10), 1])).Message);
        Assert.Contains("overflows", Bad(w => w.Tag(1, 0).Raw([.. Enumerable.Repeat((byte)0xFF, 9), 2])).Message);
    }

    [Fact]
    public void LengthBeyondTheBufferIsRejectedWithoutAllocating()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        OnnxFormatException e = Bad(w => w.Tag(9, 2).Varint(1UL << 62).Raw([1, 2, 3]));
        Assert.Equal("TensorProto.raw_data", e.Field);
        Assert.Contains("exceeds the 3 bytes left", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void TruncatedPackedVarintNamesTheField()
    {
        OnnxFormatException e = Bad(w => w.Int(2, 7).Bytes(1, [0x05, 0x80]));
        Assert.Equal("TensorProto.dims", e.Field);
        Assert.Equal(5, e.Offset);
    }

    [Fact]
    public void TruncatedFixedFieldsAreRejected()
    {
        Assert.Equal("TensorProto.float_data", Bad(w => w.Tag(4, 5).Raw([1, 2])).Field);
        Assert.Contains("multiple of 4", Bad(w => w.Bytes(4, [1, 2, 3, 4, 5])).Message);
    }

    [Fact]
    public void InvalidTagsAreRejected()
    {
        Assert.Contains("field number 0", Bad(w => w.Raw([0x00])).Message);
        Assert.Contains("wire type 3", Bad(w => w.Tag(1, 3)).Message);
        Assert.Contains("wire type 2; expected 0", Bad(w => w.Bytes(2, [1])).Message);
    }

    [Fact]
    public void DataMustMatchTheDims()
    {
        Assert.Contains("dims say 4", Bad(w => w.PackedInts(1, [2, 2]).Int(2, 1).PackedFloats(4, [1, 2, 3])).Message);
        Assert.Equal("TensorProto.raw_data", Bad(w => w.PackedInts(1, [3]).Int(2, 1).Bytes(9, new byte[8])).Field);
        Assert.Contains("negative dimension", Bad(w => w.Int(1, -2).Int(2, 1)).Message);
        // Dims declaring 2^60 elements over 4 bytes of data: rejected from the sizes alone, nothing allocated for them.
        Assert.Contains("more than", Bad(w => w.PackedInts(1, [1L << 30, 1L << 30]).Int(2, 1).Bytes(9, new byte[4])).Message);
        Assert.Contains("no data_type", Bad(w => w.Int(1, 1)).Message);
    }

    [Fact]
    public void StringsMustBeUtf8()
    {
        Assert.Contains("UTF-8", Bad(w => w.Bytes(8, [0xC3, 0x28])).Message);
    }

    [Fact]
    public void ReadsAModelWithAttributesInitializersAndValueInfos()
    {
        byte[] bytes = OnnxWriter.Model(
            [OnnxWriter.Node("Gemm", ["x", "w", "b"], ["y"], OnnxWriter.FloatAttribute("alpha", 0.5f),
                OnnxWriter.IntAttribute("transB", 1), OnnxWriter.StringAttribute("note", "hé"))],
            [OnnxWriter.Tensor("w", [2, 3], [1, 2, 3, 4, 5, 6]), OnnxWriter.Tensor("b", [2], [7, 8])],
            [OnnxWriter.Value("x", [null, 3])],
            [OnnxWriter.Value("y", [null, 2])]);
        OnnxModel model = OnnxModel.Read(bytes);
        Assert.Equal(8, model.IrVersion);
        Assert.Equal(13, model.Opset("ai.onnx"));
        OnnxNode node = Assert.Single(model.Graph.Nodes);
        Assert.Equal("Gemm", node.OpType);
        Assert.Equal(["x", "w", "b"], node.Inputs);
        Assert.Equal(0.5f, node.Float("alpha", 1));
        Assert.Equal(1, node.Int("transB", 0));
        Assert.Equal(0, node.Int("transA", 0));
        Assert.Equal("hé", node.String("note", ""));
        Assert.Throws<OnnxFormatException>(() => node.Int("alpha", 0));
        Assert.Equal([1f, 2, 3, 4, 5, 6], model.Graph.Initializer("w")!.Floats.ToArray());
        Assert.Equal([null, 3L], model.Graph.Inputs[0].Shape!);
        Assert.Equal(OnnxDataType.Float, model.Graph.Outputs[0].ElementType);
    }

    [Fact]
    public void AModelNeedsAGraphAndNodesAnOpType()
    {
        Assert.Contains("no graph", Assert.Throws<OnnxFormatException>(() => OnnxModel.Read(new ProtoWriter().Int(1, 8).ToArray())).Message);
        byte[] noOp = new ProtoWriter().Message(7, g => g.Message(1, n => n.String(2, "y"))).ToArray();
        OnnxFormatException e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Read(noOp));
        Assert.Equal("ModelProto.graph.node.op_type", e.Field);
    }

    /// <summary>
    /// Every prefix and many single-byte corruptions of real conformance models: the reader either succeeds or
    /// throws <see cref="OnnxFormatException"/> (or <see cref="NotSupportedException"/> for a flipped
    /// data_location); never another exception, a crash or a runaway allocation.
    /// </summary>
    [Theory]
    [Trait("Category", "Conformance")]
    [InlineData("test_gemm_all_attributes")]
    [InlineData("test_batchnorm_epsilon_training_mode")]
    [InlineData("test_adam")]
    public void DamagedModelsFailCleanly(string name)
    {
        byte[] model = File.ReadAllBytes(Path.Combine(ConformanceData.OnnxNode, name, "model.onnx"));
        byte[] tensor = File.ReadAllBytes(Path.Combine(ConformanceData.OnnxNode, name, "test_data_set_0", "input_0.pb"));
        for (int length = 0; length < model.Length; length++) Survives(() => OnnxModel.Read(model.AsSpan(0, length)));
        for (int length = 0; length < tensor.Length; length++) Survives(() => OnnxTensor.Read(tensor.AsSpan(0, length)));
        var random = new Random(12345);
        for (int trial = 0; trial < 2000; trial++)
        {
            byte[] copy = (byte[])model.Clone();
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
            Survives(() => OnnxModel.Read(copy));
            byte[] t = (byte[])tensor.Clone();
            t[random.Next(t.Length)] = (byte)random.Next(256);
            Survives(() => OnnxTensor.Read(t));
        }
    }

    private static void Survives(Action read)
    {
        try
        {
            read();
        }
        catch (OnnxFormatException)
        {
        }
        catch (NotSupportedException)
        {
        }
    }
}
