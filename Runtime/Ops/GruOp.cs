using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Ops;

/// <summary>
/// Gated recurrent unit (ONNX <c>GRU</c>, PyTorch <c>nn.GRU</c> with <c>batch_first=True</c> for one layer): gates in
/// ONNX's order z, r, h, so W, R and B load unchanged. <see cref="LinearBeforeReset"/> chooses where the reset gate
/// applies: after the recurrent product (PyTorch, and ONNX's linear_before_reset=1) or to the state before it (ONNX's
/// default). See <see cref="RecurrentOp"/> for the inputs, outputs, lengths and layout.
/// </summary>
public sealed class GruOp : RecurrentOp
{
    public const string Name = "gru";

    // Linear before reset: the recurrent products of every step [batch·steps, directions·3·hidden] (the gate layout);
    // backward leaves the recurrent side's gate gradients there. Otherwise: r⊙hPrev of every step (the state layout),
    // and d(r⊙hPrev) of one step.
    private const int ScratchRecurrent = FirstCellScratch, ScratchResetGradient = FirstCellScratch + 1;

    /// <param name="hidden">Hidden size.</param>
    /// <param name="linearBeforeReset">n = tanh(Wx + r⊙(Rh + Rb)) as PyTorch (true), or tanh(Wx + R(r⊙h) + Rb) as ONNX's default (false).</param>
    /// <param name="direction">Forward, reverse, or both (a second set of weights from the last step back; both states side by side).</param>
    /// <param name="outputs">The state of every step, the final state (and an LSTM's final cell state): any of them, in that order.</param>
    /// <param name="initialState">Take the initial hidden state as input 1 (else zero).</param>
    /// <param name="lengths">Take each sample's length as the last input.</param>
    public GruOp(int hidden, bool linearBeforeReset = true, RecurrentDirection direction = RecurrentDirection.Forward, RecurrentOutputs outputs = RecurrentOutputs.Sequence, bool initialState = false,
        bool lengths = false)
        : base(hidden, direction, outputs, initialState, lengths) => LinearBeforeReset = linearBeforeReset;

    public override string Kind => Name;

    public override int GateCount => GruCell.Gates;

    /// <summary>The reset gate scales the recurrent product (true: PyTorch) or the state before it (false: ONNX's default).</summary>
    public bool LinearBeforeReset { get; }

    internal static Op Create(OpAttributes a)
    {
        var (hidden, direction, outputs, initial, lengths) = ReadAttributes(a);
        bool linear = !a.Contains("linear_before_reset") || a.GetInt32("linear_before_reset", 0, 1) == 1;
        return new GruOp(hidden, linear, direction, outputs, initial, lengths);
    }

    public override void WriteAttributes(OpAttributes attributes)
    {
        base.WriteAttributes(attributes);
        attributes.Set("linear_before_reset", LinearBeforeReset ? 1 : 0);
    }

    private protected override int[] CellScratchLengths(int maxBatch) => LinearBeforeReset
        ? [checked(maxBatch * Steps * Directions * GateWidth)]
        : [checked(maxBatch * Steps * Directions * Hidden), maxBatch * Hidden];

    /// <summary>Linear before reset keeps bRₙ out of the projection: the reset gate scales it with the product.</summary>
    private protected override void FoldBias(Span<float> bias)
    {
        base.FoldBias(bias);
        if (!LinearBeforeReset) return;
        int h = Hidden, g = GateWidth;
        for (int d = 0; d < Directions; d++) Bias.Slice(d * 2 * g + 2 * h, h).CopyTo(bias.Slice(d * g + 2 * h, h));
    }

    /// <summary>Reset before the product multiplies r⊙h by Rₙ apart from h by R_zr: two panels.</summary>
    private protected override int PanelCount => LinearBeforeReset ? 1 : 2;

    private protected override (int First, int Count) Panel(int p) =>
        LinearBeforeReset ? (0, GateWidth) : p == 0 ? (0, 2 * Hidden) : (2 * Hidden, Hidden);

    private ReadOnlySpan<float> CandidateBias(int d) => Bias.Slice(d * 2 * GateWidth + GateWidth + 2 * Hidden, Hidden);

    private protected override void ForwardStep(in OpContext context, ReadOnlySpan<float> lengths, int t, int d)
    {
        int rows = context.Rows, h = Hidden, g = GateWidth, at = GateOffset(0, t, d), state = StateOffset(0, t, d);
        Span<float> gates = context.Scratch(ScratchGates), history = context.Scratch(ScratchHistory), recurrent = context.Scratch(ScratchRecurrent);
        if (LinearBeforeReset)
        {
            RecurrentProduct(context, d, 0, history[state..], StateStride, 0f, recurrent[at..], GateStride);
            for (int start = 0; NextActiveRun(lengths, rows, t, ref start, out int count); start += count)
            {
                var (next, stride, region) = NextState(start, t, d, 0);
                GruCell.ForwardLinear(count, h, gates[GateOffset(start, t, d)..], GateStride, recurrent[GateOffset(start, t, d)..], GateStride,
                    CandidateBias(d), history[StateOffset(start, t, d)..], StateStride, context.Scratch(region)[next..], stride);
            }
            return;
        }
        RecurrentProduct(context, d, 0, history[state..], StateStride, 1f, gates[at..], GateStride);
        for (int start = 0; NextActiveRun(lengths, rows, t, ref start, out int count); start += count)
        {
            GruCell.ForwardResetGates(count, h, gates[GateOffset(start, t, d)..], GateStride, history[StateOffset(start, t, d)..], StateStride,
                recurrent[StateOffset(start, t, d)..], StateStride);
        }
        // Inactive rows' r⊙h meets zero gradients in dR's GEMM: it must be finite.
        ClearInactive(recurrent, h, StateStride, state, lengths, rows, t);
        RecurrentProduct(context, d, 1, recurrent[state..], StateStride, 1f, gates[(at + 2 * h)..], GateStride);
        for (int start = 0; NextActiveRun(lengths, rows, t, ref start, out int count); start += count)
        {
            var (next, stride, region) = NextState(start, t, d, 0);
            GruCell.ForwardCandidate(count, h, gates[GateOffset(start, t, d)..], GateStride, history[StateOffset(start, t, d)..], StateStride,
                context.Scratch(region)[next..], stride);
        }
    }

