using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;
using LN = Simd.Runtime.Intrinsics.LayerNorm;

/// <summary>
/// The importer's LayerNormalization mapping on ONNX's node cases: Scale and B become initializers
/// (<see cref="ConstantInputs"/>), X is fed to the imported model and to that model frozen, and Y must match. The
/// imported op's scale, bias and epsilon also run through the kernel at every width, where the saved per-row mean
/// and rstd must match the cases' Mean and InvStdDev outputs. The cases over the batch axis are refused.
/// </summary>
[Trait("Category", "Conformance")]
public class LayerNormConformanceTests
{
    private static readonly string[] Cases =
    [
        "test_layer_normalization_2d_axis1", "test_layer_normalization_2d_axis_negative_1", "test_layer_normalization_3d_axis1_epsilon",
        "test_layer_normalization_3d_axis_negative_2_epsilon", "test_layer_normalization_4d_axis1", "test_layer_normalization_4d_axis3",
        "test_layer_normalization_4d_axis_negative_1", "test_layer_normalization_4d_axis_negative_3", "test_layer_normalization_default_axis",
    ];

    /// <summary>Axis 0, or a negative one reaching it: the batch dimension, with a Scale whose shape includes the batch.</summary>
    private static readonly string[] BatchAxisCases =
    [
        "test_layer_normalization_2d_axis0", "test_layer_normalization_2d_axis_negative_2", "test_layer_normalization_3d_axis0_epsilon",
        "test_layer_normalization_3d_axis_negative_3_epsilon", "test_layer_normalization_4d_axis0",
    ];

    public static TheoryData<string> SupportedCases() => [.. Cases];

    [Theory]
    [MemberData(nameof(SupportedCases))]
    public void ImportedCaseMatchesOnnx(string name)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        using Model model = OnnxImporter.Import(ConstantInputs.Model(c)).Model;
        Assert.IsType<LayerNormOp>(Assert.Single(model.Ops));
        OnnxAssert.Shape(c.Outputs[0], [c.Inputs[0].Dims[0], .. model.Graph.Outputs[0].SampleShape.ToArray().Select(d => (long)d)], name);
        int batch = (int)c.Inputs[0].Dims[0];
        var y = new float[c.Outputs[0].ElementCount];
        model.Predict(c.Inputs[0].Floats, y);
        OnnxAssert.Close(c.Outputs[0], y, $"{name} imported");

