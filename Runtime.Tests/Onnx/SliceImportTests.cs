using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// Slice of computed values (opset 10's inputs and opset 1's attributes, negative starts and steps, INT64 min and max
/// as "to the end"), of a shape with the batch in it, GatherElements by constant indices in a graph imported as one
/// sample (a loss's pick by label, the labels from a Where of constants that stays int64), each against a plain
/// reference and through export and import again, and what the importer refuses with the reason.
/// </summary>
public sealed class SliceImportTests
{
    private const int Rows = 5;

    private static float[] Values(int n, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1))];
    }

    private static Action<ProtoWriter> Int64s(string name, params long[] values) => Int64Tensor(name, [values.Length], values);

    private static Action<ProtoWriter> Bools(string name, long[] dims, bool[] values) =>
        w => w.PackedInts(1, dims).Int(2, 9).Bytes(9, [.. values.Select(v => v ? (byte)1 : (byte)0)]).String(8, name);

    /// <summary>The batch run through the model, checked against the frozen model and the model exported and imported again.</summary>
    private static float[] Run(byte[] bytes, float[] x)
    {
        using Model model = OnnxImporter.Import(bytes).Model;
        var y = new float[Rows * model.OutputSize];
        model.Predict(x, y);
        using var frozen = InferenceModel.Freeze(model);
        var z = new float[y.Length];
        frozen.Predict(x, Rows, z);
        Assert.Equal(y, z);
        using Model again = OnnxImporter.Import(OnnxExporter.Export(model)).Model;
        again.Predict(x, z);
        Assert.Equal(y, z);
        return y;
    }

    private static float[] RunOneSample(byte[] bytes, float[] x)
    {
        OnnxImportResult imported = OnnxImporter.Import(bytes, batchMode: OnnxBatchMode.OneSample);
        using Model model = imported.Model;
        var y = new float[model.OutputSize];
        model.Predict(x, y);
        using var frozen = InferenceModel.Freeze(model);
        var z = new float[y.Length];
        frozen.Predict(x, 1, z);
        Assert.Equal(y, z);
        return y;
    }

    [Fact]
    public void SliceOfAComputedValueWalksItsWindow()
    {
        // Axis 1 of 4 from the last backwards by 2 to before the first (3, 1); axis 2 of 6 from 1 by 2 to the end (1, 3, 5).
        byte[] bytes = Model([Node("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"])],
            [Int64s("starts", -1, 1), Int64s("ends", long.MinValue, long.MaxValue), Int64s("axes", -2, 2), Int64s("steps", -2, 2)],
            [Value("x", [null, 4, 6])], [Value("y", [null, 2, 3])]);
        float[] x = Values(Rows * 24, 1);
        float[] y = Run(bytes, x);
        float[] expected = [.. Enumerable.Range(0, Rows * 6).Select(i => x[(i / 6 * 24) + ((3 - (2 * (i % 6 / 3))) * 6) + 1 + (2 * (i % 3))])];
        Assert.Equal(expected, y);
        using Model model = OnnxImporter.Import(bytes).Model;
        Assert.IsType<SliceOp>(Assert.Single(model.Graph.Nodes).Op);
    }

    [Fact]
    public void SliceBeforeOpsetTenReadsItsAttributes()
    {
        byte[] bytes = Model([Node("Slice", ["x"], ["y"], IntsAttribute("starts", 1), IntsAttribute("ends", 1000), IntsAttribute("axes", 1))], [],
            [Value("x", [null, 5])], [Value("y", [null, 4])], opset: 9);
        float[] x = Values(Rows * 5, 2);
        Assert.Equal([.. Enumerable.Range(0, Rows * 4).Select(i => x[(i / 4 * 5) + 1 + (i % 4)])], Run(bytes, x));
    }

    [Fact]
    public void TheWholeBatchAxisSlicesToNothingNew()
    {
        byte[] bytes = Model([Node("Slice", ["x", "starts", "ends"], ["s"]), Node("Relu", ["s"], ["y"])],
            [Int64s("starts", 0, 0), Int64s("ends", long.MaxValue, 3)], [Value("x", [null, 3])], [Value("y", [null, 3])]);
        float[] x = Values(Rows * 3, 3);
        Assert.Equal([.. x.Select(v => Math.Max(v, 0))], Run(bytes, x));
        using Model model = OnnxImporter.Import(bytes).Model;
        Assert.Single(model.Graph.Nodes);
    }

    /// <summary>LayerNormalization's function body: the shape's prefix up to the axis, joined with ones, shapes the mean.</summary>
    [Fact]
    public void SliceOfAShapeKeepsTheBatchEntry()
    {
        byte[] bytes = Model(
        [
            Node("Shape", ["x"], ["shape"]), Node("Slice", ["shape", "zero", "two"], ["prefix"]), Node("Concat", ["prefix", "one"], ["reduced"], IntAttribute("axis", 0)),
            Node("ReduceMean", ["x"], ["m"], IntsAttribute("axes", 2), IntAttribute("keepdims", 0)), Node("Reshape", ["m", "reduced"], ["y"]),
        ], [Int64s("zero", 0), Int64s("two", 2), Int64s("one", 1)], [Value("x", [null, 2, 3])], [Value("y", [null, 2, 1])]);
        float[] x = Values(Rows * 6, 4);
        float[] y = Run(bytes, x);
        Assert.Equal(Rows * 2, y.Length);
        for (int i = 0; i < y.Length; i++) Assert.Equal((x[3 * i] + x[(3 * i) + 1] + x[(3 * i) + 2]) / 3, y[i], 1e-6f);
    }

    /// <summary>NegativeLogLikelihoodLoss's function body with reduction none: the labels pick each position's class, ignore_index zeroed.</summary>
    [Fact]
    public void GatherElementsPicksByConstantLabelsAsOneSample()
    {
        long[] labels = [2, -1, 0, 1];
        bool[] ignored = [false, false, true, false];
        byte[] bytes = Model(
        [
            Node("Where", ["ignored", "zero", "labels"], ["picks"]), Node("GatherElements", ["x", "picks"], ["g"], IntAttribute("axis", 1)),
            Node("Neg", ["g"], ["loss"]), Node("Slice", ["loss", "zero1", "one1", "one1"], ["y"]),
        ], [Int64Tensor("labels", [4, 1], labels), Bools("ignored", [4, 1], ignored), Int64s("zero", 0), Int64s("zero1", 0), Int64s("one1", 1)],
            [Value("x", [4, 3])], [Value("y", [4, 1])]);
        float[] x = Values(12, 5);
        float[] y = RunOneSample(bytes, x);
        Assert.Equal([-x[2], -x[5], -x[6], -x[10]], y);
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(Model(
            [Node("GatherElements", ["x", "picks"], ["y"], IntAttribute("axis", 1))], [Int64Tensor("picks", [1, 1], [0])], [Value("x", [null, 3])], [Value("y", [null, 1])])));
        Assert.Contains("the indices 'picks' [1, 1] are a constant over the whole tensor, the batch N of [N, 3] included; the importer maps GatherElements in a graph without a batch axis (imported as one sample)", e.Message);
    }

    /// <summary>Clip's function body on a vector: Less and Where as one sample, the bound a constant.</summary>
    [Fact]
    public void ComparisonsAndWhereImportAsOneSample()
    {
        byte[] bytes = Model([Node("Less", ["x", "lo"], ["m"]), Node("Where", ["m", "lo", "x"], ["y"])], [Tensor("lo", [], [0.25f])],
            [Value("x", [6])], [Value("y", [6])]);
        float[] x = Values(6, 6);
        Assert.Equal([.. x.Select(v => v < 0.25f ? 0.25f : v)], RunOneSample(bytes, x));
        Refused(Model([Node("Greater", ["x", "c"], ["m"]), Node("Where", ["m", "x", "x"], ["y"])], [Tensor("c", [1, 6], new float[6])], [Value("x", [6])], [Value("y", [1, 6])]),
            "Greater", "constant 'c' of shape [1, 6] has more axes than the computed input's 1; imported as one sample, the result would lose its leading axes.", oneSample: true);
    }

    /// <summary>A weighted loss's reduction as one sample: ReduceSum over a computed value's axes, and of a constant (the picked weights), which folds.</summary>
    [Fact]
    public void ReductionsImportAsOneSampleAndFoldOverConstants()
    {
        float[] w = [0.5f, 2, 1.5f, 4];
        byte[] bytes = Model(
        [
            Node("ReduceSum", ["x", "one"], ["s"], IntAttribute("keepdims", 0)), Node("ReduceSum", ["w"], ["t"], IntAttribute("keepdims", 0)),
            Node("Div", ["s", "t"], ["y"]),
        ], [Tensor("w", [4], w), Int64s("one", 1)], [Value("x", [4, 3])], [Value("y", [4])]);
        float[] x = Values(12, 7);
        float[] y = RunOneSample(bytes, x);
        Assert.Equal([.. Enumerable.Range(0, 4).Select(r => (x[3 * r] + x[(3 * r) + 1] + x[(3 * r) + 2]) / 8f)], y);
        byte[] logSoftmax = Model([Node("LogSoftmax", ["x"], ["y"], IntAttribute("axis", 0))], [], [Value("x", [4, 3])], [Value("y", [4, 3])]);
        float[] z = RunOneSample(logSoftmax, x);
        for (int c = 0; c < 3; c++)
        {
            double sum = Enumerable.Range(0, 4).Sum(r => Math.Exp(x[(3 * r) + c]));
            for (int r = 0; r < 4; r++) Assert.Equal(x[(3 * r) + c] - Math.Log(sum), z[(3 * r) + c], 1e-5);
        }
    }

    /// <summary>GatherElements exports as each sample's row, a Gather of the flat elements it picks, and the output's shape.</summary>
    [Fact]
    public void GatherElementsExportsAsAGatherOfEachSampleRow()
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(2, 3));
        g.Output(g.Single(new GatherElementsOp(1, [2, 2], [2, 0, 1, 1]), x));
        using Model model = g.Build(seed: 1, maxBatch: Rows);
        OnnxGraph graph = OnnxModel.Read(OnnxExporter.Export(model)).Graph;
        Assert.Equal(["Reshape", "Gather", "Reshape"], graph.Nodes.Select(n => n.OpType));
        OnnxTensor picks = Assert.IsType<OnnxTensor>(graph.Initializer(graph.Nodes[1].Inputs[1]));
        Assert.Equal([2L, 0, 4, 4], picks.Int64s.ToArray());
        Assert.Equal(1, graph.Nodes[1].Int("axis", 0));
    }

    [Fact]
    public void WhatTheImporterCannotMapIsRefusedWithTheReason()
    {
        Refused(Model([Node("Slice", ["x", "s", "e", "a"], ["y"])], [Int64s("s", 0), Int64s("e", 2), Int64s("a", 0)], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Slice", "it slices axis 0 of [N, 3], the batch N (start 0, end 2, step 1); the importer slices sample axes only");
        Refused(Model([Node("Slice", ["x", "s", "e", "a"], ["y"])], [Int64s("s", 2), Int64s("e", 1), Int64s("a", 1)], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Slice", "the slice of axis 1 of [N, 3] (start 2, end 1, step 1) is empty; the runtime's tensors have at least one element on every axis.");
        Refused(Model([Node("Slice", ["x", "s", "e", "a", "t"], ["y"])], [Int64s("s", 0), Int64s("e", 2), Int64s("a", 1), Int64s("t", 0)], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Slice", "the step of axis 1 is 0; a step moves by at least one element.");
        Refused(Model([Node("Slice", ["x", "s", "e", "a"], ["y"])], [Int64s("s", 0), Int64s("e", 2), Int64s("a", 2)], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Slice", "axis 2 is outside the 2 dimensions of the input.");
        Refused(Model([Node("Relu", ["x"], ["r"]), Node("Slice", ["x", "s", "r"], ["y"])], [Int64s("s", 0)], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Slice", "the ends 'r' are computed; the importer maps Slice with ends known at import");
        Refused(Model([Node("Slice", ["x"], ["y"], IntsAttribute("ends", 1))], [], [Value("x", [null, 3])], [Value("y", [null, 1])], opset: 9),
            "Slice", "the attribute 'starts' is missing; Slice before opset 10 takes starts and ends as attributes.");
        Refused(Model([Node("GatherElements", ["x", "p"], ["y"], IntAttribute("axis", 1))], [Int64Tensor("p", [2, 1], [0, 3])], [Value("x", [2, 3])], [Value("y", [2, 1])]),
            "GatherElements", "index 3 (element 1 of the indices 'p') is outside axis 1 of the data [2, 3]; expected -3 to 2.", oneSample: true);
        Refused(Model([Node("GatherElements", ["x", "p"], ["y"])], [Int64Tensor("p", [3], [0, 1, 0])], [Value("x", [2, 3])], [Value("y", [3])]),
            "GatherElements", "the indices 'p' have shape [3]; GatherElements takes indices of the data's rank ([2, 3]).", oneSample: true);
        Refused(Model([Node("Relu", ["x"], ["r"]), Node("GatherElements", ["x", "r"], ["y"])], [], [Value("x", [2, 3])], [Value("y", [2, 3])]),
            "GatherElements", "the indices 'r' are computed; the importer maps GatherElements with constant indices.", oneSample: true);
    }

    private static void Refused(byte[] bytes, string op, string detail, bool oneSample = false)
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes, batchMode: oneSample ? OnnxBatchMode.OneSample : OnnxBatchMode.FirstAxis));
        Assert.Equal(op, e.OpType);
        Assert.Contains(detail, e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
    }
}
