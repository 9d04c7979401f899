using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// z = condition ? a : b elementwise (ONNX's Where) with numpy's broadcasting of the three over the sample axes.
/// The condition is a boolean held as a float (a comparison's 1 or 0; any value but ±0 is true). Each operand is an
/// input, sharing the batch, or a fixed constant the op holds (broadcast over the batch too): PyTorch's masking is
/// Where(mask, x, −∞) with a constant mask and a constant branch. The inputs are the operands that are not constants,
/// in the order condition, a, b. Backward: a's gradient is dz where the condition holds, b's where it does not, each
/// summed over the axes it was broadcast along; the condition's is zero.
/// </summary>
public sealed class WhereOp : Op
{
    public const string Name = "where";

    private static readonly string[] OperandNames = ["condition", "a", "b"];

    private readonly TensorShape?[] _constants;
    private readonly int[] _slot = new int[3], _tensor = new int[3];
    private int[] _outDims = [];
    private int[][] _strides = [];
    private readonly int[] _lengths = new int[3];
    private int _outLength;
    private int _scratchA = -1, _scratchB = -1;

    /// <summary>Where of three inputs, or with the operands given a shape held as constants.</summary>
    public WhereOp(TensorShape? condition = null, TensorShape? a = null, TensorShape? b = null)
    {
        _constants = [condition, a, b];
        if (condition is not null && a is not null && b is not null)
            throw new ArgumentException("Where needs at least one input; three constants fold to a constant.");
        int slot = 0, tensor = 0;
        for (int o = 0; o < 3; o++)
        {
            _slot[o] = _constants[o] is null ? slot++ : -1;
            _tensor[o] = _constants[o] is null ? -1 : tensor++;
        }
    }

    public override string Kind => Name;

    /// <summary>The operand's constant shape (0 condition, 1 a, 2 b), or null when it is an input.</summary>
    public TensorShape? ConstantShape(int operand) => _constants[operand];

    /// <summary>The constant operand's values (empty when it is an input).</summary>
    public Span<float> Constant(int operand) => _tensor[operand] < 0 ? default : Data(_tensor[operand]);

    private int InputCount => _constants.Count(c => c is null);

    internal static Op Create(OpAttributes a)
    {
        var shapes = new TensorShape?[3];
        for (int o = 0; o < 3; o++)
        {
            string name = OperandNames[o];
            if (!a.Contains(name)) continue;
            long[] dims = a.GetInt64s(name);
            if (dims.Length > TensorShape.MaxRank || dims.Any(d => d < 1 || d > int.MaxValue))
                throw a.Bad(name, $"is [{string.Join(", ", dims)}], expected at most {TensorShape.MaxRank} positive sizes");
            shapes[o] = new TensorShape([.. dims.Select(d => (int)d)]);
        }
        if (shapes.All(s => s is not null)) throw a.Bad("b", "is a constant, as are the condition and a; expected at least one input");
        return new WhereOp(shapes[0], shapes[1], shapes[2]);
    }

    public override void WriteAttributes(OpAttributes attributes)
    {
        for (int o = 0; o < 3; o++)
            if (_constants[o] is TensorShape c) attributes.Set(OperandNames[o], [.. c.ToArray().Select(d => (long)d)]);
    }

