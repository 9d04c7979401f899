using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// z = f(a, b) elementwise with numpy's broadcasting over the sample axes (aligned from the last; each pair of sizes
/// equal or one of them 1), f one of <see cref="BinaryFunction"/> (ONNX's Add, Sub, Mul, Div, Pow, Max, Min, the comparisons and And, Or,
/// Xor, which give 1 or 0: a boolean held as a float).
/// The operands are two inputs, which share the batch, or one input and a constant the op holds ("constant", on
/// either side, broadcast over the batch too): a fixed buffer, or a trainable parameter (a bias, a scale).
/// The shapes are cut into contiguous runs (the same shape is one run of the whole batch; a row against a matrix
/// and a column against a matrix are runs of a row), each run one <see cref="BinaryMath"/> call.
/// Backward: each operand's gradient is dy·∂f/∂operand, summed over the axes it was broadcast along (max and min
/// split dy evenly on ties, as PyTorch's torch.maximum does; the comparisons and logical functions pass zeros).
/// </summary>
public sealed class BinaryOp : Op
{
    public const string Name = "binary";

    private const int MaxAxes = TensorShape.MaxRank + 1;

    private int[] _outDims = [];
    private int[] _aStrides = [];
    private int[] _bStrides = [];
    private int _aLength, _bLength, _outLength;
    private int _scratchA = -1, _scratchB = -1;

    /// <summary>f of two inputs.</summary>
    public BinaryOp(BinaryFunction function) : this(function, null, false, false) { }

    /// <summary>f of one input and a constant of one sample's shape (or one that broadcasts against it).</summary>
    /// <param name="constantFirst">True for f(constant, x), false for f(x, constant).</param>
    /// <param name="trainable">True when training updates the constant (a parameter), false for a fixed buffer.</param>
    public BinaryOp(BinaryFunction function, TensorShape constant, bool constantFirst = false, bool trainable = false)
        : this(function, (TensorShape?)constant, constantFirst, trainable) { }

    private BinaryOp(BinaryFunction function, TensorShape? constant, bool constantFirst, bool trainable)
    {
        if (!Enum.IsDefined(function)) throw new ArgumentOutOfRangeException(nameof(function), function, "Not a binary function.");
        Function = function;
        ConstantShape = constant;
        ConstantFirst = constant is not null && constantFirst;
        Trainable = constant is not null && trainable;
    }

    public override string Kind => Name;

    public BinaryFunction Function { get; }

    /// <summary>The constant operand's shape; null when both operands are inputs.</summary>
    public TensorShape? ConstantShape { get; }

    public bool ConstantFirst { get; }

    public bool Trainable { get; }

    /// <summary>The constant operand's values (empty when both operands are inputs).</summary>
    public Span<float> Constant => ConstantShape is null ? default : Data(0);

    internal static Op Create(OpAttributes a)
    {
        BinaryFunction f = MathFunctionNames.ParseBinary(a, "function");
        if (!a.Contains("constant")) return new BinaryOp(f);
        long[] dims = a.GetInt64s("constant");
        if (dims.Length > TensorShape.MaxRank || dims.Any(d => d < 1 || d > int.MaxValue))
            throw a.Bad("constant", $"is [{string.Join(", ", dims)}], expected at most {TensorShape.MaxRank} positive sizes");
        long first = a.GetInt64("constant_first", 0), trainable = a.GetInt64("trainable", 0);
        if (first is not (0 or 1)) throw a.Bad("constant_first", $"is {first}, expected 0 (f(x, constant)) or 1 (f(constant, x))");
        if (trainable is not (0 or 1)) throw a.Bad("trainable", $"is {trainable}, expected 0 (a fixed constant) or 1 (a parameter)");
        return new BinaryOp(f, new TensorShape([.. dims.Select(d => (int)d)]), first == 1, trainable == 1);
    }

