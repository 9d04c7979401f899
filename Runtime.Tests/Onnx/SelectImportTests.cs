using Simd.Runtime.Inference;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// The comparison, logical, Where, Expand, Tile and Pad mappings on small graphs as exporters write them (PyTorch's
/// masking Where(mask, x, −∞) with a bool mask, a comparison feeding Where, opset 10's and 11's Pad), against plain
/// references, and the inputs the importer refuses with the reason.
/// </summary>
public sealed class SelectImportTests
{
    private const int Rows = 5;

    private static float[] Values(int n, int seed)
    {
        var random = new Random(seed);
        // Halves, so that comparisons against constants meet ties.
        return [.. Enumerable.Range(0, n).Select(_ => random.Next(-6, 7) * 0.5f)];
    }

    private static Action<ProtoWriter> Int64s(string name, params long[] values) => w => w.PackedInts(1, [values.Length]).Int(2, 7).PackedInts(7, values).String(8, name);

    private static Action<ProtoWriter> Bools(string name, long[] dims, bool[] values) =>
        w => w.PackedInts(1, dims).Int(2, 9).Bytes(9, [.. values.Select(v => v ? (byte)1 : (byte)0)]).String(8, name);

    private static float[] Run(byte[] bytes, float[] x)
    {
        using Model model = OnnxImporter.Import(bytes).Model;
        var y = new float[Rows * model.OutputSize];
        model.Predict(x, y);
        using var frozen = InferenceModel.Freeze(model);
        var z = new float[y.Length];
        frozen.Predict(x, Rows, z);
        Assert.Equal(y, z);
        return y;
    }

    public static TheoryData<string> Comparisons() => ["Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual"];

    private static bool Compare(string op, float a, float b) => op switch
    {
        "Equal" => a == b,
        "Less" => a < b,
        "LessOrEqual" => a <= b,
        "Greater" => a > b,
        _ => a >= b,
    };

    /// <summary>Where(x op 0.5, x, −x): a comparison's bool feeds Where, inside the graph as 1 and 0.</summary>
    [Theory, MemberData(nameof(Comparisons))]
    public void AComparisonFeedsWhere(string op)
    {
        byte[] bytes = Model([Node(op, ["x", "c"], ["m"]), Node("Neg", ["x"], ["n"]), Node("Where", ["m", "x", "n"], ["y"])],
            [Tensor("c", [], [0.5f])], [Value("x", [null, 2, 3])], [Value("y", [null, 2, 3])]);
        float[] x = Values(Rows * 6, 1);
        float[] y = Run(bytes, x);
        Assert.Equal([.. x.Select(v => Compare(op, v, 0.5f) ? v : -v)], y);
    }

    /// <summary>And, Or, Xor of two comparisons (Not: Not of the first, And the second), selecting x or 0.</summary>
    [Theory]
    [InlineData("And")]
    [InlineData("Or")]
    [InlineData("Xor")]
    [InlineData("Not")]
    public void LogicalOpsCombineComparisons(string op)
    {
        Action<ProtoWriter>[] nodes =
        [
            Node("Greater", ["x", "lo"], ["a"]), Node("Less", ["x", "hi"], ["b"]),
            .. op == "Not" ? [Node("Not", ["a"], ["na"]), Node("And", ["na", "b"], ["m"])] : new[] { Node(op, ["a", "b"], ["m"]) },
            Node("Where", ["m", "x", "zero"], ["y"]),
        ];
        byte[] bytes = Model(nodes, [Tensor("lo", [], [-1]), Tensor("hi", [], [1]), Tensor("zero", [], [0])], [Value("x", [null, 7])], [Value("y", [null, 7])]);
        float[] x = Values(Rows * 7, 2);
        float[] y = Run(bytes, x);
        bool Pick(float v) => op switch
        {
            "And" => v > -1 && v < 1,
            "Or" => v > -1 || v < 1,
            "Xor" => (v > -1) != (v < 1),
            _ => !(v > -1) && v < 1,
        };
        Assert.Equal([.. x.Select(v => Pick(v) ? v : 0)], y);
    }

    /// <summary>PyTorch's causal masking: Where(bool mask [T, T], scores [N, H, T, T], −∞), the mask a raw bool initializer.</summary>
    [Fact]
    public void PyTorchsMaskingWithABoolMaskAndMinusInfinity()
    {
        bool[] mask = [.. Enumerable.Range(0, 16).Select(i => i % 4 <= i / 4)];
        byte[] bytes = Model([Node("Where", ["mask", "x", "inf"], ["y"])], [Bools("mask", [4, 4], mask), Tensor("inf", [], [float.NegativeInfinity])],
            [Value("x", [null, 2, 4, 4])], [Value("y", [null, 2, 4, 4])]);
        float[] x = Values(Rows * 32, 3);
        float[] y = Run(bytes, x);
        Assert.Equal([.. x.Select((v, i) => mask[i % 16] ? v : float.NegativeInfinity)], y);
    }

