using System.Globalization;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// Each sample padded on its axes (ONNX's Pad): before[k] elements in front of axis k and after[k] behind it, filled as
/// <see cref="PadMode"/> says; a negative count crops instead. Backward crops the gradient back to the input (constant
/// mode) and adds the gradients of reflected, repeated or wrapped copies into the elements they copy.
/// </summary>
public sealed class PadOp : AxisMapOp
{
    public const string Name = "pad";

    private static readonly (string Name, PadMode Mode)[] Modes =
        [("constant", PadMode.Constant), ("reflect", PadMode.Reflect), ("edge", PadMode.Edge), ("wrap", PadMode.Wrap)];

    private readonly int[] _before, _after;

    public PadOp(int[] before, int[] after, PadMode mode = PadMode.Constant, float value = 0)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.Length != after.Length || before.Length > TensorShape.MaxRank)
            throw new ArgumentException($"pad takes one count before and one after each of at most {TensorShape.MaxRank} axes, got {before.Length} and {after.Length}.", nameof(after));
        if (!Enum.IsDefined(mode)) throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a pad mode.");
        _before = (int[])before.Clone();
        _after = (int[])after.Clone();
        Mode = mode;
        Value = value;
    }

    public override string Kind => Name;

    public IReadOnlyList<int> Before => _before;

    public IReadOnlyList<int> After => _after;

    public PadMode Mode { get; }

    /// <summary>The fill of <see cref="PadMode.Constant"/>.</summary>
    public float Value { get; }

    protected override float Fill => Value;

    /// <summary>ONNX's (and the model file's) name of the mode.</summary>
    public static string ModeName(PadMode mode) => Modes.First(m => m.Mode == mode).Name;

    /// <summary>The mode of an ONNX name; null for none of them.</summary>
    public static PadMode? ParseMode(string name) => Modes.Any(m => m.Name == name) ? Modes.First(m => m.Name == name).Mode : null;

    public static IEnumerable<string> ModeNames => Modes.Select(m => m.Name);

    internal static Op Create(OpAttributes a)
    {
        int[] Counts(string name) => Array.ConvertAll(a.GetInt64s(name), c =>
            c is >= int.MinValue and <= int.MaxValue ? (int)c : throw a.Bad(name, $"holds {c}, outside the sizes a tensor has"));
        string mode = a.GetString("mode", "constant");
        PadMode m = ParseMode(mode) ?? throw a.Bad("mode", $"is '{mode}', expected one of {string.Join(", ", ModeNames)}");
        int[] before = Counts("before"), after = Counts("after");
        if (before.Length != after.Length) throw a.Bad("after", $"has {after.Length} counts, expected one per axis as 'before' has ({before.Length})");
        return new PadOp(before, after, m, (float)a.GetDouble("value", 0));
    }

    public override void WriteAttributes(OpAttributes attributes) =>
        attributes.Set("before", Array.ConvertAll(_before, c => (long)c)).Set("after", Array.ConvertAll(_after, c => (long)c))
            .Set("mode", ModeName(Mode)).Set("value", Value);

    protected override int[][] Maps(TensorShape input)
    {
        if (input.Rank != _before.Length)
            throw new ArgumentException($"pad {Describe()} takes samples of {_before.Length} axes; the input is {input}.");
        var maps = new int[input.Rank][];
        for (int k = 0; k < input.Rank; k++)
        {
            int d = input[k];
            long size = (long)d + _before[k] + _after[k];
            if (size < 1 || size > int.MaxValue)
                throw new ArgumentException($"pad {Describe()}: axis {k} of {input} would have {size} elements; expected at least 1.");
            if (Mode != PadMode.Constant && (-_before[k] >= d || -_after[k] >= d))
                throw new ArgumentException($"pad {Describe()}: axis {k} of {input} is cropped to nothing on one side, so {ModeName(Mode)} has nothing to copy.");
            maps[k] = [.. Enumerable.Range(0, (int)size).Select(i => Source(i - _before[k], d))];
        }
        return maps;
    }

    /// <summary>The input index output position p (relative to the input's start) copies; −1 for the constant.</summary>
    private int Source(long p, int d)
    {
        if (p >= 0 && p < d) return (int)p;
        switch (Mode)
        {
            case PadMode.Edge: return p < 0 ? 0 : d - 1;
            case PadMode.Wrap: return (int)(((p % d) + d) % d);
            case PadMode.Reflect:
                if (d == 1) return 0;
                long period = 2L * (d - 1), q = ((p % period) + period) % period;
                return (int)(q < d ? q : period - q);
            default: return -1;
        }
    }

    private string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"[{string.Join(", ", _before)}] before, [{string.Join(", ", _after)}] after ({ModeName(Mode)}{(Mode == PadMode.Constant ? $" {Value}" : "")})");

    public override string ToString() => $"Pad({Describe()})";
}
