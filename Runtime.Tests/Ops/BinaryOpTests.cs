using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// BinaryOp for every function over a sweep of broadcast shapes ([1], [n], [m, 1] and [1, n] against [m, n], rank 3,
/// a constant of rank 0), with two inputs and with a constant on either side (fixed and trainable), at batches 1 and 7:
/// forward against a plain broadcasting loop in double, backward against its finite differences.
/// </summary>
public sealed class BinaryOpTests
{
    public static TheoryData<BinaryFunction> EachFunction()
    {
        var data = new TheoryData<BinaryFunction>();
        foreach (var f in Enum.GetValues<BinaryFunction>()) data.Add(f);
        return data;
    }

    /// <summary>(a, b) sample shapes; the output is their broadcast.</summary>
    private static readonly int[][][] ShapePairs =
    [
        [[3, 4], [3, 4]], [[3, 4], [1]], [[3, 4], [4]], [[3, 4], [3, 1]], [[3, 1], [3, 4]], [[3, 1], [1, 4]],
        [[2, 3, 4], [3, 1]], [[2, 1, 4], [3, 1]], [[4], [2, 3, 4]], [[1], [5]], [[5], [5]], [[17], [1]],
    ];

    private static double F(BinaryFunction f, double a, double b) => f switch
    {
        BinaryFunction.Add => a + b,
        BinaryFunction.Subtract => a - b,
        BinaryFunction.Multiply => a * b,
        BinaryFunction.Divide => a / b,
        BinaryFunction.Power => Math.Pow(a, b),
        BinaryFunction.Maximum => Math.Max(a, b),
        BinaryFunction.Minimum => Math.Min(a, b),
        BinaryFunction.Equal => a == b ? 1 : 0,
        BinaryFunction.Less => a < b ? 1 : 0,
        BinaryFunction.LessOrEqual => a <= b ? 1 : 0,
        BinaryFunction.Greater => a > b ? 1 : 0,
        BinaryFunction.GreaterOrEqual => a >= b ? 1 : 0,
        BinaryFunction.And => True(a) && True(b) ? 1 : 0,
        BinaryFunction.Or => True(a) || True(b) ? 1 : 0,
        BinaryFunction.Xor => True(a) != True(b) ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(f)),
    };

    /// <summary>
    /// The logical functions' "nonzero", on the test's operands 0, 1 and −2.5: read as |x| ≥ 10⁻³ so that a finite
    /// difference's step off 0 stays false, and the reference's derivative is the 0 the op's is.
    /// </summary>
    private static bool True(double x) => Math.Abs(x) >= 1e-3;

    /// <summary>Operand values the function is smooth and tame at: Pow's base and Div's divisor in [0.5, 2] (the divisor either sign).</summary>
    private static float[] Values(BinaryFunction f, bool first, int length, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => (f, first) switch
        {
            (BinaryFunction.Power, true) => (float)(0.5 + 1.5 * rng.NextDouble()),
            (BinaryFunction.Power, false) => (float)(rng.NextDouble() * 4 - 2),
            (BinaryFunction.Divide, false) => (float)((0.5 + 1.5 * rng.NextDouble()) * (rng.Next(2) == 0 ? -1 : 1)),
            // Booleans held as floats: 0 and 1, with some other true values (any nonzero).
            (BinaryFunction.And or BinaryFunction.Or or BinaryFunction.Xor, _) => rng.Next(3) switch { 0 => 0f, 1 => 1f, _ => -2.5f },
            _ => (float)(rng.NextDouble() * 4 - 2),
        })];
    }

    /// <summary>z[r, i] = f(a[r or 0, i broadcast], b[…]) by plain index arithmetic over the output's axes.</summary>
    private static double[] Reference(BinaryFunction f, int rows, double[] a, int[] aShape, bool aBatched, double[] b, int[] bShape, bool bBatched)
    {
        int rank = Math.Max(aShape.Length, bShape.Length);
        int[] Pad(int[] s) => [.. Enumerable.Repeat(1, rank - s.Length), .. s];
        int[] pa = Pad(aShape), pb = Pad(bShape);
        int[] dims = [.. pa.Zip(pb, Math.Max)];
        int outLength = dims.Aggregate(1, (p, d) => p * d), aLength = pa.Aggregate(1, (p, d) => p * d), bLength = pb.Aggregate(1, (p, d) => p * d);
        var z = new double[rows * outLength];
        var index = new int[rank];
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < outLength; i++)
            {
                int rest = i;
                for (int k = rank - 1; k >= 0; k--) { index[k] = rest % dims[k]; rest /= dims[k]; }
                int ia = 0, ib = 0;
                for (int k = 0; k < rank; k++)
                {
                    ia = ia * pa[k] + (pa[k] == 1 ? 0 : index[k]);
                    ib = ib * pb[k] + (pb[k] == 1 ? 0 : index[k]);
                }
                z[r * outLength + i] = F(f, a[(aBatched ? r * aLength : 0) + ia], b[(bBatched ? r * bLength : 0) + ib]);
            }
        return z;
    }

    private static OpCase TwoInputs(BinaryFunction f, int[] aShape, int[] bShape) =>
        new($"binary {f} {new TensorShape(aShape)} {new TensorShape(bShape)}", () => new BinaryOp(f), [new TensorShape(aShape), new TensorShape(bShape)],
            a => [Reference(f, a.Rows, a.Inputs[0], aShape, true, a.Inputs[1], bShape, true)])
        {
            Batches = [1, 7],
            InputValues = (id, rows) => Values(f, id == 0, rows * (id == 0 ? new TensorShape(aShape) : new TensorShape(bShape)).Length, 97 * rows + id),
            NonSmooth = f is BinaryFunction.Maximum or BinaryFunction.Minimum or (>= BinaryFunction.Equal and <= BinaryFunction.Xor),
        };

    /// <summary>One input and a constant; the constant is a or b as <paramref name="constantFirst"/> says.</summary>
    private static OpCase WithConstant(BinaryFunction f, int[] aShape, int[] bShape, bool constantFirst, bool trainable, bool training = true)
    {
        int[] constant = constantFirst ? aShape : bShape, input = constantFirst ? bShape : aShape;
        return new($"binary {f} {new TensorShape(aShape)} {new TensorShape(bShape)} constant {(constantFirst ? "first" : "second")}{(trainable ? " trainable" : "")}{(training ? "" : " evaluation")}",
            () => new BinaryOp(f, new TensorShape(constant), constantFirst, trainable), [new TensorShape(input)], a =>
            {
                double[] c = a.Tensor("constant"), x = a.Inputs[0];
                return [constantFirst ? Reference(f, a.Rows, c, aShape, false, x, bShape, true) : Reference(f, a.Rows, x, aShape, true, c, bShape, false)];
            })
        {
            Batches = [1, 7],
            Training = training,
            InputValues = (id, rows) => Values(f, !constantFirst, rows * new TensorShape(input).Length, 89 * rows),
            Initialize = (op, _) => Values(f, constantFirst, new TensorShape(constant).Length, 7).CopyTo(op.TensorData(0)),
            NonSmooth = f is BinaryFunction.Maximum or BinaryFunction.Minimum or (>= BinaryFunction.Equal and <= BinaryFunction.Xor),
        };
    }

    [Theory]
    [MemberData(nameof(EachFunction))]
    public void TwoInputsOverTheBroadcastSweep(BinaryFunction f)
    {
        foreach (int[][] pair in ShapePairs) OpTester.Check(TwoInputs(f, pair[0], pair[1]));
    }

    [Theory]
    [MemberData(nameof(EachFunction))]
    public void AConstantOnEitherSideOverTheBroadcastSweep(BinaryFunction f)
    {
        foreach (int[][] pair in ShapePairs)
        {
            OpTester.Check(WithConstant(f, pair[0], pair[1], constantFirst: false, trainable: false));
            OpTester.Check(WithConstant(f, pair[0], pair[1], constantFirst: true, trainable: true));
        }
        // Evaluation, also through a serving layout (the caller's input and output buffers).
        OpTester.Check(WithConstant(f, [3, 4], [4], constantFirst: false, trainable: true, training: false));
        // A constant of rank 0 (ONNX's scalar initializers: GELU's √2, attention's scale).
        OpTester.Check(WithConstant(f, [3, 4], [], constantFirst: false, trainable: true));
        OpTester.Check(WithConstant(f, [], [3, 4], constantFirst: true, trainable: false));
    }

    /// <summary>f(x, x): one value in both slots, whose two gradients the runtime adds.</summary>
    [Theory]
    [MemberData(nameof(EachFunction))]
    public void OneValueInBothInputs(BinaryFunction f)
    {
        var shape = new TensorShape(3, 5);
        OpTester.Check(new OpCase($"binary {f} self", () => new BinaryOp(f), [shape], a => [Array.ConvertAll(a.Inputs[0], v => F(f, v, v))])
        {
            NodeInputs = [0, 0],
            Batches = [1, 7],
            InputValues = (_, rows) => [.. Values(f, true, rows * shape.Length, rows).Select(v => f == BinaryFunction.Divide ? (MathF.Abs(v) + 0.5f) : v)],
        });
    }

    [Fact]
    public void ShapesThatDoNotBroadcastAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new BinaryOp(BinaryFunction.Multiply).InferShapes([new TensorShape(3, 4), new TensorShape(3)]));
        Assert.Equal("mul takes shapes that broadcast (aligned from the last axis, each pair of sizes equal or one of them 1); the first input [3×4] and the second input [3] differ on axis -1 (4 against 3).", e.Message);
        e = Assert.Throws<ArgumentException>(() => new BinaryOp(BinaryFunction.Add, new TensorShape(2), constantFirst: true).InferShapes([new TensorShape(5)]));
        Assert.Equal("add takes shapes that broadcast (aligned from the last axis, each pair of sizes equal or one of them 1); the constant [2] and the input [5] differ on axis -1 (2 against 5).", e.Message);
    }

    [Fact]
    public void SettingsRoundTripThroughTheRegistry()
    {
        var op = (BinaryOp)OpRegistry.Clone(new BinaryOp(BinaryFunction.Power, new TensorShape(3, 1), constantFirst: true, trainable: true));
        Assert.Equal((BinaryFunction.Power, new TensorShape(3, 1), true, true), (op.Function, op.ConstantShape, op.ConstantFirst, op.Trainable));
        var two = (BinaryOp)OpRegistry.Clone(new BinaryOp(BinaryFunction.Minimum));
        Assert.Equal((BinaryFunction.Minimum, (TensorShape?)null), (two.Function, two.ConstantShape));
        var e = Assert.Throws<OpAttributeException>(() => OpRegistry.Create(new OpAttributes(BinaryOp.Name).Set("function", "mul").Set("constant", [3L]).Set("trainable", 2)));
        Assert.Equal("binary attribute 'trainable' is 2, expected 0 (a fixed constant) or 1 (a parameter).", e.Message);
    }
}
