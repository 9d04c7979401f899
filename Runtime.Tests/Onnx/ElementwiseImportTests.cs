using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// The elementwise mappings on graphs as PyTorch exports them (GELU as Div, Erf, Add, Mul; SiLU as Sigmoid·Mul;
/// attention's scale and additive mask), their opset differences (Clip's bounds), Pow by constants, constant
/// folding, n-ary Sum, Mean, Max and Min, and the broadcasts the importer refuses.
/// </summary>
public sealed class ElementwiseImportTests
{
    private const int Rows = 7;

    private static float[] Values(int n, int seed, float scale = 3)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale)];
    }

    private static Action<ProtoWriter> Scalar(string name, float value) => Tensor(name, [], [value]);

    /// <summary>Imports and runs the model on <see cref="Rows"/> rows, checking the frozen model gives the same bits.</summary>
    private static float[] Run(byte[] bytes, float[] x, out Model model)
    {
        model = OnnxImporter.Import(bytes).Model;
        var y = new float[Rows * model.OutputSize];
        model.Predict(x, y);
        using var frozen = InferenceModel.Freeze(model);
        var z = new float[y.Length];
        frozen.Predict(x, Rows, z);
        Assert.Equal(y, z);
        return y;
    }

    /// <summary>torch.nn.GELU() exported: x/√2 → Erf → +1 → x· → ·0.5, with the constants as initializers and as Constant nodes.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PyTorchsGeluExportMatchesOurGelu(bool constantNodes)
    {
        Action<ProtoWriter>[] constants = [Scalar("sqrt2", 1.4142135f), Scalar("one", 1), Scalar("half", 0.5f)];
        Action<ProtoWriter>[] nodes =
        [
            Node("Div", ["x", "sqrt2"], ["d"]), Node("Erf", ["d"], ["e"]), Node("Add", ["e", "one"], ["p"]),
            Node("Mul", ["x", "p"], ["m"]), Node("Mul", ["m", "half"], ["y"]),
        ];
        if (constantNodes)
            nodes = [.. new[] { ("sqrt2", 1.4142135f), ("one", 1f), ("half", 0.5f) }.Select(c => Node("Constant", [], [c.Item1], w => w.String(1, "value").Message(5, Scalar(c.Item1, c.Item2)).Int(20, 4))), .. nodes];
        byte[] bytes = Model(nodes, constantNodes ? [] : constants, [Value("x", [null, 6])], [Value("y", [null, 6])]);
        float[] x = Values(Rows * 6, 1);
        float[] y = Run(bytes, x, out Model model);
        using (model)
        {
            Assert.Equal(["binary", "unary", "binary", "binary", "binary"], model.Ops.Select(o => o.Kind));
            Assert.Equal(0, model.ParameterCount);
        }
        var gelu = new float[x.Length];
        Activations.Forward(ActivationKind.GeluErf, x, gelu);
        OnnxAssert.Close(gelu, y, "GELU from its export", rtol: 1e-5, atol: 1e-6);
    }

    /// <summary>torch.nn.SiLU() exported: x·Sigmoid(x), two computed values of one shape.</summary>
    [Fact]
    public void PyTorchsSiluExportMatchesOurSilu()
    {
        byte[] bytes = Model([Node("Sigmoid", ["x"], ["s"]), Node("Mul", ["x", "s"], ["y"])], [], [Value("x", [null, 2, 5])], [Value("y", [null, 2, 5])]);
        float[] x = Values(Rows * 10, 2);
        float[] y = Run(bytes, x, out Model model);
        model.Dispose();
        var silu = new float[x.Length];
        Activations.Forward(ActivationKind.Silu, x, silu);
        OnnxAssert.Close(silu, y, "SiLU from its export", rtol: 1e-5, atol: 1e-7);
    }

    /// <summary>Attention's scores [N, heads, T, T] divided by √d and a causal mask [1, 1, T, T] added: the mask's batch axis is 1.</summary>
    [Fact]
    public void AttentionScalingAndMaskingBroadcastTheMaskOverBatchAndHeads()
    {
        const int heads = 2, t = 3;
        float[] mask = [0, -1e9f, -1e9f, 0, 0, -1e9f, 0, 0, 0];
        byte[] bytes = Model([Node("Div", ["x", "scale"], ["s"]), Node("Add", ["s", "mask"], ["y"])],
            [Scalar("scale", 8), Tensor("mask", [1, 1, t, t], mask)], [Value("x", [null, heads, t, t])], [Value("y", [null, heads, t, t])]);
        float[] x = Values(Rows * heads * t * t, 3);
        float[] y = Run(bytes, x, out Model model);
        using (model)
        {
            var ops = model.Ops.OfType<BinaryOp>().ToArray();
            Assert.Equal((TensorShape.Scalar, new TensorShape(1, t, t)), (ops[0].ConstantShape!.Value, ops[1].ConstantShape!.Value));
        }
        for (int i = 0; i < x.Length; i++) Assert.Equal(x[i] / 8 + mask[i % (t * t)], y[i]);
    }

    [Fact]
    public void ClipTakesAttributesBeforeOpset11AndConstantInputsFrom11()
    {
        float[] x = Values(Rows * 4, 4);
        byte[] v10 = Model([Node("Clip", ["x"], ["y"], FloatAttribute("min", -1), FloatAttribute("max", 0.5f))], [], [Value("x", [null, 4])], [Value("y", [null, 4])], opset: 10);
        byte[] v13 = Model([Node("Clip", ["x", "lo", "hi"], ["y"])], [Scalar("lo", -1), Scalar("hi", 0.5f)], [Value("x", [null, 4])], [Value("y", [null, 4])]);
        byte[] onlyMax = Model([Node("Clip", ["x", "", "hi"], ["y"])], [Scalar("hi", 0.5f)], [Value("x", [null, 4])], [Value("y", [null, 4])]);
        float[] expected = [.. x.Select(v => Math.Clamp(v, -1, 0.5f))];
        Assert.Equal(expected, Run(v10, x, out Model m10));
        Assert.Equal(expected, Run(v13, x, out Model m13));
        Assert.Equal(x.Select(v => MathF.Min(v, 0.5f)), Run(onlyMax, x, out Model mMax));
        m10.Dispose();
        m13.Dispose();
        mMax.Dispose();
        AssertFails(Model([Node("Relu", ["x"], ["r"]), Node("Clip", ["x", "r"], ["y"])], [], [Value("x", [null, 4])], [Value("y", [null, 4])]),
            "Clip", "min 'r' is computed; the importer maps Clip with constant bounds.");
        AssertFails(Model([Node("Clip", ["x", "lo"], ["y"])], [Tensor("lo", [2], [0, 1])], [Value("x", [null, 4])], [Value("y", [null, 4])]),
            "Clip", "min 'lo' has shape [2]; a bound is one value.");
        AssertFails(Model([Node("Clip", ["x", "lo"], ["y"])], [Scalar("lo", 0)], [Value("x", [null, 4])], [Value("y", [null, 4])], opset: 10),
            "Clip", "2 inputs; before opset 11 Clip takes one, its bounds are attributes.");
    }

    [Fact]
    public void PowByAConstantTwoIsAProductByOneTheValueAndOtherwiseAPower()
    {
        float[] x = [.. Values(Rows * 3, 5).Select(MathF.Abs)];
        byte[] square = Model([Node("Pow", ["x", "e"], ["y"])], [Scalar("e", 2)], [Value("x", [null, 3])], [Value("y", [null, 3])]);
        Assert.Equal(x.Select(v => v * v), Run(square, x, out Model m));
        Assert.Equal("Binary(mul)", Assert.Single(m.Ops).ToString());
        m.Dispose();
        byte[] integer = Model([Node("Pow", ["x", "e"], ["y"])], [Int32Tensor("e", [], [3])], [Value("x", [null, 3])], [Value("y", [null, 3])]);
        Assert.Equal(x.Select(v => MathF.Pow(v, 3)), Run(integer, x, out m));
        Assert.Equal("Binary(pow, x, constant [])", Assert.Single(m.Ops).ToString());
        m.Dispose();
        byte[] identity = Model([Node("Pow", ["x", "e"], ["p"]), Node("Relu", ["p"], ["y"])], [Scalar("e", 1)], [Value("x", [null, 3])], [Value("y", [null, 3])]);
        Assert.Equal(x, Run(identity, x, out m));
        Assert.Equal(["activation"], m.Ops.Select(o => o.Kind));
        m.Dispose();
        byte[] baseConstant = Model([Node("Pow", ["b", "x"], ["y"])], [Tensor("b", [3], [2, 0.5f, 3])], [Value("x", [null, 3])], [Value("y", [null, 3])]);
        float[] b = [2, 0.5f, 3];
        Assert.Equal(x.Select((v, i) => MathF.Pow(b[i % 3], v)), Run(baseConstant, x, out m));
        Assert.False(Assert.IsType<BinaryOp>(Assert.Single(m.Ops)).Trainable);
        m.Dispose();
    }

    /// <summary>Constants alone fold at import: (a − b)·c of constants becomes one constant multiplying x.</summary>
    [Fact]
    public void ConstantsAloneFoldAtImport()
    {
        byte[] bytes = Model([Node("Sub", ["a", "b"], ["d"]), Node("Sqrt", ["d"], ["r"]), Node("Mul", ["x", "r"], ["y"])],
            [Tensor("a", [1, 3], [5, 10, 17]), Scalar("b", 1)], [Value("x", [null, 2, 3])], [Value("y", [null, 2, 3])]);
        float[] x = Values(Rows * 6, 6);
        float[] y = Run(bytes, x, out Model model);
        using (model)
        {
            var op = Assert.IsType<BinaryOp>(Assert.Single(model.Ops));
            Assert.Equal([2, 3, 4], op.Constant.ToArray());
            Assert.True(op.Trainable);
        }
        Assert.Equal(x.Select((v, i) => v * (2 + i % 3)), y);
    }

    /// <summary>Two computed values broadcast against each other: [N, 3, 1] · [N, 1, 4] is [N, 3, 4] (two MatMuls reshaped).</summary>
    [Fact]
    public void TwoComputedValuesBroadcastAgainstEachOther()
    {
        float[] w1 = Values(4 * 3, 10, 1), w2 = Values(4 * 4, 11, 1);
        byte[] bytes = Model(
            [
                Node("MatMul", ["x", "w1"], ["m1"]), Node("Reshape", ["m1", "s1"], ["a"]),
                Node("MatMul", ["x", "w2"], ["m2"]), Node("Reshape", ["m2", "s2"], ["b"]),
                Node("Mul", ["a", "b"], ["y"]),
            ],
            [Tensor("w1", [4, 3], w1), Tensor("w2", [4, 4], w2), Int64Tensor("s1", [3], [0, 3, 1]), Int64Tensor("s2", [3], [0, 1, 4])],
            [Value("x", [null, 4])], [Value("y", [null, 3, 4])]);
        float[] x = Values(Rows * 4, 12, 1);
        float[] y = Run(bytes, x, out Model model);
        model.Dispose();
        for (int r = 0; r < Rows; r++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 4; j++)
                {
                    double a = 0, b = 0;
                    for (int k = 0; k < 4; k++)
                    {
                        a += x[r * 4 + k] * (double)w1[k * 3 + i];
                        b += x[r * 4 + k] * (double)w2[k * 4 + j];
                    }
                    Assert.True(Math.Abs(y[r * 12 + i * 4 + j] - a * b) <= 1e-5 * (1 + Math.Abs(a * b)), $"row {r} [{i}, {j}]");
                }
    }

    [Fact]
    public void SumMeanMaxAndMinTakeAnyNumberOfInputs()
    {
        Action<ProtoWriter>[] inits = [Tensor("c", [3], [1, -2, 0.5f]), Scalar("k", 0.25f)];
        float[] x = Values(Rows * 3, 7);
        float[] c = [1, -2, 0.5f];
        byte[] sum = Model([Node("Relu", ["x"], ["r"]), Node("Sum", ["x", "c", "r", "k"], ["y"])], inits, [Value("x", [null, 3])], [Value("y", [null, 3])]);
        float[] y = Run(sum, x, out Model m);
        Assert.Equal(["activation", "binary", "binary"], m.Ops.Select(o => o.Kind));
        m.Dispose();
        for (int i = 0; i < x.Length; i++) Assert.Equal(x[i] + MathF.Max(x[i], 0) + (c[i % 3] + 0.25f), y[i], 6);
        byte[] mean = Model([Node("Relu", ["x"], ["r"]), Node("Mean", ["x", "c", "r"], ["y"])], inits, [Value("x", [null, 3])], [Value("y", [null, 3])]);
        y = Run(mean, x, out m);
        m.Dispose();
        for (int i = 0; i < x.Length; i++) Assert.Equal((x[i] + MathF.Max(x[i], 0) + c[i % 3]) / 3, y[i], 6);
        byte[] max = Model([Node("Neg", ["x"], ["n"]), Node("Max", ["x", "n", "k"], ["y"])], inits, [Value("x", [null, 3])], [Value("y", [null, 3])]);
        Assert.Equal(x.Select(v => MathF.Max(MathF.Abs(v), 0.25f)), Run(max, x, out m));
        m.Dispose();
        byte[] min = Model([Node("Min", ["x"], ["m"]), Node("Abs", ["m"], ["y"])], inits, [Value("x", [null, 3])], [Value("y", [null, 3])]);
        Assert.Equal(x.Select(MathF.Abs), Run(min, x, out m));
        Assert.Equal(["unary"], m.Ops.Select(o => o.Kind));
        m.Dispose();
    }

    [Fact]
    public void BroadcastsThatWouldMoveTheBatchAreRefused()
    {
        AssertFails(Model([Node("Relu", ["x"], ["r"]), Node("Reshape", ["r", "s"], ["f"]), Node("Mul", ["x", "f"], ["y"])],
            [Int64Tensor("s", [2], [0, -1])], [Value("x", [null, 2, 3])], [Value("y", [null, 2, 3])]),
            "Mul", "the inputs have shapes [N, 2, 3] and [N, 6]; two computed values broadcast only with the same rank");
        AssertFails(Model([Node("Add", ["x", "c"], ["y"])], [Tensor("c", [2, 3], new float[6])], [Value("x", [null, 3])], [Value("y", [2, 3])]),
            "Add", "constant 'c' of shape [2, 3] does not broadcast against [N, 3] with the batch kept first");
        AssertFails(Model([Node("Div", ["x", "c"], ["y"])], [Tensor("c", [4], new float[4])], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Div", "the input [3] and the constant [4] differ on axis -1 (3 against 4)");
        AssertFails(Model([Node("Add", ["x"], ["y"])], [], [Value("x", [null, 3])], [Value("y", [null, 3])]), "Add", "Add with 1 inputs; expected 2.");
        AssertFails(Model([Node("Mul", ["x", "c"], ["y"])], [Tensor("c", [0, 3], [])], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Mul", "constant 'c' of shape [0, 3] has no values.");
        AssertFails(Model([Node("Add", ["a", "b"], ["c"]), Node("Mul", ["x", "c"], ["y"])], [Tensor("a", [10000, 1], new float[10000]), Tensor("b", [1, 10000], new float[10000])],
            [Value("x", [null, 3])], [Value("y", [null, 3])]), "Add", "would give 100000000 values; the importer folds at most 67108864.");
    }

    private static Action<ProtoWriter> Int64Tensor(string name, long[] dims, long[] values) => w => w.PackedInts(1, dims).Int(2, 7).PackedInts(7, values).String(8, name);

    private static void AssertFails(byte[] bytes, string op, string detail)
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Equal(op, e.OpType);
        Assert.Contains(detail, e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
    }
}
