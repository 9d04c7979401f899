using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// WhereOp over a sweep of broadcast shapes, with every operand an input or a constant (PyTorch's masking:
/// Where(constant mask, x, constant −∞) included), at batches 1, 2, 7 and 32: forward against a plain broadcasting
/// loop, backward against finite differences (the condition's gradient is zero; a branch's is dz where it was chosen).
/// </summary>
public sealed class WhereOpTests
{
    /// <summary>(condition, a, b) sample shapes.</summary>
    private static readonly int[][][] Shapes =
    [
        [[3, 4], [3, 4], [3, 4]], [[3, 4], [1], [4]], [[4], [3, 4], [3, 1]], [[3, 1], [1, 4], [3, 4]],
        [[2, 3, 4], [3, 1], [1]], [[1], [5], [5]], [[17], [17], [1]], [[], [3, 4], []],
    ];

    /// <summary>
    /// The op's rule (any value but ±0 is true) on the test's conditions 0, 1 and −2, read as |c| ≥ 10⁻³ so that a
    /// finite difference's step off 0 stays false: the reference's derivative in the condition is the op's 0.
    /// </summary>
    private static double[] Reference(int rows, double[][] operands, int[][] shapes, bool[] batched)
    {
        int rank = shapes.Max(s => s.Length);
        int[][] padded = [.. shapes.Select(s => (int[])[.. Enumerable.Repeat(1, rank - s.Length), .. s])];
        int[] dims = [.. Enumerable.Range(0, rank).Select(k => padded.Max(p => p[k]))];
        int outLength = dims.Aggregate(1, (p, d) => p * d);
        int[] lengths = [.. padded.Select(p => p.Aggregate(1, (q, d) => q * d))];
        var z = new double[rows * outLength];
        var index = new int[rank];
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < outLength; i++)
            {
                int rest = i;
                for (int k = rank - 1; k >= 0; k--) { index[k] = rest % dims[k]; rest /= dims[k]; }
                double Read(int o)
                {
                    int at = 0;
                    for (int k = 0; k < rank; k++) at = at * padded[o][k] + (padded[o][k] == 1 ? 0 : index[k]);
                    return operands[o][(batched[o] ? r * lengths[o] : 0) + at];
                }
                z[r * outLength + i] = Math.Abs(Read(0)) >= 1e-3 ? Read(1) : Read(2);
            }
        return z;
    }

    /// <summary>
    /// Conditions of 0 and 1 (and −2, also true); a constant branch of −10⁴ where <paramref name="mask"/> (−∞'s
    /// stand-in: the finite differences of a loss holding ∞ are NaN; the import tests run −∞ itself).
    /// </summary>
    private static OpCase Case(int[][] shapes, bool[] constant, bool mask = false)
    {
        TensorShape[] all = [.. shapes.Select(s => new TensorShape(s))];
        int[] inputOperands = [.. Enumerable.Range(0, 3).Where(o => !constant[o])];
        float[] Condition(int n, int seed)
        {
            var rng = new Random(seed);
            return [.. Enumerable.Range(0, n).Select(_ => rng.Next(3) switch { 0 => 0f, 1 => 1f, _ => -2f })];
        }
        string name = $"where {string.Join(" ", Enumerable.Range(0, 3).Select(o => (constant[o] ? "constant " : "") + all[o]))}{(mask ? " mask" : "")}";
        return new(name, () => new WhereOp(constant[0] ? all[0] : null, constant[1] ? all[1] : null, constant[2] ? all[2] : null),
            [.. inputOperands.Select(o => all[o])], a =>
            {
                var operands = new double[3][];
                int input = 0;
                string[] names = ["condition", "a", "b"];
                for (int o = 0; o < 3; o++) operands[o] = constant[o] ? a.Tensor(names[o]) : a.Inputs[input++];
                return [Reference(a.Rows, operands, shapes, [.. constant.Select(c => !c)])];
            })
        {
            InputValues = (id, rows) => inputOperands[id] == 0 ? Condition(rows * all[0].Length, 31 * rows + id) : null,
            Initialize = (op, _) =>
            {
                var where = (WhereOp)op;
                if (constant[0]) Condition(all[0].Length, 5).CopyTo(where.Constant(0));
                if (constant[1]) OpTester.Normal(new Runtime.Initializers.DeterministicRandom(3), all[1].Length, 1).CopyTo(where.Constant(1));
                if (constant[2])
                {
                    if (mask) where.Constant(2).Fill(-1e4f);
                    else OpTester.Normal(new Runtime.Initializers.DeterministicRandom(4), all[2].Length, 1).CopyTo(where.Constant(2));
                }
            },
        };
    }

    [Fact]
    public void ThreeInputsOverTheBroadcastSweep()
    {
        foreach (int[][] s in Shapes)
            if (s.All(o => o.Length > 0)) OpTester.Check(Case(s, [false, false, false]));
    }

    [Fact]
    public void ConstantOperandsOverTheBroadcastSweep()
    {
        bool[][] layouts = [[true, false, false], [false, true, false], [false, false, true], [true, false, true], [true, true, false]];
        foreach (int[][] s in Shapes)
            foreach (bool[] constant in layouts)
                // A graph input has at least one axis; a constant may be a scalar.
                if (Enumerable.Range(0, 3).All(o => constant[o] || s[o].Length > 0)) OpTester.Check(Case(s, constant));
    }

    /// <summary>Where(mask, scores, −∞): a causal mask over [T, T] against scores [H, T, T], the branch a scalar.</summary>
    [Fact]
    public void PyTorchsMaskingWithAConstantMaskAndMinusInfinity()
    {
        OpTester.Check(Case([[4, 4], [2, 4, 4], [1]], [true, false, true], mask: true));
        OpTester.Check(Case([[4, 4], [2, 4, 4], []], [true, false, true], mask: true) with { Training = false });
    }

    [Fact]
    public void ShapesThatDoNotBroadcastAndThreeConstantsAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new WhereOp().InferShapes([new TensorShape(3, 4), new TensorShape(4), new TensorShape(3)]));
        Assert.Equal("where takes shapes that broadcast (aligned from the last axis, each set of sizes equal or 1); the input condition [3×4], the input a [4] and the input b [3] differ on axis -1.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new WhereOp(new TensorShape(1), new TensorShape(1), new TensorShape(1)));
        Assert.Equal("Where needs at least one input; three constants fold to a constant.", e.Message);
    }
}
