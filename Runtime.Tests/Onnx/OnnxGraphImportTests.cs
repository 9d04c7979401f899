using System.Buffers.Binary;
using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// Graphs that are not one chain: residual joins, branches joined by Concat, a Softmax inside the network and
/// Reshape. Each imported model must compute bitwise what the same graph built with <see cref="GraphBuilder"/>
/// and the same weights computes, trainable and frozen.
/// </summary>
public class OnnxGraphImportTests
{
    private const int Rows = 5;

    private static float[] Values(int n, int seed, float scale = 1)
    {
        var random = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(random.NextDouble() * 2 - 1) * scale;
        return v;
    }

    /// <summary>[rows × columns] stored row-major, transposed.</summary>
    private static float[] Transpose(float[] m, int rows, int columns)
    {
        var t = new float[m.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) t[c * rows + r] = m[r * columns + c];
        return t;
    }

    /// <summary>Both models, trainable and frozen, give bitwise the same outputs on the same rows.</summary>
    private static float[] AssertSameOutputs(Model imported, Model built, int inputs)
    {
        Assert.Equal(built.Ops.Select(o => o.ToString()), imported.Ops.Select(o => o.ToString()));
        float[] x = Values(Rows * inputs, 99, 2);
        var expected = new float[Rows * built.OutputSize];
        var actual = new float[Rows * imported.OutputSize];
        built.Predict(x, expected);
        imported.Predict(x, actual);
        Assert.Equal(expected, actual);
        using InferenceModel frozenBuilt = InferenceModel.Freeze(built), frozenImported = InferenceModel.Freeze(imported);
        var frozenExpected = new float[expected.Length];
        var frozenActual = new float[actual.Length];
        frozenBuilt.Predict(x, Rows, frozenExpected);
        frozenImported.Predict(x, Rows, frozenActual);
        Assert.Equal(frozenExpected, frozenActual);
        return actual;
    }

    /// <summary>Gemm (transB 1) → Relu → Gemm → Add(x, ·): the block's input joins its output.</summary>
    [Fact]
    public void ResidualMlpMatchesTheBuiltGraph()
    {
        float[] w1 = Values(8 * 4, 1), b1 = Values(8, 2), w2 = Values(8 * 4, 3), b2 = Values(4, 4);
        byte[] bytes = Model(
            [
                Node("Gemm", ["x", "w1", "b1"], ["h1"], IntAttribute("transB", 1)),
                Node("Relu", ["h1"], ["a1"]),
                Node("Gemm", ["a1", "w2", "b2"], ["h2"]),
                Node("Add", ["x", "h2"], ["y"]),
            ],
            [Tensor("w1", [8, 4], w1), Tensor("b1", [8], b1), Tensor("w2", [8, 4], w2), Tensor("b2", [4], b2)],
            [Value("x", [null, 4])],
            [Value("y", [null, 4])]);

        OnnxImportResult result = OnnxImporter.Import(bytes);
        Assert.False(result.EndsWithSoftmax);
        using Model imported = result.Model;
        var g = new ReferenceGraph();
        Value x = g.G.Input(new TensorShape(4));
        Value h = g.G.Activation(g.Dense(x, 8, Transpose(w1, 8, 4), b1), ActivationKind.Relu);
        using Model built = g.Build(g.Add(x, g.Dense(h, 4, w2, b2)));
        float[] y = AssertSameOutputs(imported, built, 4);

        float[] input = Values(Rows * 4, 99, 2);
        for (int r = 0; r < Rows; r++)
        {
            var a = new double[8];
            for (int o = 0; o < 8; o++)
            {
                double s = b1[o];
                for (int i = 0; i < 4; i++) s += input[r * 4 + i] * (double)w1[o * 4 + i];
                a[o] = Math.Max(s, 0);
            }
            for (int o = 0; o < 4; o++)
            {
                double s = b2[o];
                for (int i = 0; i < 8; i++) s += a[i] * w2[i * 4 + o];
                Assert.True(Math.Abs(y[r * 4 + o] - (input[r * 4 + o] + s)) < 1e-5, $"row {r} output {o}");
            }
        }
    }

