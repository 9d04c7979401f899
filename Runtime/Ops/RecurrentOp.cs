using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// What the recurrent ops (<see cref="LstmOp"/>, <see cref="GruOp"/>, <see cref="RnnOp"/>) share: the inputs, the
/// weights in ONNX's layout, the input projection, the walk over time in each direction, sequence lengths and
/// backpropagation through time.
/// <para>
/// Inputs, per sample (batch-first, as PyTorch's <c>batch_first=True</c>): x [steps, features]; with
/// <see cref="HasInitialState"/> the initial hidden state [directions·hidden] (and, for an LSTM, the initial cell
/// state after it), direction-major as ONNX's initial_h [directions, batch, hidden] transposed to batch-first; with
/// <see cref="HasLengths"/> last, the sequence's length [1], a whole number in [0, steps]. Steps at or past a sample's
/// length neither change its state nor receive gradient, and its output there is zero (as in ONNX Runtime); the
/// backward direction starts at the sample's last step.
/// </para>
/// <para>
/// Outputs (<see cref="RecurrentOutputs"/>, in this order among those chosen): the hidden state of every step
/// [steps, directions·hidden] (ONNX's Y [steps, directions, batch, hidden] batch-first, the directions side by side
/// as in PyTorch); the final hidden state [directions·hidden] (ONNX's Y_h, PyTorch's h_n): after each sample's last
/// step forward, after step 0 in reverse; and an LSTM's final cell state, alike (Y_c).
/// </para>
/// <para>
/// Tensors in ONNX's layout, so ONNX's W, R and B (and PyTorch's weight_ih, weight_hh, bias_ih and bias_hh of each
/// direction, gate order converted) load unchanged: <c>w</c> [directions·gates·hidden, features], <c>r</c>
/// [directions·gates·hidden, hidden], <c>b</c> [directions·2·gates·hidden] (Wb then Rb per direction).
/// </para>
/// <para>
/// Computation: one GEMM projects the inputs of every step and both directions at once (x·Wᵀ + biases) into the gate
/// buffer [batch·steps, directions·gates·hidden]; each step adds one recurrent GEMM of the previous state (R packed once a pass) into its
/// rows and runs the fused cell kernel of <c>Runtime.Intrinsics/Recurrent</c> over them. The state before every step
/// is kept [batch·steps, directions·hidden], in the rows of the gate buffer, so backward computes dW, dR and dx each in
/// one GEMM over all steps.
/// </para>
/// <para>
/// Layouts: ONNX's layout=1 is this op's (X [batch, steps, features], Y [batch, steps, directions, hidden], which is
/// [steps, directions·hidden] per sample). ONNX's default layout=0 puts time first (X [steps, batch, features], Y
/// [steps, directions, batch, hidden], Y_h [directions, batch, hidden]); the runtime keeps the batch outermost, so an
/// importer maps it by swapping the first two axes where the graph's tensors cross into and out of the op. Inside,
/// every GEMM and cell kernel addresses the rows of a step by a row stride, so a time-first buffer would change only
/// the strides (<see cref="GateOffset"/>, <see cref="StateOffset"/>), not the kernels.
/// Not supported (an importer must refuse them): LSTM peepholes, clip, input_forget, activations other than the
/// defaults (RNN: tanh or ReLU).
/// </para>
/// </summary>
public abstract class RecurrentOp : Op
{
    private protected const int WeightsIndex = 0, RecurrentIndex = 1, BiasIndex = 2;
    private protected const int ScratchGates = 0, ScratchHistory = 1, ScratchFinal = 2, ScratchBias = 3, ScratchHiddenGradient = 4;

    /// <summary>The first scratch region a cell declares for itself.</summary>
    private protected const int FirstCellScratch = 5;

    // Frozen: W packed once for the input projection, and each direction's panels of R for the per-step products.
    private GemmPackedB? _packedInput;
    private GemmPackedB[]? _packedRecurrent;

    // Training: the same panels of R packed again at the start of every forward pass (the update changes R), so
    // that the steps' products do not each pack them; reused from pass to pass.
    private GemmPackedB[]? _passRecurrent;

