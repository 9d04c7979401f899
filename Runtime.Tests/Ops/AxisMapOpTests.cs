using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// ExpandOp, TileOp and PadOp (every mode, negative pads) over sweeps of shapes at batches 1, 2, 7 and 32: forward
/// against a plain index computation per output element (numpy's rules), backward against finite differences (a
/// broadcast or tiled element sums its copies, a reflected one its mirrors, padding drops its gradient).
/// </summary>
public sealed class AxisMapOpTests
{
    /// <summary>Output element → input element (or −1 for the fill), one output index per axis: the op's rule written plainly.</summary>
    private delegate int SourceIndex(int axis, int outputIndex, int inputSize);

    private static OpCase Case(string name, Func<Op> create, int[] input, int[] output, SourceIndex source, double fill = 0) =>
        new(name, create, [new TensorShape(input)], a =>
        {
            int rank = output.Length;
            int[] inDims = [.. Enumerable.Repeat(1, rank - input.Length), .. input];
            int inLength = inDims.Aggregate(1, (p, d) => p * d), outLength = output.Aggregate(1, (p, d) => p * d);
            var z = new double[a.Rows * outLength];
            var index = new int[rank];
            for (int r = 0; r < a.Rows; r++)
                for (int i = 0; i < outLength; i++)
                {
                    int rest = i;
                    for (int k = rank - 1; k >= 0; k--) { index[k] = rest % output[k]; rest /= output[k]; }
                    int at = 0;
                    bool filled = false;
                    for (int k = 0; k < rank; k++)
                    {
                        int s = source(k, index[k], inDims[k]);
                        if (s < 0) filled = true;
                        at = at * inDims[k] + Math.Max(s, 0);
                    }
                    z[r * outLength + i] = filled ? fill : a.Inputs[0][r * inLength + at];
                }
            return [z];
        });

    [Fact]
    public void ExpandOverTheBroadcastSweep()
    {
        int[][][] cases =
        [
            [[3, 1], [3, 4]], [[1, 4], [3, 4]], [[3, 4], [4]], [[3, 4], [1, 1]], [[4], [2, 3, 4]], [[1], [5]], [[2, 1, 3], [2, 4, 3]],
        ];
        foreach (int[][] c in cases)
        {
            int[] input = c[0], shape = c[1];
            int rank = Math.Max(input.Length, shape.Length);
            int[] output = [.. Enumerable.Range(0, rank).Select(k => Math.Max(k < rank - input.Length ? 1 : input[k - (rank - input.Length)], k < rank - shape.Length ? 1 : shape[k - (rank - shape.Length)]))];
            OpTester.Check(Case($"expand {new TensorShape(input)} to [{string.Join(", ", shape)}]", () => new ExpandOp(shape), input, output,
                (_, i, d) => d == 1 ? 0 : i));
        }
    }

    [Fact]
    public void TileOverASweepOfRepeats()
    {
        int[][][] cases = [[[3, 4], [1, 2]], [[3, 4], [2, 1]], [[2, 3], [3, 2]], [[5], [3]], [[1], [17]], [[2, 1, 3], [1, 4, 2]], [[3, 4], [1, 1]]];
        foreach (int[][] c in cases)
        {
            int[] input = c[0], repeats = c[1];
            OpTester.Check(Case($"tile {new TensorShape(input)} by [{string.Join(", ", repeats)}]", () => new TileOp(repeats), input,
                [.. input.Zip(repeats, (d, r) => d * r)], (_, i, d) => i % d));
        }
    }

    public static TheoryData<PadMode> Modes()
    {
        var data = new TheoryData<PadMode>();
        foreach (PadMode m in Enum.GetValues<PadMode>()) data.Add(m);
        return data;
    }

    /// <summary>numpy.pad's index rules, position by position.</summary>
    private static int PadSource(PadMode mode, int p, int d)
    {
        if (p >= 0 && p < d) return p;
        switch (mode)
        {
            case PadMode.Constant: return -1;
            case PadMode.Edge: return p < 0 ? 0 : d - 1;
            case PadMode.Wrap: return ((p % d) + d) % d;
            default:
                if (d == 1) return 0;
                // Bounce between the ends until inside.
                while (p < 0 || p >= d) p = p < 0 ? -p : 2 * (d - 1) - p;
                return p;
        }
    }

    [Theory, MemberData(nameof(Modes))]
    public void PadOverASweepOfCounts(PadMode mode)
    {
        (int[] Input, int[] Before, int[] After)[] cases =
        [
            ([3, 4], [1, 2], [2, 1]), ([3, 4], [0, 0], [0, 0]), ([5], [2], [3]), ([2, 3, 4], [0, 1, 0], [1, 0, 3]),
            ([4, 5], [-1, 2], [1, -2]), ([1, 3], [2, 0], [1, 2]), ([3], [7], [5]),
        ];
        foreach (var (input, before, after) in cases)
        {
            if (mode != PadMode.Constant && input.Select((d, k) => -before[k] >= d || -after[k] >= d).Any(b => b)) continue;
            int[] output = [.. input.Select((d, k) => d + before[k] + after[k])];
            OpTester.Check(Case($"pad {mode} {new TensorShape(input)} [{string.Join(", ", before)}] [{string.Join(", ", after)}]",
                () => new PadOp(before, after, mode, 1.5f), input, output, (k, i, d) => PadSource(mode, i - before[k], d), fill: 1.5));
        }
    }

    [Fact]
    public void ShapesThatDoNotFitAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ExpandOp(3, 5).InferShapes([new TensorShape(3, 4)]));
        Assert.Equal("expand to [3, 5]: the input [3×4] has 4 on axis -1, which broadcasts only to 4 or from 1, not to 5.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new TileOp(2).InferShapes([new TensorShape(3, 4)]));
        Assert.Equal("tile by [2] takes samples of 1 axes, one repeat count each; the input is [3×4].", e.Message);
        e = Assert.Throws<ArgumentException>(() => new PadOp([-3], [0]).InferShapes([new TensorShape(3)]));
        Assert.Equal("pad [-3] before, [0] after (constant 0): axis 0 of [3] would have 0 elements; expected at least 1.", e.Message);
        e = Assert.Throws<ArgumentException>(() => new PadOp([-3], [1], PadMode.Reflect).InferShapes([new TensorShape(3)]));
        Assert.Equal("pad [-3] before, [1] after (reflect): axis 0 of [3] is cropped to nothing on one side, so reflect has nothing to copy.", e.Message);
    }
}
