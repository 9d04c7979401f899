using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Ops;

/// <summary>
/// Long short-term memory (ONNX <c>LSTM</c> without peepholes, clipping or coupled gates; PyTorch <c>nn.LSTM</c> with
/// <c>batch_first=True</c> for one layer): gates in ONNX's order i, o, f, c, so W, R and B load unchanged. See
/// <see cref="RecurrentOp"/> for the inputs, outputs, lengths and layout. Carries two states: with an initial state,
/// the initial hidden state is input 1 and the initial cell state input 2.
/// Backward per step (<see cref="LstmCell.Backward(int, int, Span{float}, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int)"/>):
/// the gate gradients from dh and dc, then dhPrev = dG·R in one GEMM over the batch.
/// </summary>
public sealed partial class LstmOp : RecurrentOp
{
    public const string Name = "lstm";
    private const int ScratchCellHistory = FirstCellScratch, ScratchCellFinal = FirstCellScratch + 1, ScratchCellGradient = FirstCellScratch + 2;

    // Frozen: each direction's R packed gate by gate for a single row's steps (LstmCell.ForwardRowSequence, or
    // ForwardRow step by step with lengths), where a step is bound by reading R; more rows share each read of R
    // through GEMM's panels.
    private GatePackedWeights[]? _rowRecurrent;

    /// <param name="hidden">Hidden size.</param>
    /// <param name="direction">Forward, reverse, or both (a second set of weights from the last step back; both states side by side).</param>
    /// <param name="outputs">The state of every step, the final state (and an LSTM's final cell state): any of them, in that order.</param>
    /// <param name="initialState">Take the initial hidden and cell states as inputs 1 and 2 (else zero).</param>
    /// <param name="lengths">Take each sample's length as the last input.</param>
    public LstmOp(int hidden, RecurrentDirection direction = RecurrentDirection.Forward, RecurrentOutputs outputs = RecurrentOutputs.Sequence, bool initialState = false, bool lengths = false)
        : base(hidden, direction, outputs, initialState, lengths) { }

    public override string Kind => Name;

    public override int GateCount => LstmCell.Gates;

    public override int StateCount => 2;

    internal static Op Create(OpAttributes a)
    {
        var (hidden, direction, outputs, initial, lengths) = ReadAttributes(a);
        return new LstmOp(hidden, direction, outputs, initial, lengths);
    }

    private int[] CellStateScratchLengths(int maxBatch) =>
        [checked(maxBatch * Steps * Directions * Hidden), maxBatch * Directions * Hidden, maxBatch * Hidden];

    private protected override (int History, int Final, int Gradient) StateScratch(int state) =>
        state == 0 ? base.StateScratch(0) : (ScratchCellHistory, ScratchCellFinal, ScratchCellGradient);

    /// <summary>One row without lengths: the whole sequence in one fused kernel call, each step's last block of units overlapping the next step.</summary>
    private protected override bool ForwardSequence(in OpContext context, ReadOnlySpan<float> lengths, int d)
    {
        if (context.Rows != 1 || _rowRecurrent is null || !lengths.IsEmpty) return false;
        int h = Hidden, g = GateWidth, stride = Directions * h;
        LstmCell.ForwardRowSequence(_rowRecurrent[d], Steps, context.Scratch(ScratchGates)[GateOffset(0, 0, d)..], Directions * g,
            context.Scratch(ScratchHistory)[StateOffset(0, 0, d)..], context.Scratch(ScratchCellHistory)[StateOffset(0, 0, d)..], stride,
            Reverse(d), zeroInitialState: !HasInitialState,
            context.Scratch(ScratchFinal).Slice(FinalOffset(0, d), h), context.Scratch(ScratchCellFinal).Slice(FinalOffset(0, d), h));
        return true;
    }