    /// <summary>Two Gemm paths from one input, joined by Concat over the features, then a Gemm classifier.</summary>
    [Fact]
    public void TwoBranchesJoinedByConcatMatchTheBuiltGraph()
    {
        float[] wa = Values(4 * 3, 5), ba = Values(3, 6), wb = Values(4 * 5, 7), bb = Values(5, 8), wc = Values(8 * 2, 9), bc = Values(2, 10);
        byte[] bytes = Model(
            [
                Node("Gemm", ["x", "wa", "ba"], ["ha"]),
                Node("Relu", ["ha"], ["ra"]),
                Node("Gemm", ["x", "wb", "bb"], ["hb"]),
                Node("Tanh", ["hb"], ["tb"]),
                Node("Concat", ["ra", "tb"], ["joined"], IntAttribute("axis", -1)),
                Node("Gemm", ["joined", "wc", "bc"], ["y"]),
            ],
            [Tensor("wa", [4, 3], wa), Tensor("ba", [3], ba), Tensor("wb", [4, 5], wb), Tensor("bb", [5], bb), Tensor("wc", [8, 2], wc), Tensor("bc", [2], bc)],
            [Value("x", [null, 4])],
            [Value("y", [null, 2])]);

        using Model imported = OnnxImporter.Import(bytes).Model;
        Assert.Equal(0, Assert.Single(imported.Ops.OfType<ConcatOp>()).Axis);
        var g = new ReferenceGraph();
        Value x = g.G.Input(new TensorShape(4));
        Value a = g.G.Activation(g.Dense(x, 3, wa, ba), ActivationKind.Relu);
        Value b = g.G.Activation(g.Dense(x, 5, wb, bb), ActivationKind.Tanh);
        using Model built = g.Build(g.Dense(g.G.Concat(0, a, b), 2, wc, bc));
        AssertSameOutputs(imported, built, 4);
    }

    /// <summary>A Softmax that something reads is a node of the model; only the graph's final Softmax is left out.</summary>
    [Fact]
    public void SoftmaxInsideTheGraphIsANode()
    {
        float[] w1 = Values(3 * 4, 11), w2 = Values(4 * 2, 12);
        byte[] bytes = Model(
            [
                Node("MatMul", ["x", "w1"], ["h"]),
                Node("Softmax", ["h"], ["p"]),
                Node("MatMul", ["p", "w2"], ["z"]),
                Node("Softmax", ["z"], ["y"], IntAttribute("axis", 1)),
            ],
            [Tensor("w1", [3, 4], w1), Tensor("w2", [4, 2], w2)],
            [Value("x", [null, 3])],
            [Value("y", [null, 2])]);

        OnnxImportResult result = OnnxImporter.Import(bytes);
        Assert.True(result.EndsWithSoftmax);
        using Model imported = result.Model;
        var g = new ReferenceGraph();
        Value x = g.G.Input(new TensorShape(3));
        Value p = g.G.Softmax(g.Dense(x, 4, w1, new float[4]));
        using Model built = g.Build(g.Dense(p, 2, w2, new float[2]));
        AssertSameOutputs(imported, built, 3);
    }

    /// <summary>MatMul → Add of a constant is one Dense; an Add of a constant elsewhere is a binary add holding it as a trainable constant.</summary>
    [Fact]
    public void AddOfAConstantJoinsTheDenseBeforeItOrBecomesABiasAdd()
    {
        float[] w = Values(3 * 3, 13), b = Values(3, 14), shift = Values(3, 15);
        byte[] bytes = Model(
            [
                Node("MatMul", ["x", "w"], ["m"]),
                Node("Add", ["m", "b"], ["z"]),
                Node("Sigmoid", ["z"], ["s"]),
                Node("Add", ["shift", "s"], ["y"]),
            ],
            [Tensor("w", [3, 3], w), Tensor("b", [1, 3], b), Tensor("shift", [3], shift)],
            [Value("x", [null, 3])],
            [Value("y", [null, 3])]);

        using Model imported = OnnxImporter.Import(bytes).Model;
        Assert.Equal(["dense", "activation", "binary"], imported.Ops.Select(o => o.Kind));
        var g = new ReferenceGraph();
        Value x = g.G.Input(new TensorShape(3));
        Value s = g.G.Activation(g.Dense(x, 3, w, b), ActivationKind.Sigmoid);
        using Model built = g.Build(g.AddBias(s, shift, constantFirst: true));
        AssertSameOutputs(imported, built, 3);
    }

