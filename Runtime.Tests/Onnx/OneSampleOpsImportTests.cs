using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// The ops checked on a graph imported as one sample beyond the elementwise ones: comparisons and Where, Celu,
/// PRelu with a slope shaped like the whole tensor, reductions and (Log)Softmax over axis 0, Split, Expand, Tile,
/// Pad and MatMul, each against values worked by hand; with a batch axis the ops over axis 0 are still refused,
/// saying why.
/// </summary>
public sealed class OneSampleOpsImportTests
{
    private static float[] Run(byte[] bytes, params float[][] inputs)
    {
        OnnxImportResult imported = OnnxImporter.Import(bytes, batchMode: OnnxBatchMode.OneSample);
        using Model model = imported.Model;
        var y = new float[model.OutputSize];
        model.Predict([.. inputs.Select(i => (ReadOnlyMemory<float>)i)], [y]);
        return y;
    }

    private static int[] OutputShape(byte[] bytes)
    {
        using Model model = OnnxImporter.Import(bytes, batchMode: OnnxBatchMode.OneSample).Model;
        return model.Graph.Outputs[0].SampleShape.ToArray();
    }

    private static void RefusedWithABatch(byte[] bytes, string detail)
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Contains(detail, e.Message);
    }

    [Fact]
    public void ComparisonsAndWhere()
    {
        // Clip's expanded form: Where(x < lo, lo, x), then Where(x > hi, hi, ·).
        byte[] clip = Model(
            [Node("Less", ["x", "lo"], ["below"]), Node("Where", ["below", "lo", "x"], ["a"]),
             Node("Greater", ["a", "hi"], ["above"]), Node("Where", ["above", "hi", "a"], ["y"])],
            [Tensor("lo", [], [-1]), Tensor("hi", [], [2])], [Value("x", [5])], [Value("y", [5])]);
        Assert.Equal([-1f, -0.5f, 0, 2, 2], Run(clip, [-3, -0.5f, 0, 2, 7]));
        byte[] logic = Model(
            [Node("GreaterOrEqual", ["x", "zero"], ["p"]), Node("LessOrEqual", ["x", "one"], ["q"]), Node("And", ["p", "q"], ["r"]),
             Node("Equal", ["x", "one"], ["s"]), Node("Xor", ["r", "s"], ["t"]), Node("Not", ["t"], ["u"]), Node("Or", ["u", "s"], ["y"])],
            [Tensor("zero", [], [0]), Tensor("one", [], [1])], [Value("x", [4])], [Value("y", [4])], opset: 13);
        // t = in [0, 1) ; y = not t or x == 1.
        Assert.Equal([1f, 0, 0, 1], Run(logic, [-1, 0, 0.5f, 1]));
    }

    [Fact]
    public void ReductionsOverAxisZeroReduceTheSample()
    {
        byte[] all = Model([Node("ReduceSum", ["x"], ["y"])], [], [Value("x", [2, 2])], [Value("y", [1, 1])]);
        Assert.Equal([10f], Run(all, [1, 2, 3, 4]));
        Assert.Equal([1, 1], OutputShape(all));
        RefusedWithABatch(all, "no axes means every axis of [N, 2], the batch N's too");
        byte[] first = Model([Node("ReduceMax", ["x", "axes"], ["y"], IntAttribute("keepdims", 0))], [Int64Tensor("axes", [1], [0])],
            [Value("x", [2, 3])], [Value("y", [3])], opset: 18);
        Assert.Equal([4f, 5, 6], Run(first, [1, 5, 3, 4, 2, 6]));
        RefusedWithABatch(first, "axes [0] of [N, 3] include the batch N (axis 0)");
    }

    [Fact]
    public void SoftmaxAndLogSoftmaxOverAxisZero()
    {
        float[] x = [1, 2, 3, 0, 4, -1];
        double[] expected = new double[6];
        for (int c = 0; c < 3; c++)
        {
            double lse = Math.Log(Math.Exp(x[c]) + Math.Exp(x[3 + c]));
            expected[c] = x[c] - lse;
            expected[3 + c] = x[3 + c] - lse;
        }
        byte[] log = Model([Node("LogSoftmax", ["x"], ["y"], IntAttribute("axis", 0))], [], [Value("x", [2, 3])], [Value("y", [2, 3])]);
        OnnxAssert.Close([.. expected.Select(v => (float)v)], Run(log, x), "log-softmax over axis 0", rtol: 1e-5, atol: 1e-6);
        RefusedWithABatch(log, "axis 0 of [N, 3] is the batch N's; LogSoftmax would normalise across samples");
        byte[] soft = Model([Node("Softmax", ["x"], ["s"], IntAttribute("axis", 0)), Node("Relu", ["s"], ["y"])], [], [Value("x", [2, 3])], [Value("y", [2, 3])]);
        OnnxAssert.Close([.. expected.Select(v => (float)Math.Exp(v))], Run(soft, x), "softmax over axis 0", rtol: 1e-5, atol: 1e-6);
    }

    [Fact]
    public void PReluWithASlopeShapedLikeTheWholeTensorAndCelu()
    {
        byte[] prelu = Model([Node("PRelu", ["x", "slope"], ["y"])], [Tensor("slope", [2, 2], [0.5f, 2, 3, 4])], [Value("x", [2, 2])], [Value("y", [2, 2])]);
        Assert.Equal([-0.5f, 1, -3, 2], Run(prelu, [-1, 1, -1, 2]));
        RefusedWithABatch(prelu, "the slope 'slope' has shape [2, 2], a slope per sample of the batch; the batch axis must be 1.");
        byte[] celu = Model([Node("Celu", ["x"], ["y"], FloatAttribute("alpha", 2))], [], [Value("x", [2])], [Value("y", [2])]);
        OnnxAssert.Close([2 * (MathF.Exp(-0.5f) - 1), 3], Run(celu, [-1, 3]), "celu", rtol: 1e-6, atol: 1e-7);
    }

    [Fact]
    public void SplitExpandTilePadAndMatMulOverEveryAxis()
    {
        byte[] split = Model([Node("Split", ["x", "sizes"], ["a", "b"], IntAttribute("axis", 0)), Node("Concat", ["b", "a"], ["y"], IntAttribute("axis", 0))],
            [Int64Tensor("sizes", [2], [1, 3])], [Value("x", [4])], [Value("y", [4])]);
        Assert.Equal([2f, 3, 4, 1], Run(split, [1, 2, 3, 4]));
        byte[] expand = Model([Node("Expand", ["x", "shape"], ["y"])], [Int64Tensor("shape", [2], [2, 3])], [Value("x", [3])], [Value("y", [2, 3])]);
        Assert.Equal([1f, 2, 3, 1, 2, 3], Run(expand, [1, 2, 3]));
        Assert.Equal([2, 3], OutputShape(expand));
        byte[] tile = Model([Node("Tile", ["x", "repeats"], ["y"])], [Int64Tensor("repeats", [1], [3])], [Value("x", [2])], [Value("y", [6])]);
        Assert.Equal([1f, 2, 1, 2, 1, 2], Run(tile, [1, 2]));
        byte[] pad = Model([Node("Pad", ["x", "pads", "value"], ["y"])], [Int64Tensor("pads", [2], [1, 2]), Tensor("value", [], [9])], [Value("x", [2])], [Value("y", [5])]);
        Assert.Equal([9f, 1, 2, 9, 9], Run(pad, [1, 2]));
        byte[] matmul = Model([Node("MatMul", ["x", "x"], ["y"])], [], [Value("x", [2, 2])], [Value("y", [2, 2])]);
        Assert.Equal([7f, 10, 15, 22], Run(matmul, [1, 2, 3, 4]));
        byte[] dense = Model([Node("MatMul", ["x", "w"], ["y"])], [Tensor("w", [2, 1], [1, -1])], [Value("x", [3, 2])], [Value("y", [3, 1])]);
        Assert.Equal([-1f, -1, -1], Run(dense, [1, 2, 3, 4, 5, 6]));
    }
}