    private protected RecurrentOp(int hidden, RecurrentDirection direction, RecurrentOutputs outputs, bool initialState, bool lengths)
    {
        if (hidden <= 0) throw new ArgumentException($"A recurrent layer needs a hidden size of at least 1, got {hidden}.");
        Hidden = hidden;
        if (!Enum.IsDefined(direction)) throw new ArgumentException($"{direction} is not a direction; expected Forward, Reverse or Bidirectional.");
        Direction = direction;
        if (outputs == 0 || (outputs & ~(RecurrentOutputs.Sequence | RecurrentOutputs.FinalState | RecurrentOutputs.FinalCell)) != 0)
            throw new ArgumentException($"'{outputs}' is not a choice of outputs; expected Sequence, FinalState and/or FinalCell.");
        Outputs = outputs;
        HasInitialState = initialState;
        HasLengths = lengths;
    }

    /// <summary>Hidden size.</summary>
    public int Hidden { get; }

    /// <summary>Forward, reverse, or both with a second set of weights and both states side by side.</summary>
    public RecurrentDirection Direction { get; }

    public bool Bidirectional => Direction == RecurrentDirection.Bidirectional;

    /// <summary>Sets of weights and states: 2 when bidirectional, else 1.</summary>
    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>What the op outputs, in the order of <see cref="RecurrentOutputs"/>.</summary>
    public RecurrentOutputs Outputs { get; }

    /// <summary>Output 0 is the state of every step [steps, directions·hidden].</summary>
    public bool ReturnsSequence => (Outputs & RecurrentOutputs.Sequence) != 0;

    /// <summary>The index of the output holding the final value of state k (0 hidden, 1 cell), or -1 when it is not output.</summary>
    public int FinalOutput(int state)
    {
        var flag = state == 0 ? RecurrentOutputs.FinalState : RecurrentOutputs.FinalCell;
        if ((Outputs & flag) == 0) return -1;
        int index = ReturnsSequence ? 1 : 0;
        return state == 1 && (Outputs & RecurrentOutputs.FinalState) != 0 ? index + 1 : index;
    }

    /// <summary>The initial state(s) come as inputs after x; otherwise they are zero.</summary>
    public bool HasInitialState { get; }

    /// <summary>Each sample's length comes as the last input.</summary>
    public bool HasLengths { get; }

    /// <summary>Time steps of a sample (known once the op is in a graph).</summary>
    public int Steps { get; private set; }

    /// <summary>Input features per step.</summary>
    public int Features { get; private set; }

    /// <summary>Gates per direction: 4 for an LSTM, 3 for a GRU, 1 for an RNN.</summary>
    public abstract int GateCount { get; }

    /// <summary>States carried from step to step: 2 for an LSTM (hidden and cell), else 1.</summary>
    public virtual int StateCount => 1;

    /// <summary>The input that holds initial state k (0 hidden, 1 cell), when <see cref="HasInitialState"/>.</summary>
    public static int InitialStateInput(int state) => 1 + state;

    /// <summary>The input that holds the lengths, when <see cref="HasLengths"/>.</summary>
    public int LengthsInput => 1 + (HasInitialState ? StateCount : 0);

    /// <summary>[directions·gates·hidden, features], ONNX's W.</summary>
    public Span<float> InputWeights => Data(WeightsIndex);

    /// <summary>[directions·gates·hidden, hidden], ONNX's R.</summary>
    public Span<float> RecurrentWeights => Data(RecurrentIndex);

    /// <summary>[directions·2·gates·hidden], ONNX's B: Wb then Rb per direction.</summary>
    public Span<float> Bias => Data(BiasIndex);

    public Span<float> InputWeightGradients => Gradient(WeightsIndex);

    public Span<float> RecurrentWeightGradients => Gradient(RecurrentIndex);

    public Span<float> BiasGradients => Gradient(BiasIndex);

    private protected int GateWidth => GateCount * Hidden;

    /// <summary>Elements from one batch row of the gate buffer to the next (one step apart: <see cref="GateWidth"/>·directions).</summary>
    private protected int GateStride => Steps * Directions * GateWidth;

    /// <summary>Elements from one batch row of a state history to the next.</summary>
    private protected int StateStride => Steps * Directions * Hidden;

    private protected int FinalStride => Directions * Hidden;

    private protected int GateOffset(int n, int t, int d) => ((n * Steps + t) * Directions + d) * GateWidth;