    public override void WriteAttributes(OpAttributes attributes)
    {
        attributes.Set("function", MathFunctionNames.Name(Function));
        if (ConstantShape is not TensorShape c) return;
        attributes.Set("constant", [.. c.ToArray().Select(d => (long)d)]).Set("constant_first", ConstantFirst ? 1 : 0).Set("trainable", Trainable ? 1 : 0);
    }

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        OpChecks.Count(this, inputs, ConstantShape is null ? 2 : 1);
        TensorShape a = ConstantShape is TensorShape c && ConstantFirst ? c : inputs[0];
        TensorShape b = ConstantShape is TensorShape d ? (ConstantFirst ? inputs[0] : d) : inputs[1];
        int rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (int k = 0; k < rank; k++)
        {
            int da = Size(a, k, rank), db = Size(b, k, rank);
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{MathFunctionNames.Name(Function)} takes shapes that broadcast (aligned from the last axis, each pair of sizes equal or one of them 1); {Describe(a, true)} and {Describe(b, false)} differ on axis {k - rank} ({da} against {db}).");
            dims[k] = Math.Max(da, db);
        }
        _outDims = dims;
        _aStrides = Strides(a, dims);
        _bStrides = Strides(b, dims);
        _aLength = a.Length;
        _bLength = b.Length;
        var output = new TensorShape(dims);
        _outLength = output.Length;
        return [output];
    }

    private string Describe(TensorShape shape, bool first)
    {
        string role = ConstantShape is null ? (first ? "the first input" : "the second input") : first == ConstantFirst ? "the constant" : "the input";
        return $"{role} {shape}";
    }

    private static int Size(TensorShape s, int k, int rank) => k < rank - s.Rank ? 1 : s[k - (rank - s.Rank)];

    /// <summary>The operand's strides along the output's axes; 0 along an axis it is broadcast over.</summary>
    private static int[] Strides(TensorShape s, int[] dims)
    {
        var strides = new int[dims.Length];
        int stride = 1;
        for (int k = dims.Length - 1; k >= 0; k--)
        {
            int size = Size(s, k, dims.Length);
            strides[k] = size == 1 ? 0 : stride;
            stride *= size;
        }
        return strides;
    }

    protected override OpTensor[] DeclareTensors() => ConstantShape is TensorShape c ? [new("constant", c, Trainable)] : [];

    private bool AIsConstant => ConstantShape is not null && ConstantFirst;

    private bool BIsConstant => ConstantShape is not null && !ConstantFirst;

    /// <summary>An operand that is an input of the output's own shape takes its gradient in place; any other that trains needs a region to sum from.</summary>
    private bool AFull => !AIsConstant && _aLength == _outLength;

    private bool BFull => !BIsConstant && _bLength == _outLength;

    internal override int[] ScratchLengths(int maxBatch, bool training)
    {
        _scratchA = _scratchB = -1;
        if (!training) return [];
        var lengths = new List<int>();
        if (!AFull && (!AIsConstant || Trainable)) { _scratchA = lengths.Count; lengths.Add(maxBatch * _outLength); }
        if (!BFull && (!BIsConstant || Trainable)) { _scratchB = lengths.Count; lengths.Add(maxBatch * _outLength); }
        return [.. lengths];
    }

    /// <summary>The constant's values in a new model (a builder's); null starts it from f's identity.</summary>
    internal float[]? InitialConstant { get; set; }

    /// <summary>
    /// A fresh constant holds <see cref="InitialConstant"/>, else f's identity on the constant's side where it has one
    /// (0 to add, 1 to multiply), so a new op passes x through.
    /// </summary>
    internal override void Initialize(DeterministicRandom random)
    {
        if (ConstantShape is null) return;
        if (InitialConstant is float[] values)
        {
            values.CopyTo(Constant);
            return;
        }
        Constant.Fill(Function switch
        {
            BinaryFunction.Add or BinaryFunction.Subtract => 0,
            BinaryFunction.Maximum => float.NegativeInfinity,
            BinaryFunction.Minimum => float.PositiveInfinity,
            _ => 1,
        });
    }

    internal override void Forward(in OpContext context)
    {
        ReadOnlySpan<float> a = AIsConstant ? Data(0) : context.Input(0);
        ReadOnlySpan<float> b = BIsConstant ? Data(0) : context.Input(ConstantShape is null ? 1 : 0);
        Span<float> z = context.Output(0);
        var runs = new Runs(this, context.Rows, stackalloc int[3 * MaxAxes]);
        for (int j = 0; j < runs.Count; j++)
        {
            runs.Offsets(j, out int at, out int bt);
            BinaryMath.Forward(Function, a.Slice(at, runs.ARun ? runs.Inner : 1), b.Slice(bt, runs.BRun ? runs.Inner : 1), z.Slice(j * runs.Inner, runs.Inner));
        }
    }

    internal override void Backward(in OpContext context)
    {
        int bSlot = ConstantShape is null ? 1 : 0;
        bool needA = AIsConstant ? Trainable : context.NeedsInputGradient(0);
        bool needB = BIsConstant ? Trainable : context.NeedsInputGradient(bSlot);
        if (!needA && !needB) return;
        ReadOnlySpan<float> a = AIsConstant ? Data(0) : context.Input(0);
        ReadOnlySpan<float> b = BIsConstant ? Data(0) : context.Input(bSlot);
        ReadOnlySpan<float> z = context.Output(0), dy = context.OutputGradient(0);
        Span<float> da = !needA ? default : AIsConstant ? Gradient(0) : context.InputGradient(0);
        Span<float> db = !needB ? default : BIsConstant ? Gradient(0) : context.InputGradient(bSlot);
        int length = context.Rows * _outLength;
        // A broadcast operand's per-element terms go to scratch first and are summed once dy is no longer read,
        // so its gradient may share memory with dy.
        Span<float> ta = !needA ? default : AFull ? da : context.Scratch(_scratchA)[..length];
        Span<float> tb = !needB ? default : BFull ? db : context.Scratch(_scratchB)[..length];
        var runs = new Runs(this, context.Rows, stackalloc int[3 * MaxAxes]);
        int n = runs.Inner;
        for (int j = 0; j < runs.Count; j++)
        {
            runs.Offsets(j, out int at, out int bt);
            BinaryMath.Backward(Function, a.Slice(at, runs.ARun ? n : 1), b.Slice(bt, runs.BRun ? n : 1), z.Slice(j * n, n), dy.Slice(j * n, n),
                needA ? ta.Slice(j * n, n) : default, needB ? tb.Slice(j * n, n) : default);
        }
        if (needA && !AFull) Sum(runs, ta, da, first: true);
        if (needB && !BFull) Sum(runs, tb, db, first: false);
    }

    /// <summary>The operand's gradient: the terms of every run added where the operand's elements were read.</summary>
    private static void Sum(in Runs runs, ReadOnlySpan<float> terms, Span<float> gradient, bool first)
    {
        gradient.Clear();
        int n = runs.Inner;
        bool run = first ? runs.ARun : runs.BRun;
        for (int j = 0; j < runs.Count; j++)
        {
            runs.Offsets(j, out int at, out int bt);
            int offset = first ? at : bt;
            ReadOnlySpan<float> t = terms.Slice(j * n, n);
            if (run) Elementwise.Axpy(1, t, gradient.Slice(offset, n));
            else gradient[offset] += Reductions.Sum(t);
        }
    }

    /// <summary>
    /// The batch and sample axes with size-1 axes dropped and neighbours merged where both operands are contiguous
    /// across them; the last is the run, along which each operand is contiguous or one broadcast value.
    /// </summary>
    private readonly ref struct Runs
    {
        private readonly Span<int> _dims, _a, _b;
        private readonly int _outer;

        public Runs(BinaryOp op, int rows, Span<int> space)
        {
            _dims = space[..MaxAxes];
            _a = space.Slice(MaxAxes, MaxAxes);
            _b = space.Slice(2 * MaxAxes, MaxAxes);
            int k = 0;
            Append(ref k, rows, op.AIsConstant ? 0 : op._aLength, op.BIsConstant ? 0 : op._bLength);
            for (int i = 0; i < op._outDims.Length; i++) Append(ref k, op._outDims[i], op._aStrides[i], op._bStrides[i]);
            _outer = k - 1;
            Inner = k == 0 ? 1 : _dims[k - 1];
            ARun = k > 0 && _a[k - 1] != 0;
            BRun = k > 0 && _b[k - 1] != 0;
            int count = rows == 0 || op._outLength == 0 ? 0 : 1;
            for (int i = 0; i < _outer; i++) count *= _dims[i];
            Count = count;
        }

        /// <summary>Elements per run.</summary>
        public int Inner { get; }

        /// <summary>Runs in all.</summary>
        public int Count { get; }

        /// <summary>True when a (b) is contiguous along the run, false when one value of it serves the whole run.</summary>
        public bool ARun { get; }

        public bool BRun { get; }

        public void Offsets(int run, out int a, out int b)
        {
            a = b = 0;
            for (int i = _outer - 1; i >= 0; i--)
            {
                int index = run % _dims[i];
                run /= _dims[i];
                a += index * _a[i];
                b += index * _b[i];
            }
        }

        private void Append(ref int k, int size, int a, int b)
        {
            if (size == 1) return;
            if (k > 0 && _a[k - 1] == a * size && _b[k - 1] == b * size)
            {
                _dims[k - 1] *= size;
                _a[k - 1] = a;
                _b[k - 1] = b;
                return;
            }
            _dims[k] = size;
            _a[k] = a;
            _b[k] = b;
            k++;
        }
    }

    public override string ToString() => ConstantShape is TensorShape c
        ? (ConstantFirst ? $"Binary({MathFunctionNames.Name(Function)}, constant {c}, x)" : $"Binary({MathFunctionNames.Name(Function)}, x, constant {c})")
        : $"Binary({MathFunctionNames.Name(Function)})";
}
