using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// Graphs the reader accepts but the importer cannot make a model of, found by the fuzzer: each is an
/// <see cref="OnnxImportException"/> saying what is wrong, never another exception.
/// </summary>
public sealed class OnnxImportEdgeTests
{
    private static void Refused(byte[] model, string detail)
    {
        var e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model));
        Assert.Contains(detail, e.Message);
    }

    [Fact]
    public void AShapeOpWithoutItsInputSaysWhichIsMissing()
    {
        Refused(Model([Node("ConstantOfShape", [], ["zeros"]), Node("Relu", ["x"], ["y"])], [], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "input 0 (the shape) is missing.");
        Refused(Model([Node("Shape", ["x"], ["s"]), Node("Gather", ["s"], ["n"]), Node("Relu", ["x"], ["y"])], [], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "input 1 (the indices) is missing.");
    }

    [Fact]
    public void ActivationsNoArenaHoldsAreAnImportError() =>
        // 2^28 floats a sample: 64 rows (the default batch) would need more than one arena holds.
        Refused(Model([Node("Relu", ["x"], ["y"])], [], [Value("x", [null, 1 << 14, 1 << 14])], [Value("y", [null, 1 << 14, 1 << 14])]),
            "the graph cannot be planned for batches of 64");

    [Fact]
    public void AnInputDeclaredTwiceOrReadByNoNodeIsRefused()
    {
        Refused(Model([Node("Relu", ["x"], ["y"])], [], [Value("x", [null, 2]), Value("x", [null, 2])], [Value("y", [null, 2])]),
            "the graph declares the input 'x' 2 times.");
        Refused(Model([Node("Relu", ["x"], ["y"])], [], [Value("x", [null, 2]), Value("unused", [null, 3])], [Value("y", [null, 2])]),
            "the input 'unused' is read by no node");
    }
}