    private protected int StateOffset(int n, int t, int d) => ((n * Steps + t) * Directions + d) * Hidden;

    private protected int FinalOffset(int n, int d) => (n * Directions + d) * Hidden;

    /// <summary>The common attributes; the cells add theirs.</summary>
    public override void WriteAttributes(OpAttributes attributes) => attributes
        .Set("hidden", Hidden)
        .Set("direction", DirectionName(Direction))
        .Set("output", OutputNames(Outputs))
        .Set("initial_state", HasInitialState ? 1 : 0)
        .Set("lengths", HasLengths ? 1 : 0);

    /// <summary>The common attributes as a factory reads them: hidden, direction, returns sequence, initial state, lengths.</summary>
    /// <summary>", reverse" or ", bidirectional" for a layer's description; empty forward.</summary>
    private protected string DirectionSuffix => Direction == RecurrentDirection.Forward ? "" : ", " + DirectionName(Direction);

    private static string DirectionName(RecurrentDirection direction) => direction switch
    {
        RecurrentDirection.Reverse => "reverse",
        RecurrentDirection.Bidirectional => "bidirectional",
        _ => "forward",
    };

    private static readonly (string Name, RecurrentOutputs Flag)[] OutputTable =
        [("sequence", RecurrentOutputs.Sequence), ("last", RecurrentOutputs.FinalState), ("cell", RecurrentOutputs.FinalCell)];

    private static string OutputNames(RecurrentOutputs outputs) => string.Join("+", OutputTable.Where(o => (outputs & o.Flag) != 0).Select(o => o.Name));