    private protected override void BackwardStep(in OpContext context, ReadOnlySpan<float> lengths, int t, int d)
    {
        int rows = context.Rows, h = Hidden, g = GateWidth, at = GateOffset(0, t, d);
        Span<float> gates = context.Scratch(ScratchGates), history = context.Scratch(ScratchHistory), recurrent = context.Scratch(ScratchRecurrent);
        Span<float> dh = context.Scratch(ScratchHiddenGradient)[..(rows * h)];
        ReadOnlySpan<float> weights = RecurrentWeights.Slice(d * g * h, g * h);
        if (LinearBeforeReset)
        {
            for (int start = 0; NextActiveRun(lengths, rows, t, ref start, out int count); start += count)
            {
                GruCell.BackwardLinear(count, h, gates[GateOffset(start, t, d)..], GateStride, recurrent[GateOffset(start, t, d)..], GateStride,
                    history[StateOffset(start, t, d)..], StateStride, dh[(start * h)..], h);
            }
            ClearInactive(gates, g, GateStride, at, lengths, rows, t);
            ClearInactive(recurrent, g, GateStride, at, lengths, rows, t);
            Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows, h, g, 1f, recurrent[at..], GateStride, weights, h, 1f, dh, h, default, context.Threads);
            return;
        }
        Span<float> dReset = context.Scratch(ScratchResetGradient)[..(rows * h)];
        for (int start = 0; NextActiveRun(lengths, rows, t, ref start, out int count); start += count)
        {
            GruCell.BackwardCandidate(count, h, gates[GateOffset(start, t, d)..], GateStride, history[StateOffset(start, t, d)..], StateStride,
                dh[(start * h)..], h);
        }
        ClearInactive(gates, g, GateStride, at, lengths, rows, t);
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows, h, h, 1f, gates[(at + 2 * h)..], GateStride, weights[(2 * h * h)..], h, 0f, dReset, h,
            default, context.Threads);
        for (int start = 0; NextActiveRun(lengths, rows, t, ref start, out int count); start += count)
        {
            GruCell.BackwardResetGates(count, h, gates[GateOffset(start, t, d)..], GateStride, history[StateOffset(start, t, d)..], StateStride,
                dReset[(start * h)..], h, dh[(start * h)..], h);
        }
        Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows, h, 2 * h, 1f, gates[at..], GateStride, weights[..(2 * h * h)], h, 1f, dh, h,
            default, context.Threads);
    }

    private protected override void RecurrentGradients(in OpContext context)
    {
        if (LinearBeforeReset)
        {
            RecurrentProductGradients(context, context.Scratch(ScratchRecurrent), 0, GateWidth, context.Scratch(ScratchHistory));
            return;
        }
        RecurrentProductGradients(context, context.Scratch(ScratchGates), 0, 2 * Hidden, context.Scratch(ScratchHistory));
        RecurrentProductGradients(context, context.Scratch(ScratchGates), 2 * Hidden, Hidden, context.Scratch(ScratchRecurrent));
    }

    /// <summary>Rows [first, first + count) of each direction's dR: the gradients there (transposed) times what multiplied R, over every step.</summary>
    private void RecurrentProductGradients(in OpContext context, ReadOnlySpan<float> gradients, int first, int count, ReadOnlySpan<float> factors)
    {
        int rows = context.Rows, h = Hidden, g = GateWidth;
        for (int d = 0; d < Directions; d++)
        {
            Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, count, h, rows * Steps, 1f, gradients[(d * g + first)..], Directions * g,
                factors[(d * h)..], Directions * h, 0f, RecurrentWeightGradients.Slice(d * g * h + first * h, count * h), h, default, context.Threads);
        }
    }

    private protected override void RecurrentBiasGradients(in OpContext context, ReadOnlySpan<float> gateSums)
    {
        if (!LinearBeforeReset)
        {
            base.RecurrentBiasGradients(context, gateSums);
            return;
        }
        int rows = context.Rows, g = GateWidth;
        Span<float> sums = context.Scratch(ScratchBias)[..(Directions * g)];
        Reductions.ColumnSums(context.Scratch(ScratchRecurrent)[..(rows * Steps * Directions * g)], rows * Steps, Directions * g, sums);
        Span<float> db = BiasGradients;
        for (int d = 0; d < Directions; d++) sums.Slice(d * g, g).CopyTo(db.Slice(d * 2 * g + g, g));
    }

    public override string ToString() => $"GRU({Features}→{Hidden}{(LinearBeforeReset ? "" : ", reset before product")}{DirectionSuffix})";
}
