using System.Buffers.Binary;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// Constant folding at import: nodes whose inputs are all constant (initializers, Constant nodes of every value
/// attribute, values folded before them, shapes with every entry known) become constants that later nodes read as
/// initializers, so the constant subgraphs exporters and ONNX's function expansions write (a Cast of an epsilon, a
/// reshaped or transposed weight, shape arithmetic) add no node. Cast and CastLike of a computed value to Float add
/// no node either; to another element type they are refused, as are folds the runtime cannot hold.
/// </summary>
public sealed class ConstantFoldingImportTests
{
    private const int Rows = 3;

    private static Action<ProtoWriter> DoubleTensor(string name, long[] dims, double[] values) => w =>
    {
        var raw = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(raw.AsSpan(i * 8), values[i]);
        w.PackedInts(1, dims).Int(2, 11).String(8, name).Bytes(9, raw);
    };

    private static Action<ProtoWriter> TensorAttribute(Action<ProtoWriter> tensor) => w => w.String(1, "value").Message(5, tensor).Int(20, 4);

    private static Action<ProtoWriter> ConstantNode(string output, Action<ProtoWriter> attribute) => Node("Constant", [], [output], attribute);

    /// <summary>Imports a graph over x [N, width] and runs <see cref="Rows"/> rows of 0, 1, 2, … through it.</summary>
    private static float[] Run(byte[] bytes, int width, out string[] ops)
    {
        using Model model = OnnxImporter.Import(bytes).Model;
        ops = [.. model.Ops.Select(o => o.Kind)];
        float[] x = [.. Enumerable.Range(0, Rows * width).Select(i => (float)i)];
        var y = new float[Rows * model.OutputSize];
        model.Predict(x, y);
        return y;
    }

    private static OnnxImportException Refused(byte[] bytes, string op, string detail)
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        Assert.Equal(op, e.OpType);
        Assert.Contains(detail, e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
        return e;
    }

    /// <summary>LayerNormalization's expansion: a double epsilon Cast to float, then CastLike of constants to x's type (opset 18).</summary>
    [Fact]
    public void CastAndCastLikeOfConstantsFoldIntoTheOperandTheyFeed()
    {
        byte[] bytes = Model(
        [
            ConstantNode("eps64", TensorAttribute(DoubleTensor("eps64", [], [0.25]))),
            Node("Cast", ["eps64"], ["eps"], IntAttribute("to", 1)),
            ConstantNode("two64", TensorAttribute(DoubleTensor("two64", [], [2]))),
            Node("CastLike", ["two64", "x"], ["two"]),
            Node("Add", ["x", "eps"], ["a"]), Node("Mul", ["a", "two"], ["y"]),
        ], [], [Value("x", [null, 2])], [Value("y", [null, 2])], opset: 18);
        float[] y = Run(bytes, 2, out string[] ops);
        Assert.Equal(["binary", "binary"], ops);
        Assert.Equal(Enumerable.Range(0, Rows * 2).Select(i => (i + 0.25f) * 2), y);
    }

    [Fact]
    public void ConstantTakesEveryNumericValueAttribute()
    {
        // value_ints as Reshape's shape, value_float and value_floats as operands, value_int as an exponent.
        byte[] bytes = Model(
        [
            ConstantNode("shape", IntsAttribute("value_ints", 0, 2, 1)),
            ConstantNode("half", FloatAttribute("value_float", 0.5f)),
            ConstantNode("bias", FloatsAttribute("value_floats", 10, 20)),
            ConstantNode("two", IntAttribute("value_int", 2)),
            Node("Pow", ["x", "two"], ["p"]), Node("Mul", ["p", "half"], ["m"]), Node("Add", ["m", "bias"], ["a"]),
            Node("Reshape", ["a", "shape"], ["y"]),
        ], [], [Value("x", [null, 2])], [Value("y", [null, 2, 1])]);
        float[] y = Run(bytes, 2, out _);
        Assert.Equal(Enumerable.Range(0, Rows * 2).Select(i => i * i * 0.5f + (i % 2 == 0 ? 10 : 20)), y);
    }