    [Fact]
    public void WhereOfConstantsFoldsAndBroadcastsAgainstTheValue()
    {
        byte[] bytes = Model([Node("Where", ["m", "a", "b"], ["w"]), Node("Add", ["x", "w"], ["y"])],
            [Bools("m", [3], [true, false, true]), Tensor("a", [1], [10]), Tensor("b", [2, 1], [100, 200])],
            [Value("x", [null, 2, 3])], [Value("y", [null, 2, 3])]);
        float[] x = Values(Rows * 6, 4);
        float[] y = Run(bytes, x);
        float[] w = [10, 100, 10, 10, 200, 10];
        Assert.Equal([.. x.Select((v, i) => v + w[i % 6])], y);
    }

    [Fact]
    public void ExpandToAShapeWithAndWithoutTheBatch()
    {
        foreach (long[] shape in new[] { new long[] { 3, 4 }, [1, 3, 4], [4] })
        {
            byte[] bytes = Model([Node("Expand", ["x", "s"], ["y"])], [Int64s("s", shape)], [Value("x", [null, 3, 1])], [Value("y", [null, 3, 4])]);
            float[] x = Values(Rows * 3, 5);
            float[] y = Run(bytes, x);
            Assert.Equal([.. Enumerable.Range(0, Rows * 12).Select(i => x[i / 4])], y);
        }
    }

