using Simd.Runtime.Inference;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// ONNX's node cases of the elementwise ops through <see cref="OnnxImporter"/>: every graph input after the first
/// becomes an initializer holding the case's data (as in <see cref="ConstantInputs"/>), the first is fed to the
/// imported model and to that model frozen, and the output must match within 1e-5 relative. Each case runs as one
/// sample (a batch axis of 1 put before the first input and the output, which broadcasting leaves the rest of the
/// case unchanged by: rank-1 cases and constants as large as the input need this), and, where the first axis can
/// be the batch (rank 2 or more, no constant reaching that axis), also as given, the first axis the batch.
/// </summary>
[Trait("Category", "Conformance")]
public class ElementwiseImporterConformanceTests
{
    private static readonly string[] Cases =
    [
        "test_abs", "test_neg", "test_exp_example", "test_log", "test_sqrt_example",
        "test_clip_default_inbounds", "test_clip_default_max", "test_clip_default_min", "test_clip_example", "test_clip_inbounds",
        "test_clip_min_greater_than_max", "test_clip_outbounds",
        "test_add_bcast", "test_sub", "test_sub_bcast", "test_mul_bcast", "test_mul_example", "test_div_bcast", "test_div_example",
        "test_sum_example", "test_mean_example", "test_mean_two_inputs",
    ];

    public static TheoryData<string> CaseNames() => [.. Cases];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ImportedCaseMatchesOnnxAsOneSample(string name) => Check(ConformanceCase.Load(name), oneSample: true);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ImportedCaseMatchesOnnxWithItsFirstAxisTheBatch(string name)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        int rank = c.Inputs[0].Dims.Count;
        if (rank < 2 || c.Inputs.Skip(1).Any(t => t.Dims.Count >= rank && t.Dims[0] != 1)) return;
        Check(c, oneSample: false);
    }

    private static void Check(ConformanceCase c, bool oneSample)
    {
        string what = $"{c.Name} imported{(oneSample ? " as one sample" : "")}";
        using Model model = OnnxImporter.Import(Rewrite(c, oneSample)).Model;
        int batch = oneSample ? 1 : (int)c.Inputs[0].Dims[0];
        long[] sample = [.. model.Graph.Outputs[0].SampleShape.ToArray().Select(d => (long)d)];
        OnnxAssert.Shape(c.Outputs[0], oneSample ? sample : [batch, .. sample], what);
        var y = new float[c.Outputs[0].ElementCount];
        model.Predict(c.Inputs[0].Floats, y);
        OnnxAssert.Close(c.Outputs[0], y, what);
        using var frozen = InferenceModel.Freeze(model);
        var z = new float[y.Length];
        frozen.Predict(c.Inputs[0].Floats, batch, z);
        OnnxAssert.Close(c.Outputs[0], z, $"{what} and frozen");
    }

    /// <summary>The case's node with its further inputs as initializers; the first input and the output with a batch axis of 1 before them when <paramref name="oneSample"/>.</summary>
    private static byte[] Rewrite(ConformanceCase c, bool oneSample)
    {
        OnnxNode node = c.Node;
        OnnxGraph graph = c.Model.Graph;
        var initializers = new List<Action<ProtoWriter>>();
        for (int i = 1; i < c.Inputs.Length; i++)
            initializers.Add(Tensor(graph.Inputs[i].Name, [.. c.Inputs[i].Dims], c.Inputs[i].Floats.ToArray()));
        long?[] Shape(OnnxTensor t) => oneSample ? [null, .. t.Dims.Select(d => (long?)d)] : [null, .. t.Dims.Skip(1).Select(d => (long?)d)];
        return Model(
            [Node(node.OpType, [.. node.Inputs], [.. node.Outputs], [.. node.Attributes.Select(a => a.Type == OnnxAttributeType.Float ? FloatAttribute(a.Name, a.F) : IntAttribute(a.Name, a.I))])],
            [.. initializers],
            [Value(graph.Inputs[0].Name, Shape(c.Inputs[0]))],
            [Value(graph.Outputs[0].Name, Shape(c.Outputs[0]))],
            c.Model.Opset(""));
    }
}
