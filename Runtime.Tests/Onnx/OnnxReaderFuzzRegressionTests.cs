using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>What the ONNX fuzzer found, one test each, so that the fixes stay.</summary>
public class OnnxReaderFuzzRegressionTests
{
    private static byte[] MlpWithInput(long?[] shape) => Model(
        [Node("Gemm", ["x", "w", "b"], ["y"])],
        [Tensor("w", [4, 2], new float[8]), Tensor("b", [2], new float[2])],
        [Value("x", shape)],
        [Value("y", [null, 2])]);

    /// <summary>
    /// A dimension of 2^63−1 multiplied past long in the importer's sample-size check and reached the tensor shape
    /// as −1 (an ArgumentOutOfRangeException); the reader now refuses a dimension outside 0..2^31−1 itself.
    /// </summary>
    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData((long)int.MaxValue + 1)]
    [InlineData(-1L)]
    public void ADimensionOutsideIntIsAFormatError(long dimension)
    {
        var e = Assert.Throws<OnnxFormatException>(() => OnnxImporter.Import(MlpWithInput([null, dimension])));
        Assert.Equal("ModelProto.graph.input.type.tensor_type.shape.dim.dim_value", e.Field);
        Assert.Contains($"dimension 1 of 'x' is {dimension}; expected 0 to {int.MaxValue}", e.Message, StringComparison.Ordinal);
        Assert.True(e.Offset > 0);
    }

    [Fact]
    public void TheLargestDimensionIsReadAndRefusedByTheImporter()
    {
        OnnxModel model = OnnxModel.Read(MlpWithInput([null, 4, int.MaxValue, int.MaxValue]));
        Assert.Equal([null, 4, int.MaxValue, int.MaxValue], model.Graph.Inputs[0].Shape!);
        Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model));
    }

    /// <summary>A Constant node whose outputs were dropped reached the importer, which binds a node by its first output
    /// (an ArgumentOutOfRangeException); every ONNX operator has an output, so the reader refuses such a node.</summary>
    [Fact]
    public void ANodeWithoutOutputsIsAFormatError()
    {
        byte[] bytes = Model(
            [w => w.String(3, "c").String(4, "Constant").Message(5, a => a.String(1, "value").Message(5, Tensor("t", [1], [1f])).Int(20, 4))],
            [], [Value("x", [null, 1])], [Value("y", [null, 1])]);
        var e = Assert.Throws<OnnxFormatException>(() => OnnxImporter.Import(bytes));
        Assert.Equal("ModelProto.graph.node.output", e.Field);
        Assert.Contains("node 'c' (Constant) has no outputs", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A tensor whose data lies in an external file escaped as a bare NotSupportedException; it is now the
    /// importer's refusal (an <see cref="OnnxImportException"/>, still a NotSupportedException), naming the tensor.</summary>
    [Fact]
    public void ExternalTensorDataIsAnImportError()
    {
        byte[] bytes = Model(
            [Node("Gemm", ["x", "w"], ["y"])],
            [w => w.PackedInts(1, [4, 2]).Int(2, 1).String(8, "w").Int(14, 1)],
            [Value("x", [null, 4])],
            [Value("y", [null, 2])]);
        var e = Assert.Throws<OnnxImportException>(() => OnnxModel.Read(bytes));
        Assert.Contains("tensor 'w' keeps its data in an external file", e.Message, StringComparison.Ordinal);
        Assert.Equal(OnnxFuzzCase.Outcome.Unreadable, OnnxFuzzCase.Check(bytes, "external data"));
    }

    /// <summary>Many tiny messages (a shape of empty dims, attributes of one-letter names): the costliest bytes to read.</summary>
    [Theory]
    [InlineData("dims")]
    [InlineData("attributes")]
    [InlineData("nodes")]
    public void TinyMessagesAllocateASmallMultipleOfTheirBytes(string what)
    {
        const int Count = 20_000;
        byte[] bytes = what switch
        {
            "dims" => Model([], [], [w => w.String(1, "x").Message(2, t => t.Message(1, tt => tt.Int(1, 1).Message(2, s =>
                {
                    for (int i = 0; i < Count; i++) s.Message(1, _ => { });
                })))], []),
            "attributes" => Model([w =>
                {
                    w.String(2, "o").String(4, "Relu");
                    for (int i = 0; i < Count; i++) w.Message(5, a => a.String(1, "a"));
                }], [], [], []),
            _ => Model([.. Enumerable.Range(0, Count).Select(_ => (Action<ProtoWriter>)(w => w.String(2, "o").String(4, "R")))], [], [], []),
        };
        long before = GC.GetAllocatedBytesForCurrentThread();
        OnnxModel.Read(bytes);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= OnnxFuzzCase.AllowedBytes(bytes.Length), $"{what}: {allocated} bytes allocated reading {bytes.Length}");
    }
}