        using var frozen = InferenceModel.Freeze(model);
        var z = new float[y.Length];
        frozen.Predict(c.Inputs[0].Floats, batch, z);
        OnnxAssert.Close(c.Outputs[0], z, $"{name} imported and frozen");
    }

    public static TheoryData<string, SimdWidth> CaseWidths() => ConformanceKernels.CaseWidths(Cases);

    /// <summary>The imported op's parameters through the kernel at each width: Y, and the saved statistics as Mean and InvStdDev.</summary>
    [Theory]
    [MemberData(nameof(CaseWidths))]
    public void KernelMatchesOnnxWithItsStatisticsAtEveryWidth(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        using Model model = OnnxImporter.Import(ConstantInputs.Model(c)).Model;
        var op = Assert.IsType<LayerNormOp>(Assert.Single(model.Ops));
        int length = op.NormalizedShape.Length, rows = (int)(c.Inputs[0].ElementCount / length);
        var (y, mean, rstd) = (new float[c.Outputs[0].ElementCount], new float[rows], new float[rows]);
        LN.Forward(width, c.Inputs[0].Floats, rows, length, op.Scale, op.Bias, op.Epsilon, y, mean, rstd);
        OnnxAssert.Close(c.Outputs[0], y, $"{name} {width} Y");
        OnnxAssert.Close(c.Outputs[1], mean, $"{name} {width} Mean");
        OnnxAssert.Close(c.Outputs[2], rstd, $"{name} {width} InvStdDev");
    }

    public static TheoryData<string> RefusedCases() => [.. BatchAxisCases];

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public void CaseOverTheBatchAxisIsRefused(string name)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(ConstantInputs.Model(c)));
        Assert.Equal("LayerNormalization", e.OpType);
        Assert.Contains("normalizes over the batch dimension; only sample axes are supported", e.Message);
    }

    public static TheoryData<string, SimdWidth> BatchAxisCaseWidths() => ConformanceKernels.CaseWidths(BatchAxisCases);

    /// <summary>
    /// What the importer refuses, the kernel still computes: the whole tensor as one row, with the case's own Scale
    /// and B (shaped like X), against Y, Mean and InvStdDev.
    /// </summary>
    [Theory]
    [MemberData(nameof(BatchAxisCaseWidths))]
    public void KernelMatchesOnnxOverTheBatchAxisAtEveryWidth(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        int length = (int)c.Inputs[0].ElementCount;
        Assert.Equal(length, c.Inputs[1].ElementCount);
        float epsilon = c.Node.Float("epsilon", 1e-5f);
        var (y, mean, rstd) = (new float[length], new float[1], new float[1]);
        LN.Forward(width, c.Inputs[0].Floats, 1, length, c.Inputs[1].Floats, c.Inputs[2].Floats, epsilon, y, mean, rstd);
        OnnxAssert.Close(c.Outputs[0], y, $"{name} {width} Y");
        OnnxAssert.Close(c.Outputs[1], mean, $"{name} {width} Mean");
        OnnxAssert.Close(c.Outputs[2], rstd, $"{name} {width} InvStdDev");
    }

    /// <summary>Mean and InvStdDev as graph outputs, as ONNX's cases have them: the imported model has one output.</summary>
    [Fact]
    public void TheStatisticsAsGraphOutputsAreRefused()
    {
        byte[] bytes = Model([Node("LayerNormalization", ["x", "w"], ["y", "mean", "rstd"])], [Tensor("w", [4], [1, 1, 1, 1])],
            [Value("x", [null, 4])], [Value("y", [null, 4]), Value("mean", [null, 1]), Value("rstd", [null, 1])], 17);
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Contains("output 1 'mean' is used, but only the node's first output is imported.", e.Message);
    }

    private static byte[] Graph(long?[] input, string[] inputs, Action<ProtoWriter>[] initializers, Action<ProtoWriter>[]? attributes = null,
        string[]? outputs = null, long opset = 17, Action<ProtoWriter>[]? more = null) =>
        Model([Node("LayerNormalization", inputs, outputs ?? ["y"], attributes ?? []), .. more ?? []], initializers,
            [Value("x", input)], [Value(more is null ? "y" : "z", input)], opset);

    [Fact]
    public void AMeanThatANodeReadsIsRefusedNamingIt()
    {
        byte[] bytes = Graph([null, 4], ["x", "w"], [Tensor("w", [4], [1, 1, 1, 1])], outputs: ["y", "mean"],
            more: [Node("Add", ["y", "mean"], ["z"])]);
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Equal("LayerNormalization", e.OpType);
        Assert.Equal("LayerNormalization_y", e.Node);
        Assert.Contains("output 1 'mean' is used, but only the node's first output is imported.", e.Message);
    }

    [Fact]
    public void ScaleAndBiasBroadcastToTheNormalizedShape()
    {
        // x [N, 2, 3] over axis -2: normalized [2, 3]; a Scale of [1, 3] and a B of [2, 1], and no B at all.
        float[] sample = [1, 2, 4, -1, 0, 3];
        byte[] bytes = Graph([null, 2, 3], ["x", "w", "b"], [Tensor("w", [1, 3], [1, 2, 3]), Tensor("b", [2, 1], [10, 20])],
            [IntAttribute("axis", -2), FloatAttribute("epsilon", 0.5f)]);
        using Model model = OnnxImporter.Import(bytes).Model;
        var op = Assert.IsType<LayerNormOp>(Assert.Single(model.Ops));
        Assert.Equal((1, 0.5f, true, true), (op.Axis, op.Epsilon, op.HasScale, op.HasBias));
        Assert.Equal([1f, 2, 3, 1, 2, 3], op.Scale.ToArray());
        Assert.Equal([10f, 10, 10, 20, 20, 20], op.Bias.ToArray());
        var y = new float[6];
        model.Predict(sample, y);
        double mean = sample.Average(), rstd = 1 / Math.Sqrt(sample.Select(v => (v - mean) * (v - mean)).Average() + 0.5);
        double[] expected = [.. sample.Select((v, i) => (v - mean) * rstd * op.Scale[i] + op.Bias[i])];
        OnnxAssert.Close([.. expected.Select(v => (float)v)], y, "broadcast scale and bias");

        using Model noBias = OnnxImporter.Import(Graph([null, 4], ["x", "w"], [Tensor("w", [1, 1, 4], [1, 2, 3, 4])])).Model;
        var plain = Assert.IsType<LayerNormOp>(Assert.Single(noBias.Ops));
        Assert.False(plain.HasBias);
        Assert.Equal([1f, 2, 3, 4], plain.Scale.ToArray());
    }

    public static TheoryData<string, string> BadNodes() => new()
    {
        { "stash", "attribute 'stash_type' is 11; only 1 (statistics in float32) is supported." },
        { "epsilon", "epsilon 0 is not positive and finite." },
        { "scale", "Scale 'w' has shape [3], which does not broadcast to the normalized shape [4] (the axes of [N, 4] from axis -1 on)." },
        { "bias", "B 'b' has shape [2, 4], which does not broadcast to the normalized shape [4] (the axes of [N, 4] from axis -1 on)." },
        { "axis", "axis -3 is outside the 2 dimensions of the input." },
        { "no scale", "input 1 is missing." },
        { "opset", "the importer maps LayerNormalization in opsets 17 to 25." },
    };

    [Theory]
    [MemberData(nameof(BadNodes))]
    public void BadNodesAreRefusedNamingWhatDoesNotFit(string wrong, string detail)
    {
        Action<ProtoWriter>[] attributes = wrong switch
        {
            "stash" => [IntAttribute("stash_type", 11)],
            "epsilon" => [FloatAttribute("epsilon", 0)],
            "axis" => [IntAttribute("axis", -3)],
            _ => [],
        };
        Action<ProtoWriter> w = Tensor("w", wrong == "scale" ? [3] : [4], wrong == "scale" ? [1, 1, 1] : [1, 1, 1, 1]);
        Action<ProtoWriter> b = Tensor("b", wrong == "bias" ? [2, 4] : [4], new float[wrong == "bias" ? 8 : 4]);
        string[] inputs = wrong == "no scale" ? ["x"] : ["x", "w", "b"];
        byte[] bytes = Graph([null, 4], inputs, [w, b], attributes, opset: wrong == "opset" ? 16 : 17);
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Equal("LayerNormalization", e.OpType);
        Assert.EndsWith(detail, e.Message);
    }
}
