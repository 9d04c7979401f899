using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// The importer's Gemm mapping (alpha and beta folded into the Dense weights and bias, transB transposed into our
/// inputs × outputs layout) checked on ONNX's own Gemm cases: each case's B and C become initializers of a graph
/// written here, A is fed to the imported model, and the output must match the case's expected Y.
/// </summary>
[Trait("Category", "Conformance")]
public class ImporterConformanceTests
{
    /// <summary>The Gemm cases a Dense layer can express: A not transposed, C absent or one row.</summary>
    public static TheoryData<string> Cases() =>
    [
        "test_gemm_alpha", "test_gemm_default_no_bias", "test_gemm_default_single_elem_vector_bias",
        "test_gemm_default_vector_bias", "test_gemm_default_zero_bias", "test_gemm_transposeB",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ImportedGemmMatchesOnnx(string name)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxNode node = c.Node;
        Assert.Equal(0, node.Int("transA", 0));
        var attributes = new List<Action<ProtoWriter>>();
        foreach (OnnxAttribute a in node.Attributes)
            attributes.Add(a.Type == OnnxAttributeType.Float ? FloatAttribute(a.Name, a.F) : IntAttribute(a.Name, a.I));
        OnnxTensor x = c.Inputs[0], b = c.Inputs[1];
        var inputs = new List<string> { "a", "b" };
        var initializers = new List<Action<ProtoWriter>> { Tensor("b", b.Dims.ToArray(), b.Floats.ToArray()) };
        if (node.HasInput(2))
        {
            inputs.Add("c");
            initializers.Add(Tensor("c", c.Inputs[2].Dims.ToArray(), c.Inputs[2].Floats.ToArray()));
        }
        byte[] bytes = Model(
            [Node("Gemm", inputs.ToArray(), ["y"], attributes.ToArray())],
            initializers.ToArray(),
            [Value("a", [null, x.Dims[1]])],
            [Value("y", [null, c.Outputs[0].Dims[1]])]);

        using Model model = OnnxImporter.Import(bytes).Model;
        var y = new float[c.Outputs[0].ElementCount];
        model.Predict(x.Floats, y);
        OnnxAssert.Close(c.Outputs[0], y, $"{name} imported");
    }
}