    [Fact]
    public void ConstantsStringOrSparseValueIsRefusedNamingTheAttribute()
    {
        Action<ProtoWriter>[] rest = [Node("Add", ["x", "c"], ["y"])];
        Refused(Model([ConstantNode("c", StringAttribute("value_string", "hello")), .. rest], [], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "Constant", "ONNX node 'Constant_c' (Constant, domain ai.onnx, opset 13): attribute 'value_string' holds strings; the runtime computes with numbers only.");
        Refused(Model([ConstantNode("c", w => w.String(1, "sparse_value").Int(20, 11)), .. rest], [], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "Constant", "attribute 'sparse_value' holds a sparse tensor, which the importer does not read; store the value as a dense 'value' tensor.");
        Refused(Model([ConstantNode("c", FloatAttribute("value_ints", 1)), .. rest], [], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "Constant", "attribute 'value_ints' is of type Float, which Constant does not define for it.");
        Refused(Model([Node("Constant", [], ["c"], FloatAttribute("value_float", 1), IntAttribute("value_int", 1)), .. rest], [], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "Constant", "attributes 'value_float', 'value_int'; Constant takes exactly one value.");
    }

    /// <summary>A weight stored transposed and reshaped, and its bias computed by integer shape arithmetic: all folded.</summary>
    [Fact]
    public void LayoutOpsAndIntegerArithmeticOfConstantsFold()
    {
        float[] w = [1, 2, 3, 4, 5, 6];
        byte[] bytes = Model(
        [
            Node("Transpose", ["w"], ["wt"], IntsAttribute("perm", 1, 0)),            // [3, 2] → [2, 3]
            Node("Unsqueeze", ["wt", "axis0"], ["wu"]),                                // [1, 2, 3]
            Node("Squeeze", ["wu", "axis0"], ["ws"]),                                  // [2, 3]
            Node("Concat", ["ws", "ws"], ["wc"], IntAttribute("axis", 1)),            // [2, 6]
            Node("Slice", ["wc", "starts", "ends", "axis1"], ["wsl"]),                 // [2, 3]: columns 2..4
            Node("Mul", ["three", "four"], ["twelve"]), Node("Div", ["twelve", "five"], ["two"]),   // 12 / 5 = 2 (truncated)
            Node("Concat", ["minusone", "two"], ["shape"], IntAttribute("axis", 0)),  // [-1, 2]
            Node("Reshape", ["wsl", "shape"], ["wr"]),                                 // [3, 2]
            Node("Flatten", ["wr"], ["wf"], IntAttribute("axis", 0)),                 // [1, 6]
            Node("Add", ["x", "wf"], ["y"]),
        ],
        [
            Tensor("w", [3, 2], w), Int64Tensor("axis0", [1], [0]), Int64Tensor("axis1", [1], [1]), Int64Tensor("starts", [1], [2]), Int64Tensor("ends", [1], [5]),
            Int64Tensor("three", [1], [3]), Int64Tensor("four", [1], [4]), Int64Tensor("five", [1], [5]), Int64Tensor("minusone", [1], [-1]),
        ], [Value("x", [null, 6])], [Value("y", [null, 6])]);
        float[] y = Run(bytes, 6, out string[] ops);
        Assert.Equal(["binary"], ops);
        // wt = [[1, 3, 5], [2, 4, 6]]; wc's rows [1, 3, 5, 1, 3, 5] and [2, 4, 6, 2, 4, 6]; columns 2..4: [5, 1, 3], [6, 2, 4].
        float[] folded = [5, 1, 3, 6, 2, 4];
        Assert.Equal(Enumerable.Range(0, Rows * 6).Select(i => i + folded[i % 6]), y);
    }

    [Fact]
    public void ShapesWithEveryEntryKnownFoldAndSizeOfAShapeIsItsLength()
    {
        // Size(Shape(x)) is x's rank whatever the batch: 3 - 1 = 2 becomes an operand.
        byte[] bytes = Model(
        [
            Node("Shape", ["x"], ["s"]), Node("Size", ["s"], ["rank"]), Node("Sub", ["rank", "one"], ["r"]),
            Node("Cast", ["r"], ["rf"], IntAttribute("to", 1)), Node("Mul", ["x", "rf"], ["y"]),
        ], [Int64Tensor("one", [], [1])], [Value("x", [null, 2, 2])], [Value("y", [null, 2, 2])]);
        Assert.Equal(Enumerable.Range(0, Rows * 4).Select(i => i * 2f), Run(bytes, 4, out _));
    }

    /// <summary>PyTorch's x.view(x.size(0), -1): Shape, Gather of the batch, Unsqueeze, Concat with -1, Reshape.</summary>
    [Fact]
    public void AReshapeToAShapeComputedFromTheInputKeepsTheBatch()
    {
        Action<ProtoWriter>[] view =
        [
            Node("Shape", ["x"], ["s"]), Node("Gather", ["s", "zero"], ["n"], IntAttribute("axis", 0)), Node("Unsqueeze", ["n", "axis0"], ["n1"]),
            Node("Concat", ["n1", "minusone"], ["shape"], IntAttribute("axis", 0)), Node("Reshape", ["x", "shape"], ["y"]),
        ];
        Action<ProtoWriter>[] constants = [Int64Tensor("zero", [], [0]), Int64Tensor("axis0", [1], [0]), Int64Tensor("minusone", [1], [-1])];
        float[] y = Run(Model(view, constants, [Value("x", [null, 2, 3])], [Value("y", [null, 6])]), 6, out string[] ops);
        Assert.Equal([ReshapeOp.Name], ops);
        Assert.Equal(Enumerable.Range(0, Rows * 6).Select(i => (float)i), y);
        // A shape that leaves a sample dimension unknown is refused.
        Action<ProtoWriter>[] swapped = [Node("Shape", ["x"], ["s"]), Node("Reshape", ["x", "s"], ["y"], IntAttribute("allowzero", 0))];
        byte[] bytes = Model([Node("Shape", ["x"], ["s"]), Node("Concat", ["minusone", "s"], ["shape"], IntAttribute("axis", 0)), Node("Reshape", ["x", "shape"], ["y"])],
            constants, [Value("x", [null, 6])], [Value("y", [null, 1, 6])]);
        Refused(bytes, "Reshape", "the shape 'shape' is [-1, N, 6]; a computed shape may leave only its first entry, the batch, unknown.");
        Assert.Equal(Enumerable.Range(0, Rows * 6).Select(i => (float)i), Run(Model(swapped, [], [Value("x", [null, 6])], [Value("y", [null, 6])]), 6, out _));
    }

    [Fact]
    public void CastsFollowCsConversions()
    {
        // 2.7 → Int64 2 (toward zero), → Bool 1, → Float 1; -1.5 → Int32 -1 → Float -1; 0 → Bool 0.
        byte[] bytes = Model(
        [
            Node("Cast", ["c"], ["i"], IntAttribute("to", 7)), Node("Cast", ["c"], ["b"], IntAttribute("to", 9)), Node("Cast", ["b"], ["bf"], IntAttribute("to", 1)),
            Node("Cast", ["i"], ["if"], IntAttribute("to", 1)), Node("Add", ["if", "bf"], ["k"]), Node("Add", ["x", "k"], ["y"]),
        ], [Tensor("c", [3], [2.7f, -1.5f, 0])], [Value("x", [null, 3])], [Value("y", [null, 3])]);
        float[] k = [3, -1 + 1, 0];
        Assert.Equal(Enumerable.Range(0, Rows * 3).Select(i => i + k[i % 3]), Run(bytes, 3, out _));
    }

    [Fact]
    public void CastOfAComputedValueToFloatAddsNoNodeAndToAnotherTypeIsRefused()
    {
        byte[] toFloat = Model([Node("Relu", ["x"], ["r"]), Node("Cast", ["r"], ["c"], IntAttribute("to", 1)), Node("CastLike", ["c", "x"], ["y"])],
            [], [Value("x", [null, 2])], [Value("y", [null, 2])], opset: 15);
        Assert.Equal(Enumerable.Range(0, Rows * 2).Select(i => (float)i), Run(toFloat, 2, out string[] ops));
        Assert.Equal(["activation"], ops);
        Refused(Model([Node("Relu", ["x"], ["r"]), Node("Cast", ["r"], ["y"], IntAttribute("to", 7))], [], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "Cast", "it casts to Int64 (to 7); the importer maps casts to Float and Bool, the types a graph of float32 values holds.");
        Refused(Model([Node("Relu", ["x"], ["r"]), Node("CastLike", ["r", "like"], ["y"])], [Int64Tensor("like", [1], [0])], [Value("x", [null, 2])], [Value("y", [null, 2])], opset: 15),
            "CastLike", "it casts to Int64 (like 'like'); the importer maps casts to Float and Bool, the types a graph of float32 values holds.");
        Refused(Model([Node("Relu", ["x"], ["r"]), Node("Cast", ["r"], ["y"])], [], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "Cast", "the 'to' attribute is missing.");
    }

    [Fact]
    public void FoldsTheRuntimeCannotHoldAreRefusedNamingTheNode()
    {
        Refused(Model([Node("Cast", ["c"], ["h"], IntAttribute("to", 10)), Node("Add", ["x", "h"], ["y"])], [Tensor("c", [1], [1])], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "Cast", "Cast to Float16: the importer computes constants of Float, Double, Int64, Int32 and Bool only.");
        Refused(Model([Node("Div", ["a", "zero"], ["q"]), Node("Cast", ["q"], ["qf"], IntAttribute("to", 1)), Node("Add", ["x", "qf"], ["y"])],
            [Int64Tensor("a", [], [1]), Int64Tensor("zero", [], [0])], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "Div", "integer division by zero (constant 'zero').");
        Refused(Model([Node("Reshape", ["c", "shape"], ["r"]), Node("Add", ["x", "r"], ["y"])], [Tensor("c", [4], [1, 2, 3, 4]), Int64Tensor("shape", [1], [3])],
            [Value("x", [null, 2])], [Value("y", [null, 2])]), "Reshape", "shape [3] holds 3 values; the input [4] has 4.");
        Refused(Model([Node("ConstantOfShape", ["shape"], ["big"]), Node("Add", ["x", "big"], ["y"])], [Int64Tensor("shape", [2], [1 << 14, 1 << 14])],
            [Value("x", [null, 2])], [Value("y", [null, 2])], opset: 13), "ConstantOfShape", "the importer folds at most 67108864 values.");
        // What folds to a constant cannot be the model's output: the output must depend on the input.
        Refused(Model([Node("Relu", ["x"], ["y"]), Node("Neg", ["c"], ["z"])], [Tensor("c", [2], [1, 2])], [Value("x", [null, 2])], [Value("y", [null, 2]), Value("z", [null, 2])]),
            "Neg", "output 'z' is a graph output, but it is computed from shapes or constants only");
    }

    [Fact]
    public void AnOutputThatIsAGraphInputIsAnIdentity()
    {
        byte[] bytes = Model([Node("Identity", ["x"], ["y"])], [], [Value("x", [null, 2])], [Value("y", [null, 2])]);
        float[] y = Run(bytes, 2, out string[] ops);
        Assert.Equal([ReshapeOp.Name], ops);
        Assert.Equal(Enumerable.Range(0, Rows * 2).Select(i => (float)i), y);
        // The input itself named as a second output.
        using Model two = OnnxImporter.Import(Model([Node("Relu", ["x"], ["y"])], [], [Value("x", [null, 2])], [Value("x", [null, 2]), Value("y", [null, 2])])).Model;
        var a = new float[2];
        var b = new float[2];
        two.Predict([new float[] { -1, 2 }], [a, b]);
        Assert.Equal([-1f, 2f], a);
        Assert.Equal([0f, 2f], b);
    }
}
