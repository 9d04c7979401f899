using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// The Reduce* ops imported as ReduceOp: axes as an attribute before opset 13 (ReduceSum) or 18 (the others) and
/// as a constant input from then on, keepdims, noop_with_empty_axes, and the refusals in the user's terms.
/// </summary>
public sealed class ReduceImportTests
{
    private const int Rows = 3;

    private static readonly (string OpType, ReduceFunction Function)[] OpTypes =
    [
        ("ReduceSum", ReduceFunction.Sum), ("ReduceMean", ReduceFunction.Mean), ("ReduceMax", ReduceFunction.Max),
        ("ReduceMin", ReduceFunction.Min), ("ReduceProd", ReduceFunction.Prod), ("ReduceL1", ReduceFunction.L1),
        ("ReduceL2", ReduceFunction.L2), ("ReduceLogSumExp", ReduceFunction.LogSumExp), ("ReduceSumSquare", ReduceFunction.SumSquare),
    ];

    public static TheoryData<string> EachOpType() => [.. OpTypes.Select(t => t.OpType)];

    private static Action<ProtoWriter> Axes(params long[] axes) => Int64Tensor("axes", [axes.Length], axes);

    /// <summary>x [N, 3, 4] through one node into y.</summary>
    private static byte[] OneNode(Action<ProtoWriter> node, long opset, long?[] output, params Action<ProtoWriter>[] initializers) =>
        Model([node], initializers, [Value("x", [null, 3, 4])], [Value("y", output)], opset: opset);

    private static float[] Input() => KernelTestData.Uniform(Rows * 12, 5, -2, 2);

    private static float[] Predict(byte[] bytes, out Model model)
    {
        model = OnnxImporter.Import(bytes).Model;
        var y = new float[Rows * model.OutputSize];
        model.Predict(Input(), y);
        return y;
    }

    /// <summary>The reference over [Rows, 3, 4] with the ONNX axes marked.</summary>
    private static double[] Expected(ReduceFunction f, params int[] onnxAxes)
    {
        bool[] reduced = [.. Enumerable.Range(0, 3).Select(a => onnxAxes.Contains(a))];
        return AxisReductionReference.Forward(f, Array.ConvertAll(Input(), v => (double)v), [Rows, 3, 4], reduced);
    }

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) KernelTestData.Check(actual[i], expected[i], 1e-5, 1e-5, () => $"output {i}");
    }

    [Theory]
    [MemberData(nameof(EachOpType))]
    public void EachOpTypeImportsWithAxesAsAttributeAndAsInput(string opType)
    {
        ReduceFunction f = OpTypes.Single(t => t.OpType == opType).Function;
        long since = f == ReduceFunction.Sum ? 13 : 18;
        // Before: the attribute, keepdims defaulting to 1.
        AssertClose(Expected(f, 2), Predict(OneNode(Node(opType, ["x"], ["y"], IntsAttribute("axes", 2)), since - 1, [null, 3, 1]), out Model before));
        using (before) Assert.Equal([$"Reduce({ReduceOp.FunctionName(f)}, axes [1], keepdims)"], before.Ops.Select(o => o.ToString()));
        // From then on: the input, here with negative axes and keepdims 0.
        AssertClose(Expected(f, 1, 2), Predict(OneNode(Node(opType, ["x", "axes"], ["y"], IntAttribute("keepdims", 0)), since, [null], Axes(-1, 1)), out Model after));
        using (after) Assert.Equal([$"Reduce({ReduceOp.FunctionName(f)}, axes [0, 1])"], after.Ops.Select(o => o.ToString()));
    }

    [Fact]
    public void NoopWithEmptyAxesAddsNoNode()
    {
        byte[] bytes = Model([Node("Relu", ["x"], ["r"]), Node("ReduceMax", ["r"], ["y"], IntAttribute("noop_with_empty_axes", 1))], [],
            [Value("x", [null, 3, 4])], [Value("y", [null, 3, 4])], opset: 18);
        using Model model = OnnxImporter.Import(bytes).Model;
        Assert.Equal([ActivationOp.Name], model.Ops.Select(o => o.Kind));
    }

    [Fact]
    public void ReducingTheBatchIsRefused()
    {
        AssertRefused(OneNode(Node("ReduceSum", ["x"], ["y"]), 13, [1, 1, 1]), "ReduceSum",
            "no axes means every axis of [N, 3, 4], the batch N's too; the importer maps reductions over the sample axes only (a reduction over the batch mixes samples): list the axes other than 0.");
        AssertRefused(OneNode(Node("ReduceMean", ["x"], ["y"], IntsAttribute("axes", 0, 2)), 17, [1, 3, 1]), "ReduceMean",
            "axes [0, 2] of [N, 3, 4] include the batch N (axis 0); the importer maps reductions over the sample axes only (a reduction over the batch mixes samples).");
        AssertRefused(OneNode(Node("ReduceMax", ["x", "axes"], ["y"]), 18, [1, 3, 4], Axes(-3)), "ReduceMax",
            "axes [-3] of [N, 3, 4] include the batch N (axis 0); the importer maps reductions over the sample axes only (a reduction over the batch mixes samples).");
    }

    [Fact]
    public void AxesInTheFormOfAnotherOpsetAreRefused()
    {
        AssertRefused(OneNode(Node("ReduceL2", ["x"], ["y"], IntsAttribute("axes", 1)), 18, [null, 1, 4]), "ReduceL2",
            "has an 'axes' attribute; from opset 18 on ReduceL2 takes its axes as input 1.");
        AssertRefused(OneNode(Node("ReduceSum", ["x", "axes"], ["y"]), 11, [null, 1, 4], Axes(1)), "ReduceSum",
            "has an axes input; before opset 13 ReduceSum takes its axes as the 'axes' attribute.");
        AssertRefused(OneNode(Node("ReduceProd", ["x", "axes"], ["y"]), 17, [null, 1, 4], Axes(1)), "ReduceProd",
            "has an axes input; before opset 18 ReduceProd takes its axes as the 'axes' attribute.");
    }

    [Fact]
    public void BadAxesAreRefused()
    {
        AssertRefused(OneNode(Node("ReduceSum", ["x", "axes"], ["y"]), 13, [null, 1, 4], Axes(1, -2)), "ReduceSum", "axis -2 is given twice in axes [1, -2].");
        AssertRefused(OneNode(Node("ReduceSum", ["x", "axes"], ["y"]), 13, [null, 1, 4], Axes(3)), "ReduceSum", "axis 3 is outside the 3 dimensions of the input.");
        byte[] computed = Model([Node("Relu", ["x"], ["r"]), Node("ReduceSum", ["x", "r"], ["y"])], [], [Value("x", [null, 3, 4])], [Value("y", [null, 1, 4])], opset: 13);
        AssertRefused(computed, "ReduceSum", "the axes 'r' must be a constant int64 vector.");
    }

    private static void AssertRefused(byte[] bytes, string opType, string detail)
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Equal(opType, e.OpType);
        Assert.EndsWith(detail, e.Message);
    }
}