    private protected static (int Hidden, RecurrentDirection Direction, RecurrentOutputs Outputs, bool InitialState, bool Lengths) ReadAttributes(OpAttributes a)
    {
        int hidden = a.GetInt32("hidden", 1, 1 << 20);
        string direction = a.GetString("direction", "forward");
        RecurrentDirection parsed = direction switch
        {
            "forward" => RecurrentDirection.Forward,
            "reverse" => RecurrentDirection.Reverse,
            "bidirectional" => RecurrentDirection.Bidirectional,
            _ => throw a.Bad("direction", $"is '{direction}', expected forward, reverse or bidirectional"),
        };
        string output = a.GetString("output", "sequence");
        RecurrentOutputs outputs = 0;
        foreach (string part in output.Split('+')) outputs |= OutputTable.FirstOrDefault(o => o.Name == part).Flag;
        // Written back, the names must be what was read: none unknown, repeated or out of order.
        if (outputs == 0 || OutputNames(outputs) != output)
            throw a.Bad("output", $"is '{output}', expected sequence, last and/or cell joined by '+' in that order (sequence+last, say)");
        bool initial = a.Contains("initial_state") && a.GetInt32("initial_state", 0, 1) == 1;
        bool lengths = a.Contains("lengths") && a.GetInt32("lengths", 0, 1) == 1;
        return (hidden, parsed, outputs, initial, lengths);
    }

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        int expected = 1 + (HasInitialState ? StateCount : 0) + (HasLengths ? 1 : 0);
        if (inputs.Length != expected)
            throw new ArgumentException($"{Kind} takes {expected} input{(expected == 1 ? "" : "s")} ({InputNames()}), got {inputs.Length}.");
        OpChecks.Rank(this, inputs[0], 2, "sequences [steps, features]; reshape a flat input to [steps, features] first");
        if (inputs[0][0] == 0 || inputs[0][1] == 0)
            throw new ArgumentException($"{Kind} takes at least one step of at least one feature, got {inputs[0]}.");
        Steps = inputs[0][0];
        Features = inputs[0][1];
        var state = new TensorShape(Directions * Hidden);
        for (int k = 0; HasInitialState && k < StateCount; k++)
        {
            if (inputs[InitialStateInput(k)] != state)
                throw new ArgumentException($"{Kind}'s initial {StateName(k)} state is {inputs[InitialStateInput(k)]} per sample, expected {state} (directions·hidden).");
        }
        if (HasLengths && inputs[LengthsInput] != new TensorShape(1))
            throw new ArgumentException($"{Kind}'s sequence lengths are {inputs[LengthsInput]} per sample, expected [1] (one length per sample).");
        // One sample's gate rows are addressed by int offsets; the graph builder reports an overflow in the user's terms.
        _ = checked(Steps * Directions * GateWidth);
        if ((Outputs & RecurrentOutputs.FinalCell) != 0 && StateCount < 2)
            throw new ArgumentException($"{Kind} has no cell state to output; choose its sequence and/or its final state.");
        var shapes = new List<TensorShape>();
        if (ReturnsSequence) shapes.Add(new TensorShape(Steps, Directions * Hidden));
        if ((Outputs & RecurrentOutputs.FinalState) != 0) shapes.Add(state);
        if ((Outputs & RecurrentOutputs.FinalCell) != 0) shapes.Add(state);
        return [.. shapes];
    }

    private string InputNames()
    {
        var names = new List<string> { "x" };
        if (HasInitialState) names.AddRange(Enumerable.Range(0, StateCount).Select(k => $"initial {StateName(k)} state"));
        if (HasLengths) names.Add("lengths");
        return string.Join(", ", names);
    }

    private protected static string StateName(int k) => k == 0 ? "hidden" : "cell";

    protected override OpTensor[] DeclareTensors() =>
    [
        new("w", new TensorShape(Directions * GateWidth, Features), Trainable: true),
        new("r", new TensorShape(Directions * GateWidth, Hidden), Trainable: true),
        new("b", new TensorShape(Directions * 2 * GateWidth), Trainable: true),
    ];

    internal override int[] ScratchLengths(int maxBatch, bool training)
    {
        checked
        {
            int rows = maxBatch * Steps;
            return
            [
                rows * Directions * GateWidth, rows * Directions * Hidden, maxBatch * Directions * Hidden,
                Directions * GateWidth, maxBatch * Hidden, .. CellScratchLengths(maxBatch),
            ];
        }
    }

    /// <summary>The cell's own scratch regions, from <see cref="FirstCellScratch"/> on.</summary>
    private protected abstract int[] CellScratchLengths(int maxBatch);

    /// <summary>PyTorch's initialization: every weight and bias uniform in ±1/√hidden.</summary>
    internal override void Initialize(DeterministicRandom random)
    {
        double bound = 1 / Math.Sqrt(Hidden);
        foreach (int index in (ReadOnlySpan<int>)[WeightsIndex, RecurrentIndex, BiasIndex])
        {
            Span<float> data = Data(index);
            for (int i = 0; i < data.Length; i++) data[i] = (float)((random.NextDouble() * 2 - 1) * bound);
        }
    }

    /// <summary>The scratch regions of state k's history [batch·steps, directions·hidden] and final value [batch, directions·hidden].</summary>
    private protected virtual (int History, int Final, int Gradient) StateScratch(int state) => (ScratchHistory, ScratchFinal, ScratchHiddenGradient);

    /// <summary>The bias the input projection adds to each gate of each direction [directions·gates·hidden] (Wb + Rb by default).</summary>
    private protected virtual void FoldBias(Span<float> bias)
    {
        ReadOnlySpan<float> b = Bias;
        int g = GateWidth;
        for (int d = 0; d < Directions; d++)
            for (int j = 0; j < g; j++) bias[d * g + j] = b[d * 2 * g + j] + b[d * 2 * g + g + j];
    }

    /// <summary>One step at time t of direction d over every row: the recurrent GEMM and the cell kernel on the rows active at t.</summary>
    private protected abstract void ForwardStep(in OpContext context, ReadOnlySpan<float> lengths, int t, int d);

    /// <summary>
    /// All steps of direction d at once where a cell has a faster way than step by step (the initial state is in
    /// place; the states and final state are written as the steps would); false to run <see cref="ForwardStep"/>.
    /// </summary>
    private protected virtual bool ForwardSequence(in OpContext context, ReadOnlySpan<float> lengths, int d) => false;

    /// <summary>
    /// The backward of one step: from dh (dLoss/dh' of every row, in the hidden-gradient scratch) and the cell's own
    /// state gradients, writes the gate gradients over the gate rows of t (zero on inactive rows) and leaves
    /// dLoss/dhPrev (and the cell's dLoss/dcPrev) in their place.
    /// </summary>
    private protected abstract void BackwardStep(in OpContext context, ReadOnlySpan<float> lengths, int t, int d);

    /// <summary>dR of each direction from the gate gradients of all steps: dR = dGᵀ·hPrev over every step in one GEMM.</summary>
    private protected virtual void RecurrentGradients(in OpContext context)
    {
        int rows = context.Rows, h = Hidden, g = GateWidth;
        Span<float> gates = context.Scratch(ScratchGates), history = context.Scratch(ScratchHistory);
        for (int d = 0; d < Directions; d++)
        {
            Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, g, h, rows * Steps, 1f, gates[(d * g)..], Directions * g, history[(d * h)..], Directions * h,
                0f, RecurrentWeightGradients.Slice(d * g * h, g * h), h, default, context.Threads);
        }
    }

    /// <summary>The Rb part of the bias gradient; <paramref name="gateSums"/> holds the column sums of the gate gradients.</summary>
    private protected virtual void RecurrentBiasGradients(in OpContext context, ReadOnlySpan<float> gateSums)
    {
        Span<float> db = BiasGradients;
        int g = GateWidth;
        for (int d = 0; d < Directions; d++) gateSums.Slice(d * g, g).CopyTo(db.Slice(d * 2 * g + g, g));
    }

    /// <summary>A sample's length (all steps without a lengths input).</summary>
    private protected int Length(ReadOnlySpan<float> lengths, int n) => lengths.IsEmpty ? Steps : (int)lengths[n];

    /// <summary>Direction d runs from the last step back: the second of two, or the only one of a reverse layer.</summary>
    private protected bool Reverse(int d) => d == 1 || Direction == RecurrentDirection.Reverse;

    /// <summary>The step direction d starts at.</summary>
    private protected int FirstStep(int d) => Reverse(d) ? Steps - 1 : 0;

    /// <summary>
    /// The next run of consecutive rows from <paramref name="start"/> that are active at time t (t below their
    /// length); false when none is left. Without lengths every row is, in one run.
    /// </summary>
    private protected bool NextActiveRun(ReadOnlySpan<float> lengths, int rows, int t, ref int start, out int count)
    {
        while (start < rows && t >= Length(lengths, start)) start++;
        int end = start;
        while (end < rows && t < Length(lengths, end)) end++;
        count = end - start;
        return count > 0;
    }

    /// <summary>Where the state after time t of direction d goes: the history slot of the next step, or the final state.</summary>
    private protected (int Offset, int Stride, int Region) NextState(int n, int t, int d, int state)
    {
        var (history, final, _) = StateScratch(state);
        int next = Reverse(d) ? t - 1 : t + 1;
        return next >= 0 && next < Steps ? (StateOffset(n, next, d), StateStride, history) : (FinalOffset(n, d), FinalStride, final);
    }

    internal override void Forward(in OpContext context)
    {
        int rows = context.Rows, gw = Directions * GateWidth, h = Hidden;
        ReadOnlySpan<float> x = context.Input(0);
        ReadOnlySpan<float> lengths = HasLengths ? context.Input(LengthsInput) : default;
        CheckLengths(lengths, rows);
        Span<float> gates = context.Scratch(ScratchGates), bias = context.Scratch(ScratchBias)[..gw];
        FoldBias(bias);
        if (_packedInput is not null) Gemm.Multiply(rows * Steps, 1f, x, Features, _packedInput, 0f, gates, gw, new GemmEpilogue(bias), context.Threads);
        else
        {
            Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, rows * Steps, gw, Features, 1f, x, Features, InputWeights, Features, 0f, gates, gw,
                new GemmEpilogue(bias), context.Threads);
        }
        if (_packedRecurrent is null) PackRecurrentForPass();
        Span<float> y = ReturnsSequence ? context.Output(0) : default;
        for (int d = 0; d < Directions; d++)
        {
            int first = FirstStep(d);
            for (int k = 0; k < StateCount; k++)
            {
                Span<float> history = context.Scratch(StateScratch(k).History);
                ReadOnlySpan<float> initial = HasInitialState ? context.Input(InitialStateInput(k)) : default;
                for (int n = 0; n < rows; n++)
                {
                    Span<float> slot = history.Slice(StateOffset(n, first, d), h);
                    if (initial.IsEmpty) slot.Clear();
                    else initial.Slice(FinalOffset(n, d), h).CopyTo(slot);
                }
            }
            bool whole = ForwardSequence(context, lengths, d);
            for (int s = 0; s < Steps; s++)
            {
                int t = Reverse(d) ? Steps - 1 - s : s;
                if (!whole) ForwardStep(context, lengths, t, d);
                for (int n = 0; n < rows; n++)
                {
                    bool active = t < Length(lengths, n);
                    var (offset, _, region) = NextState(n, t, d, 0);
                    if (!active)
                    {
                        for (int k = 0; k < StateCount; k++)
                        {
                            var (history, _, _) = StateScratch(k);
                            var next = NextState(n, t, d, k);
                            context.Scratch(history).Slice(StateOffset(n, t, d), h).CopyTo(context.Scratch(next.Region).Slice(next.Offset, h));
                        }
                    }
                    if (!ReturnsSequence) continue;
                    Span<float> yRow = y.Slice(StateOffset(n, t, d), h);
                    if (active) context.Scratch(region).Slice(offset, h).CopyTo(yRow);
                    else yRow.Clear();
                }
            }
        }
        for (int k = 0; k < StateCount; k++)
            if (FinalOutput(k) >= 0) context.Scratch(StateScratch(k).Final)[..(rows * Directions * h)].CopyTo(context.Output(FinalOutput(k)));
    }

    internal override void Backward(in OpContext context)
    {
        int rows = context.Rows, gw = Directions * GateWidth, h = Hidden;
        ReadOnlySpan<float> x = context.Input(0);
        ReadOnlySpan<float> lengths = HasLengths ? context.Input(LengthsInput) : default;
        ReadOnlySpan<float> dy = ReturnsSequence ? context.OutputGradient(0) : default;
        Span<float> gates = context.Scratch(ScratchGates)[..(rows * Steps * gw)];
        Span<float> dh = context.Scratch(ScratchHiddenGradient)[..(rows * h)];
        for (int d = 0; d < Directions; d++)
        {
            for (int k = 0; k < StateCount; k++) context.Scratch(StateScratch(k).Gradient)[..(rows * h)].Clear();
            for (int s = Steps - 1; s >= 0; s--)
            {
                int t = Reverse(d) ? Steps - 1 - s : s;
                for (int n = 0; n < rows; n++)
                {
                    int length = Length(lengths, n);
                    if (t >= length) continue;
                    int last = Reverse(d) ? 0 : length - 1;
                    if (ReturnsSequence) Elementwise.Axpy(1f, dy.Slice(StateOffset(n, t, d), h), dh.Slice(n * h, h));
                    if (t != last) continue;
                    for (int k = 0; k < StateCount; k++)
                    {
                        if (FinalOutput(k) < 0) continue;
                        Elementwise.Axpy(1f, context.OutputGradient(FinalOutput(k)).Slice(FinalOffset(n, d), h),
                            context.Scratch(StateScratch(k).Gradient).Slice(n * h, h));
                    }
                }
                BackwardStep(context, lengths, t, d);
                for (int k = 0; HasInitialState && k < StateCount; k++)
                {
                    if (!context.NeedsInputGradient(InitialStateInput(k))) continue;
                    Span<float> dInitial = context.InputGradient(InitialStateInput(k));
                    Span<float> gradient = context.Scratch(StateScratch(k).Gradient);
                    for (int n = 0; n < rows; n++)
                    {
                        int length = Length(lengths, n);
                        int firstActive = Reverse(d) ? length - 1 : 0;
                        if (length > 0 && t == firstActive) gradient.Slice(n * h, h).CopyTo(dInitial.Slice(FinalOffset(n, d), h));
                    }
                }
            }
            // A sample of length 0 keeps its initial state: its final state is that state.
            for (int k = 0; HasInitialState && k < StateCount; k++)
            {
                if (!context.NeedsInputGradient(InitialStateInput(k))) continue;
                Span<float> dInitial = context.InputGradient(InitialStateInput(k));
                for (int n = 0; n < rows; n++)
                {
                    if (Length(lengths, n) > 0) continue;
                    Span<float> target = dInitial.Slice(FinalOffset(n, d), h);
                    if (FinalOutput(k) >= 0) context.OutputGradient(FinalOutput(k)).Slice(FinalOffset(n, d), h).CopyTo(target);
                    else target.Clear();
                }
            }
        }
        Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, gw, Features, rows * Steps, 1f, gates, gw, x, Features, 0f, InputWeightGradients, Features,
            default, context.Threads);
        if (context.NeedsInputGradient(0))
        {
            Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows * Steps, Features, gw, 1f, gates, gw, InputWeights, Features, 0f, context.InputGradient(0), Features,
                default, context.Threads);
        }
        RecurrentGradients(context);
        Span<float> sums = context.Scratch(ScratchBias)[..gw];
        Reductions.ColumnSums(gates, rows * Steps, gw, sums);
        Span<float> db = BiasGradients;
        int g = GateWidth;
        for (int d = 0; d < Directions; d++) sums.Slice(d * g, g).CopyTo(db.Slice(d * 2 * g, g));
        RecurrentBiasGradients(context, sums);
        if (HasLengths && context.NeedsInputGradient(LengthsInput)) context.InputGradient(LengthsInput).Clear();
    }

    /// <summary>How many panels (row ranges of each direction's R) the forward step multiplies by separately.</summary>
    private protected virtual int PanelCount => 1;

    /// <summary>Rows [First, First + Count) of a direction's R that panel p covers.</summary>
    private protected virtual (int First, int Count) Panel(int p) => (0, GateWidth);

    /// <summary>
    /// c = a·R[panel]ᵀ + beta·c for every row of the call, a [rows × hidden] and c [rows × panel rows], each with its
    /// row stride: from the panel packed when frozen, else from the one this forward pass packed.
    /// </summary>
    private protected void RecurrentProduct(in OpContext context, int d, int panel, ReadOnlySpan<float> a, int lda, float beta, Span<float> c, int ldc)
    {
        var packed = (_packedRecurrent ?? _passRecurrent!)[d * PanelCount + panel];
        Gemm.Multiply(context.Rows, 1f, a, lda, packed, beta, c, ldc, default, context.Threads);
    }

    private void PackRecurrentForPass()
    {
        _passRecurrent ??= new GemmPackedB[Directions * PanelCount];
        for (int d = 0; d < Directions; d++)
        {
            for (int p = 0; p < PanelCount; p++)
            {
                var (first, count) = Panel(p);
                ref GemmPackedB packed = ref _passRecurrent[d * PanelCount + p];
                packed = RecurrentPacking.Repack(packed, Hidden, count, RecurrentWeights.Slice((d * GateWidth + first) * Hidden, count * Hidden));
            }
        }
    }

    internal override void Prepare()
    {
        if (_packedInput is not null) return;
        _packedInput = Gemm.PackB(MatrixOp.Transpose, Features, Directions * GateWidth, InputWeights, Features);
        _packedRecurrent = new GemmPackedB[Directions * PanelCount];
        for (int d = 0; d < Directions; d++)
        {
            for (int p = 0; p < PanelCount; p++)
            {
                var (first, count) = Panel(p);
                _packedRecurrent[d * PanelCount + p] = Gemm.PackB(MatrixOp.Transpose, Hidden, count,
                    RecurrentWeights.Slice((d * GateWidth + first) * Hidden, count * Hidden), Hidden);
            }
        }
    }

    internal override void ReleasePrepared()
    {
        _packedInput?.Dispose();
        _packedInput = null;
        foreach (var packed in _packedRecurrent ?? []) packed.Dispose();
        _packedRecurrent = null;
        foreach (var packed in _passRecurrent ?? []) packed?.Dispose();
        _passRecurrent = null;
    }

    private void CheckLengths(ReadOnlySpan<float> lengths, int rows)
    {
        for (int n = 0; n < lengths.Length && n < rows; n++)
        {
            float v = lengths[n];
            if (!(v >= 0 && v <= Steps && v == MathF.Floor(v)))
                throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{Kind}: the length of sample {n} is {v}, expected a whole number of steps in [0, {Steps}]."));
        }
    }

    /// <summary>Zeroes the gate rows [width] of time t of direction d for the rows inactive at t (their gradient is zero).</summary>
    private protected void ClearInactive(Span<float> buffer, int width, int stride, int offsetOfRow0, ReadOnlySpan<float> lengths, int rows, int t)
    {
        for (int n = 0; n < lengths.Length && n < rows; n++)
            if (t >= Length(lengths, n)) buffer.Slice(offsetOfRow0 + n * stride, width).Clear();
    }
}