    private protected override void ForwardStep(in OpContext context, ReadOnlySpan<float> lengths, int t, int d)
    {
        int rows = context.Rows, h = Hidden, g = GateWidth;
        Span<float> gates = context.Scratch(ScratchGates), history = context.Scratch(ScratchHistory), cells = context.Scratch(ScratchCellHistory);
        if (rows == 1 && _rowRecurrent is not null)
        {
            if (t >= Length(lengths, 0)) return;
            var (hAt, _, hRegion) = NextState(0, t, d, 0);
            var (cAt, _, cRegion) = NextState(0, t, d, 1);
            LstmCell.ForwardRow(_rowRecurrent[d], history.Slice(StateOffset(0, t, d), h), gates.Slice(GateOffset(0, t, d), g),
                cells.Slice(StateOffset(0, t, d), h), context.Scratch(cRegion).Slice(cAt, h), context.Scratch(hRegion).Slice(hAt, h));
            return;
        }
        // The first step's state is zero without an initial state: its product adds nothing.
        if (HasInitialState || t != FirstStep(d))
            RecurrentProduct(context, d, 0, history[StateOffset(0, t, d)..], StateStride, 1f, gates[GateOffset(0, t, d)..], GateStride);
        for (int start = 0; NextActiveRun(lengths, rows, t, ref start, out int count); start += count)
        {
            var (hAt, hStride, hRegion) = NextState(start, t, d, 0);
            var (cAt, cStride, cRegion) = NextState(start, t, d, 1);
            LstmCell.Forward(count, h, gates[GateOffset(start, t, d)..], GateStride, cells[StateOffset(start, t, d)..], StateStride,
                context.Scratch(cRegion)[cAt..], cStride, context.Scratch(hRegion)[hAt..], hStride);
        }
    }

    private protected override void BackwardStep(in OpContext context, ReadOnlySpan<float> lengths, int t, int d)
    {
        int rows = context.Rows, h = Hidden, g = GateWidth;
        Span<float> gates = context.Scratch(ScratchGates), cells = context.Scratch(ScratchCellHistory);
        Span<float> dh = context.Scratch(ScratchHiddenGradient)[..(rows * h)], dc = context.Scratch(ScratchCellGradient);
        for (int start = 0; NextActiveRun(lengths, rows, t, ref start, out int count); start += count)
        {
            var (cAt, cStride, cRegion) = NextState(start, t, d, 1);
            LstmCell.Backward(count, h, gates[GateOffset(start, t, d)..], GateStride, cells[StateOffset(start, t, d)..], StateStride,
                context.Scratch(cRegion)[cAt..], cStride, dh[(start * h)..], h, dc[(start * h)..], h);
        }
        ClearInactive(gates, g, GateStride, GateOffset(0, t, d), lengths, rows, t);
        // Backward ends at the first step: dLoss/dhPrev there is the initial state's gradient, wanted or not.
        if (t == FirstStep(d) && !(HasInitialState && context.NeedsInputGradient(InitialStateInput(0)))) return;
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows, h, g, 1f, gates[GateOffset(0, t, d)..], GateStride,
            RecurrentWeights.Slice(d * g * h, g * h), h, 0f, dh, h, default, context.Threads);
    }

    internal override void Prepare()
    {
        base.Prepare();
        if (_rowRecurrent is not null) return;
        int h = Hidden, g = GateWidth;
        _rowRecurrent = new GatePackedWeights[Directions];
        for (int d = 0; d < Directions; d++) _rowRecurrent[d] = new GatePackedWeights(LstmCell.Gates, h, h, RecurrentWeights.Slice(d * g * h, g * h), Isa.Width);
        PrepareStacked();
    }

    internal override void ReleasePrepared()
    {
        base.ReleasePrepared();
        foreach (var packed in _rowRecurrent ?? []) packed.Dispose();
        _rowRecurrent = null;
        ReleaseStacked();
    }

    public override string ToString() => $"LSTM({Features}→{Hidden}{DirectionSuffix})";
}