    /// <summary>A MatMul whose output is also read elsewhere keeps its bias-free Dense: the Add is a node of its own.</summary>
    [Fact]
    public void AddAfterASharedMatMulDoesNotChangeTheOtherReader()
    {
        float[] w = Values(2 * 2, 16), b = Values(2, 17);
        byte[] bytes = Model(
            [
                Node("MatMul", ["x", "w"], ["m"]),
                Node("Add", ["m", "b"], ["z"]),
                Node("Add", ["z", "m"], ["y"]),
            ],
            [Tensor("w", [2, 2], w), Tensor("b", [2], b)],
            [Value("x", [null, 2])],
            [Value("y", [null, 2])]);

        using Model imported = OnnxImporter.Import(bytes).Model;
        Assert.Equal(["dense", "binary", "binary"], imported.Ops.Select(o => o.Kind));
        var g = new ReferenceGraph();
        Value x = g.G.Input(new TensorShape(2));
        Value m = g.Dense(x, 2, w, new float[2]);
        using Model built = g.Build(g.Add(g.AddBias(m, b), m));
        AssertSameOutputs(imported, built, 2);
    }

    /// <summary>[N, 2, 3] → Relu → Reshape [0, 3, 2] → Reshape [-1, 6] → Gemm; the batch entry 0 or -1 keeps the batch.</summary>
    [Fact]
    public void ReshapeWithAConstantShapeKeepsTheBatch()
    {
        float[] w = Values(6 * 2, 18);
        byte[] bytes = Model(
            [
                Node("Relu", ["x"], ["a"]),
                Node("Reshape", ["a", "s1"], ["r1"]),
                Node("Reshape", ["r1", "s2"], ["r2"]),
                Node("Gemm", ["r2", "w"], ["y"]),
            ],
            [Int64Tensor("s1", [0, 3, 2]), Int64Tensor("s2", [-1, 6]), Tensor("w", [6, 2], w)],
            [Value("x", [null, 2, 3])],
            [Value("y", [null, 2])]);

        using Model imported = OnnxImporter.Import(bytes).Model;
        var g = new ReferenceGraph();
        Value x = g.G.Input(new TensorShape(2, 3));
        Value a = g.G.Activation(x, ActivationKind.Relu);
        using Model built = g.Build(g.Dense(g.G.Reshape(g.G.Reshape(a, 3, 2), 6), 2, w, new float[2]));
        AssertSameOutputs(imported, built, 6);
    }

    /// <summary>[N, 1, 2, 3] → Flatten → Gemm, as an MNIST export starts: the frozen Flatten is a view of the caller's input.</summary>
    [Fact]
    public void AFlattenOfTheGraphInputFreezesAsAView()
    {
        float[] w = Values(6 * 2, 19);
        byte[] bytes = Model(
            [Node("Flatten", ["x"], ["f"]), Node("Gemm", ["f", "w"], ["y"])],
            [Tensor("w", [6, 2], w)],
            [Value("x", [null, 1, 2, 3])],
            [Value("y", [null, 2])]);

        using Model imported = OnnxImporter.Import(bytes).Model;
        var g = new ReferenceGraph();
        Value x = g.G.Input(new TensorShape(1, 2, 3));
        using Model built = g.Build(g.Dense(g.G.Flatten(x), 2, w, new float[2]));
        AssertSameOutputs(imported, built, 6);
    }

