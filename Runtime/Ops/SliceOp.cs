using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// A window of each sample (ONNX's Slice once its bounds are resolved against the shape): output axis k holds
/// counts[k] elements of input axis k, from starts[k] on, steps[k] apart (a negative step walks backwards). The
/// batch is never sliced. Forward copies the window (a span copy per run where the last axis's step is 1); backward
/// writes the gradient into the window and zeros elsewhere.
/// </summary>
public sealed class SliceOp : AxisMapOp
{
    public const string Name = "slice";

    private readonly int[] _starts, _counts, _steps;

    public SliceOp(int[] starts, int[] counts, int[] steps)
    {
        ArgumentNullException.ThrowIfNull(starts);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(steps);
        if (starts.Length != counts.Length || steps.Length != counts.Length || counts.Length > TensorShape.MaxRank)
            throw new ArgumentException($"slice takes one start, count and step for each of at most {TensorShape.MaxRank} axes, got {starts.Length}, {counts.Length} and {steps.Length}.", nameof(steps));
        if (counts.Any(c => c < 1) || steps.Any(s => s == 0) || starts.Any(s => s < 0))
            throw new ArgumentException($"slice {Describe(starts, counts, steps)}: starts must be at least 0, counts at least 1 and steps other than 0.", nameof(counts));
        _starts = (int[])starts.Clone();
        _counts = (int[])counts.Clone();
        _steps = (int[])steps.Clone();
    }

    public override string Kind => Name;

    /// <summary>The first input index read on each sample axis.</summary>
    public IReadOnlyList<int> Starts => _starts;

    /// <summary>The output's size on each sample axis.</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <summary>The input distance between neighbouring outputs on each sample axis.</summary>
    public IReadOnlyList<int> Steps => _steps;

    internal static Op Create(OpAttributes a)
    {
        int[] Read(string name) => Array.ConvertAll(a.GetInt64s(name), v =>
            v is >= int.MinValue and <= int.MaxValue ? (int)v : throw a.Bad(name, $"holds {v}, outside the sizes a tensor has"));
        int[] starts = Read("starts"), counts = Read("counts"), steps = Read("steps");
        if (counts.Length != starts.Length || steps.Length != starts.Length)
            throw a.Bad("steps", $"'starts', 'counts' and 'steps' have {starts.Length}, {counts.Length} and {steps.Length} entries, expected one of each per axis");
        if (starts.Any(s => s < 0)) throw a.Bad("starts", "holds a negative index, expected indices of at least 0");
        if (counts.Any(c => c < 1)) throw a.Bad("counts", "holds a count below 1, expected at least 1");
        if (steps.Any(s => s == 0)) throw a.Bad("steps", "holds 0, expected steps other than 0");
        return new SliceOp(starts, counts, steps);
    }

    public override void WriteAttributes(OpAttributes attributes) =>
        attributes.Set("starts", Array.ConvertAll(_starts, v => (long)v)).Set("counts", Array.ConvertAll(_counts, v => (long)v))
            .Set("steps", Array.ConvertAll(_steps, v => (long)v));

    protected override int[][] Maps(TensorShape input)
    {
        if (input.Rank != _starts.Length)
            throw new ArgumentException($"slice {Describe(_starts, _counts, _steps)} takes samples of {_starts.Length} axes; the input is {input}.");
        var maps = new int[input.Rank][];
        for (int k = 0; k < input.Rank; k++)
        {
            long last = _starts[k] + (long)(_counts[k] - 1) * _steps[k];
            if (_starts[k] >= input[k] || last < 0 || last >= input[k])
                throw new ArgumentException($"slice {Describe(_starts, _counts, _steps)}: axis {k} of {input} has indices 0 to {input[k] - 1}; the window reads {_starts[k]} to {last}.");
            int start = _starts[k], step = _steps[k];
            maps[k] = [.. Enumerable.Range(0, _counts[k]).Select(i => start + (i * step))];
        }
        return maps;
    }

    private static string Describe(int[] starts, int[] counts, int[] steps) =>
        $"from [{string.Join(", ", starts)}], [{string.Join(", ", counts)}] elements, steps [{string.Join(", ", steps)}]";

    public override string ToString() => $"Slice({Describe(_starts, _counts, _steps)})";
}
