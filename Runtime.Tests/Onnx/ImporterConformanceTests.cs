using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// The importer on ONNX's own node cases. Its Gemm mapping (alpha and beta folded into the Dense weights and bias,
/// transB transposed into our inputs × outputs layout): each case's B and C become initializers of a graph written
/// here, A is fed to the imported model, and the output must match the case's expected Y. Cases of one data input
/// import from the case's own model file, the first dimension taken as the batch; those with no op of ours are
/// refused with an import error.
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

    /// <summary>Single-input cases the importer maps as they are, on their own model files.</summary>
    public static TheoryData<string> DirectCases() =>
    [
        "test_relu", "test_sigmoid", "test_leakyrelu", "test_leakyrelu_default", "test_elu_default", "test_selu_default",
        "test_softsign", "test_hardswish", "test_gelu_tanh_2", "test_softmax_axis_2", "test_softmax_default_axis",
        "test_softmax_negative_axis", "test_softmax_example", "test_flatten_default_axis", "test_dropout_default",
        "test_softmax_axis_1", "test_logsoftmax_axis_1", "test_logsoftmax_example_1", "test_logsoftmax_large_number",
    ];

    [Theory]
    [MemberData(nameof(DirectCases))]
    public void ImportedCaseMatchesOnnx(string name)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxImportResult result = OnnxImporter.Import(c.Model);
        Assert.False(result.EndsWithSoftmax);
        using Model model = result.Model;
        var y = new float[c.Outputs[0].ElementCount];
        model.Predict(c.Inputs[0].Floats, y);
        OnnxAssert.Close(c.Outputs[0], y, $"{name} imported");
    }

    /// <summary>Cases with no op of ours (an axis over the batch or not the last, constants other than ours, two data
    /// inputs, a graph that computes nothing, an input without a batch): refused with an import error, never another
    /// exception.</summary>
    public static TheoryData<string> RefusedCases() =>
    [
        "test_flatten_axis0", "test_flatten_axis2", "test_flatten_negative_axis4", "test_softmax_axis_0",
        "test_selu_example",
        "test_reshape_negative_dim", "test_tanh_example",
    ];

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public void CaseWithoutAnOpOfOursIsRefused(string name)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(c.Model));
        Assert.StartsWith("ONNX ", e.Message);
    }
}