    [Fact]
    public void RefusesWhatTheGraphCannotExpress()
    {
        float[] eye = [1, 0, 0, 1];
        // Concat along the batch.
        AssertFails(Model([Node("Relu", ["x"], ["a"]), Node("Concat", ["a", "x"], ["y"], IntAttribute("axis", 0))], [],
            [Value("x", [null, 2])], [Value("y", [null, 2])]), "Concat", "batch");
        // Reshape that fixes the batch, or whose shape is computed.
        AssertFails(Model([Node("Reshape", ["x", "s"], ["y"])], [Int64Tensor("s", [4, 2])], [Value("x", [null, 2])], [Value("y", [4, 2])]),
            "Reshape", "fixes the batch at 4");
        AssertFails(Model([Node("Relu", ["x"], ["s"]), Node("Reshape", ["x", "s"], ["y"])], [], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "Reshape", "not an initializer");
        // Two computed values of different shapes.
        AssertFails(Model([Node("Gemm", ["x", "w"], ["h"]), Node("Add", ["h", "x"], ["y"])], [Tensor("w", [2, 3], new float[6])],
            [Value("x", [null, 2])], [Value("y", [null, 3])]), "Add", "the first input [3] and the second input [2] differ on axis -1 (3 against 2)");
        // Softmax across the batch.
        AssertFails(Model([Node("Softmax", ["x"], ["y"], IntAttribute("axis", 0))], [], [Value("x", [null, 2, 3])], [Value("y", [null, 2, 3])]),
            "Softmax", "is the batch N's");
        // Weights of another element type.
        AssertFails(Model([Node("MatMul", ["x", "w"], ["y"])], [Int64Tensor("w", [1, 0, 0, 1], [2, 2])], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "MatMul", "holds Int64; expected Float");
        // More inputs than the op defines.
        AssertFails(Model([Node("Relu", ["x", "x"], ["y"])], [], [Value("x", [null, 2])], [Value("y", [null, 2])]), "Relu", "2 inputs; Relu takes at most 1.");
        // An attribute of another type than the op defines.
        AssertFails(Model([Node("Gemm", ["x", "w"], ["y"], FloatAttribute("transB", 1))], [Tensor("w", [2, 2], eye)], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "Gemm", "(Gemm, domain ai.onnx, opset 13): attribute 'transB' is of type Float; Gemm defines it as Int.");
    }

    [Fact]
    public void UnsupportedDomainAndOpsetNameTheNodeOpDomainAndOpset()
    {
        byte[] domain = Model([w => { Node("Relu", ["x"], ["y"])(w); w.String(7, "com.example"); }], [], [Value("x", [null, 2])], [Value("y", [null, 2])]);
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(domain));
        Assert.Equal(("Relu_y", "Relu", "com.example"), (e.Node, e.OpType, e.Domain));
        Assert.Contains("'Relu_y' (Relu, domain com.example, no opset imported): the domain is not supported", e.Message);

        byte[] old = Model([Node("Relu", ["x"], ["y"])], [], [Value("x", [null, 2])], [Value("y", [null, 2])], opset: 6);
        e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(old));
        Assert.Equal(("ai.onnx", 6L), (e.Domain, e.Opset));
        Assert.Contains("(Relu, domain ai.onnx, opset 6): the importer maps Relu in opsets 7 to", e.Message);

        // Gelu joined the default domain in opset 20.
        byte[] gelu = Model([Node("Gelu", ["x"], ["y"])], [], [Value("x", [null, 2])], [Value("y", [null, 2])], opset: 13);
        Assert.Contains("opsets 20 to", Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(gelu)).Message);
    }