    protected override OpTensor[] DeclareTensors() =>
        [.. Enumerable.Range(0, 3).Where(o => _constants[o] is not null).Select(o => new OpTensor(OperandNames[o], _constants[o]!.Value, Trainable: false))];

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, InputCount);
        var shapes = new TensorShape[3];
        for (int o = 0; o < 3; o++) shapes[o] = _constants[o] ?? inputs[_slot[o]];
        int[] dims = BroadcastRuns.Shape(shapes, out int axis)
            ?? throw new ArgumentException($"where takes shapes that broadcast (aligned from the last axis, each set of sizes equal or 1); {Describe(shapes, 0)}, {Describe(shapes, 1)} and {Describe(shapes, 2)} differ on axis {axis}.");
        _outDims = dims;
        _strides = [.. shapes.Select(s => BroadcastRuns.Strides(s, dims))];
        for (int o = 0; o < 3; o++) _lengths[o] = shapes[o].Length;
        var output = new TensorShape(dims);
        _outLength = output.Length;
        return [output];
    }

    private string Describe(TensorShape[] shapes, int operand) =>
        $"{(_constants[operand] is null ? "the input" : "the constant")} {OperandNames[operand]} {shapes[operand]}";

    /// <summary>A branch that is an input of the output's own shape takes its gradient in place; a broadcast one needs a region to sum from.</summary>
    private bool Full(int operand) => _constants[operand] is null && _lengths[operand] == _outLength;

    internal override int[] ScratchLengths(int maxBatch, bool training)
    {
        _scratchA = _scratchB = -1;
        if (!training) return [];
        var lengths = new List<int>();
        if (_constants[1] is null && !Full(1)) { _scratchA = lengths.Count; lengths.Add(maxBatch * _outLength); }
        if (_constants[2] is null && !Full(2)) { _scratchB = lengths.Count; lengths.Add(maxBatch * _outLength); }
        return [.. lengths];
    }

    /// <summary>The values a new model's constant operands start from (a builder's), by operand; null leaves one zero.</summary>
    internal float[]?[] InitialConstants { get; } = new float[]?[3];

    internal override void Initialize(DeterministicRandom random)
    {
        for (int o = 0; o < 3; o++)
            if (_tensor[o] >= 0 && InitialConstants[o] is float[] values) values.CopyTo(Data(_tensor[o]));
    }

    private ReadOnlySpan<float> Operand(in OpContext context, int operand) =>
        _constants[operand] is null ? context.Input(_slot[operand]) : Data(_tensor[operand]);

    private BroadcastRuns Runs(int rows, Span<int> space)
    {
        Span<int> batch = stackalloc int[3];
        for (int o = 0; o < 3; o++) batch[o] = _constants[o] is null ? _lengths[o] : 0;
        return new BroadcastRuns(rows, _outDims, batch, _strides, space);
    }

    internal override void Forward(in OpContext context)
    {
        ReadOnlySpan<float> c = Operand(context, 0), a = Operand(context, 1), b = Operand(context, 2);
        Span<float> z = context.Output(0);
        var runs = Runs(context.Rows, stackalloc int[BroadcastRuns.Space]);
        Span<int> at = stackalloc int[3];
        int n = runs.Inner;
        bool cr = runs.IsRun(0), ar = runs.IsRun(1), br = runs.IsRun(2);
        for (int j = 0; j < runs.Count; j++)
        {
            runs.Offsets(j, at);
            WhereMath.Forward(c.Slice(at[0], cr ? n : 1), a.Slice(at[1], ar ? n : 1), b.Slice(at[2], br ? n : 1), z.Slice(j * n, n));
        }
    }

    internal override void Backward(in OpContext context)
    {
        bool needA = _constants[1] is null && context.NeedsInputGradient(_slot[1]);
        bool needB = _constants[2] is null && context.NeedsInputGradient(_slot[2]);
        if (needA || needB) BranchGradients(context, needA, needB);
        // Last: the condition's gradient may share memory with dz, which the branches read.
        if (_constants[0] is null && context.NeedsInputGradient(_slot[0])) context.InputGradient(_slot[0]).Clear();
    }

    private void BranchGradients(in OpContext context, bool needA, bool needB)
    {
        ReadOnlySpan<float> c = Operand(context, 0), dz = context.OutputGradient(0);
        Span<float> da = needA ? context.InputGradient(_slot[1]) : default, db = needB ? context.InputGradient(_slot[2]) : default;
        int length = context.Rows * _outLength;
        // A broadcast branch's per-element terms go to scratch first and are summed once dz is no longer read,
        // so its gradient may share memory with dz.
        Span<float> ta = !needA ? default : Full(1) ? da : context.Scratch(_scratchA)[..length];
        Span<float> tb = !needB ? default : Full(2) ? db : context.Scratch(_scratchB)[..length];
        var runs = Runs(context.Rows, stackalloc int[BroadcastRuns.Space]);
        Span<int> at = stackalloc int[3];
        int n = runs.Inner;
        bool cr = runs.IsRun(0);
        for (int j = 0; j < runs.Count; j++)
        {
            runs.Offsets(j, at);
            WhereMath.Backward(c.Slice(at[0], cr ? n : 1), dz.Slice(j * n, n), needA ? ta.Slice(j * n, n) : default, needB ? tb.Slice(j * n, n) : default);
        }
        if (needA && !Full(1)) Sum(runs, ta, da, 1);
        if (needB && !Full(2)) Sum(runs, tb, db, 2);
    }

    /// <summary>The branch's gradient: the terms of every run added where the branch's elements were read.</summary>
    private static void Sum(in BroadcastRuns runs, ReadOnlySpan<float> terms, Span<float> gradient, int operand)
    {
        gradient.Clear();
        int n = runs.Inner;
        bool run = runs.IsRun(operand);
        Span<int> at = stackalloc int[3];
        for (int j = 0; j < runs.Count; j++)
        {
            runs.Offsets(j, at);
            ReadOnlySpan<float> t = terms.Slice(j * n, n);
            if (run) Elementwise.Axpy(1, t, gradient.Slice(at[operand], n));
            else gradient[at[operand]] += Reductions.Sum(t);
        }
    }

    public override string ToString() =>
        $"Where({string.Join(", ", Enumerable.Range(0, 3).Select(o => _constants[o] is TensorShape s ? $"constant {OperandNames[o]} {s}" : OperandNames[o]))})";
}