    [Fact]
    public void TileRepeatsTheSampleAxes()
    {
        byte[] bytes = Model([Node("Tile", ["x", "r"], ["y"])], [Int64s("r", 1, 2, 3)], [Value("x", [null, 2, 2])], [Value("y", [null, 4, 6])]);
        float[] x = Values(Rows * 4, 6);
        float[] y = Run(bytes, x);
        for (int r = 0; r < Rows; r++)
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 6; j++)
                    Assert.Equal(x[r * 4 + (i % 2) * 2 + j % 2], y[r * 24 + i * 6 + j]);
    }

    /// <summary>Pad's pads as opset 10's attribute and opset 11's input, each mode, over [N, C, W].</summary>
    [Theory]
    [InlineData(10, "constant")]
    [InlineData(13, "constant")]
    [InlineData(10, "reflect")]
    [InlineData(13, "edge")]
    [InlineData(19, "wrap")]
    public void PadInEachModeAndForm(long opset, string mode)
    {
        long[] pads = [0, 0, 2, 0, 0, 1];
        Action<ProtoWriter> modeAttribute = StringAttribute("mode", mode);
        byte[] bytes = opset < 11
            ? Model([Node("Pad", ["x"], ["y"], modeAttribute, IntsAttribute("pads", pads), FloatAttribute("value", 7))], [],
                [Value("x", [null, 2, 3])], [Value("y", [null, 2, 6])], opset: opset)
            : Model([Node("Pad", ["x", "p", "v"], ["y"], modeAttribute)], [Int64s("p", pads), Tensor("v", [], [7])],
                [Value("x", [null, 2, 3])], [Value("y", [null, 2, 6])], opset: opset);
        float[] x = Values(Rows * 6, 7);
        float[] y = Run(bytes, x);
        // [a b c] padded 2 before and 1 after, in numpy's terms.
        int[] source = mode switch { "reflect" => [2, 1, 0, 1, 2, 1], "edge" => [0, 0, 0, 1, 2, 2], "wrap" => [1, 2, 0, 1, 2, 0], _ => [-1, -1, 0, 1, 2, -1] };
        for (int row = 0; row < Rows * 2; row++)
            for (int j = 0; j < 6; j++)
                Assert.Equal(source[j] < 0 ? 7 : x[row * 3 + source[j]], y[row * 6 + j]);
    }

    [Fact]
    public void PadOverTheAxesNamedByAxes()
    {
        byte[] bytes = Model([Node("Pad", ["x", "p", "", "a"], ["y"])], [Int64s("p", 1, 0), Int64s("a", -1)],
            [Value("x", [null, 2, 3])], [Value("y", [null, 2, 4])], opset: 18);
        float[] x = Values(Rows * 6, 8);
        float[] y = Run(bytes, x);
        Assert.Equal([.. Enumerable.Range(0, Rows * 8).Select(i => i % 4 == 0 ? 0 : x[i / 4 * 3 + i % 4 - 1])], y);
    }

    /// <summary>
    /// Cast to bool of a value (1 where not 0), to float of a comparison (itself), and CastLike of a constant to the
    /// value's type, as the expanded ONNX functions write their scalars.
    /// </summary>
    [Fact]
    public void CastsToFloatAndBool()
    {
        byte[] bytes = Model(
        [
            Node("Cast", ["x"], ["b"], IntAttribute("to", 9)), Node("Less", ["x", "half"], ["l"]), Node("Cast", ["l"], ["lf"], IntAttribute("to", 1)),
            Node("CastLike", ["two", "x"], ["t"]), Node("Mul", ["lf", "t"], ["m"]), Node("Where", ["b", "m", "seven"], ["y"]),
        ], [Tensor("half", [], [0.5f]), Int64s("two", 2), Tensor("seven", [], [7])], [Value("x", [null, 4])], [Value("y", [null, 4])], opset: 15);
        float[] x = Values(Rows * 4, 9);
        float[] y = Run(bytes, x);
        Assert.Equal([.. x.Select(v => v != 0 ? (v < 0.5f ? 2f : 0f) : 7f)], y);
    }

    [Fact]
    public void WhatTheImporterCannotMapIsRefusedWithTheReason()
    {
        AssertFails(Model([Node("Cast", ["x"], ["y"], IntAttribute("to", 7))], [], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Cast", "it casts to Int64 (to 7); the importer maps casts to Float and Bool, the types a graph of float32 values holds.");
        AssertFails(Model([Node("Less", ["x", "c"], ["y"])], [Tensor("c", [], [0])], [Value("x", [null, 3])], [Value("y", [null, 3], elementType: 9)]),
            null, "output 'y' holds Bool; the runtime computes in Float (float32).");
        AssertFails(Model([Node("Where", ["x", "x"], ["y"])], [], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Where", "Where with 2 inputs; expected 3 (condition, X, Y).");
        AssertFails(Model([Node("Where", ["m", "x", "z"], ["y"])], [Bools("m", [2, 3], new bool[6]), Tensor("z", [], [0])], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Where", "constant 'm' of shape [2, 3] does not broadcast against [N, 3] with the batch kept first");
        AssertFails(Model([Node("Expand", ["x", "s"], ["y"])], [Int64s("s", 2, 3, 4)], [Value("x", [null, 3, 1])], [Value("y", [null, 3, 4])]),
            "Expand", "shape [2, 3, 4] has 2 at the batch's place; Expand keeps the batch N (1 or N there).");
        AssertFails(Model([Node("Expand", ["x", "s"], ["y"])], [Int64s("s", 1, 1, 3, 4)], [Value("x", [null, 3, 1])], [Value("y", [null, 3, 4])]),
            "Expand", "shape [1, 1, 3, 4] has 4 entries, more than the 3 axes of [N, 3, 1]: it would add axes in front of the batch N.");
        AssertFails(Model([Node("Relu", ["x"], ["s"]), Node("Expand", ["x", "s"], ["y"])], [], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Expand", "shape 's' is not known at import; the importer maps Expand with shape that is an int64 constant (or computed from shapes).");
        AssertFails(Model([Node("Tile", ["x", "r"], ["y"])], [Int64s("r", 2, 1)], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Tile", "repeats [2, 1] repeats the batch N 2 times; the importer tiles the sample axes only (1 at the batch's place).");
        AssertFails(Model([Node("Tile", ["x", "r"], ["y"])], [Int64s("r", 1)], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Tile", "repeats [1] has 1 entries; expected one per axis of [N, 3] (2).");
        AssertFails(Model([Node("Pad", ["x", "p"], ["y"])], [Int64s("p", 1, 0, 0, 0)], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Pad", "pads [1, 0, 0, 0] pad the batch N (1 before, 0 after); the importer pads the sample axes only.");
        AssertFails(Model([Node("Pad", ["x", "p"], ["y"])], [Int64s("p", 0, 1)], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Pad", "pads [0, 1] has 2 entries; expected 4 (a begin and an end count for each of the 2 axes of [N, 3]).");
        AssertFails(Model([Node("Pad", ["x", "p"], ["y"], StringAttribute("mode", "mirror"))], [Int64s("p", 0, 1, 0, 1)], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Pad", "mode 'mirror'; expected one of constant, reflect, edge, wrap.");
        AssertFails(Model([Node("Pad", ["x", "p"], ["y"], StringAttribute("mode", "reflect"))], [Int64s("p", 0, -3, 0, 1)], [Value("x", [null, 3])], [Value("y", [null, 3])]),
            "Pad", "axis 0 of [3] is cropped to nothing on one side, so reflect has nothing to copy.");
    }

    private static void AssertFails(byte[] bytes, string? op, string detail)
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes));
        if (op is not null) Assert.Equal(op, e.OpType);
        Assert.Contains(detail, e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
    }
}