    [Fact]
    public void ImportsSeveralInputsAndOutputsAndRefusesGraphsWithoutFloatOnes()
    {
        // Two data inputs joined; two outputs of one input: the model takes and gives one buffer each, in order.
        using (var two = OnnxImporter.Import(Model([Node("Add", ["a", "b"], ["y"])], [], [Value("a", [null, 2]), Value("b", [null, 2])], [Value("y", [null, 2])])).Model)
        {
            var y = new float[2];
            two.Predict([new float[] { 1, 2 }, new float[] { 10, 20 }], [y]);
            Assert.Equal([11f, 22f], y);
        }
        using (var heads = OnnxImporter.Import(Model([Node("Relu", ["x"], ["y"]), Node("Tanh", ["x"], ["z"])], [],
            [Value("x", [null, 2])], [Value("y", [null, 2]), Value("z", [null, 2])])).Model)
        {
            Assert.Equal(2, heads.OutputCount);
            var y = new float[2];
            var z = new float[2];
            heads.Predict([new float[] { -1, 2 }], [y, z]);
            Assert.Equal([0f, 2f], y);
            Assert.Equal([MathF.Tanh(-1), MathF.Tanh(2)], z);
        }
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(Model([Node("Relu", ["x"], ["y"])], [], [DoubleValue("x", 2)], [Value("y", [null, 2])])));
        Assert.Equal("ONNX graph: input 'x' holds Double; the runtime computes in Float (float32).", e.Message);
        e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(Model([Node("Relu", ["x"], ["y"])], [Tensor("x", [1, 2], [1, 2])],
            [Value("x", [1, 2])], [Value("y", [1, 2])])));
        Assert.Equal("ONNX graph: the graph has no data input (every input is an initializer).", e.Message);
        e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(Model([Node("Relu", ["x"], ["y"]), Node("Identity", ["y"], ["y2"])], [],
            [Value("x", [null, 2])], [Value("y", [null, 2]), Value("y2", [null, 2])])));
        Assert.Equal("ONNX graph: the outputs 'y' and 'y2' are one value; a model outputs each value once.", e.Message);
    }

    [Fact]
    public void SupportedOpsListsTheTable()
    {
        string[] expected =
        [
            "Gemm", "MatMul", "Conv", "ConvTranspose", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Add", "Sub", "Mul", "Div", "Pow",
            "Sum", "Mean", "Max", "Min", "Abs", "Neg", "Exp", "Log", "Sqrt", "Reciprocal", "Erf", "Clip", "Relu", "LeakyRelu",
            "Elu", "Selu", "Sigmoid", "Tanh", "Gelu", "Softplus", "Softsign",
            "HardSigmoid", "HardSwish", "Mish", "BatchNormalization", "LayerNormalization", "Flatten", "Reshape", "Concat", "Softmax", "LogSoftmax", "Dropout", "Identity",
            "LSTM", "GRU", "RNN", "Transpose", "Squeeze", "Unsqueeze", "Gather", "Shape", "Constant", "ConstantOfShape", "Split",
            "Cast", "CastLike",
            "ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSumExp", "ReduceSumSquare",
            "PRelu", "Celu",
            "Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "And", "Or", "Xor", "Not", "Where", "Expand", "Tile", "Pad",
            "NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss",
            "Slice", "GatherElements",
            "Adam", "Adagrad", "Momentum",
        ];
        Assert.Equal(expected.Order(), OnnxImporter.SupportedOps.Order());
        byte[] unsupported = Model([Node("NonMaxSuppression", ["x", "w"], ["y"])], [Tensor("w", [1, 1, 1, 1], [1])], [Value("x", [null, 1, 4, 4])], [Value("y", [null, 1, 4, 4])]);
        Assert.Contains(string.Join(", ", OnnxImporter.SupportedOps), Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(unsupported)).Message);
    }

    private static void AssertFails(byte[] bytes, string op, string detail)
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Equal(op, e.OpType);
        Assert.Contains(detail, e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
    }

    /// <summary>An int64 TensorProto (a Reshape shape) with raw little-endian data; rank 1 unless <paramref name="dims"/> says.</summary>
    private static Action<ProtoWriter> Int64Tensor(string name, long[] values, long[]? dims = null) => w =>
    {
        w.PackedInts(1, dims ?? [values.Length]).Int(2, 7).String(8, name);
        var raw = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), values[i]);
        w.Bytes(9, raw);
    };

    /// <summary>A double tensor value info [N, <paramref name="features"/>].</summary>
    private static Action<ProtoWriter> DoubleValue(string name, long features) => w => w.String(1, name).Message(2, type =>
        type.Message(1, tensor => tensor.Int(1, 11).Message(2, s =>
        {
            s.Message(1, dim => dim.String(2, "N"));
            s.Message(1, dim => dim.Int(1, features));
        })));
}

/// <summary>The graph an import should give, built with <see cref="GraphBuilder"/>, and the weights for its ops.</summary>
internal sealed class ReferenceGraph
{
    private readonly List<(Op Op, string Name, float[] Values)> _tensors = [];

    public GraphBuilder G { get; } = new();

    public Value Dense(Value x, int outputs, float[] weights, float[] bias)
    {
        var op = new DenseOp(outputs);
        Value y = G.Single(op, x);
        _tensors.Add((op, "weights", weights));
        _tensors.Add((op, "bias", bias));
        return y;
    }

    /// <summary>x + bias (or bias + x) with the bias a trainable constant, as the importer maps an Add of a constant.</summary>
    public Value AddBias(Value x, float[] bias, bool constantFirst = false)
    {
        var op = new BinaryOp(BinaryFunction.Add, new TensorShape(bias.Length), constantFirst, trainable: true);
        Value y = G.Single(op, x);
        _tensors.Add((op, "constant", bias));
        return y;
    }

    public Value Add(Value a, Value b) => G.Single(new BinaryOp(BinaryFunction.Add), a, b);

    public Model Build(Value output)
    {
        G.Output(output);
        Model model = G.Build();
        foreach (var (op, name, values) in _tensors) values.CopyTo(op.TensorData(op.TensorIndex(name)));
        return model;
    }
}
