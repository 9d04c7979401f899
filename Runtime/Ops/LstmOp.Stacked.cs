using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Ops;

/// <summary>
/// Frozen, several rows: each step is one GEMM of [xₜ | hₜ₋₁] by [W | R]ᵀ (K = features + hidden), with the biases
/// in its epilogue, then the cell. The training layout instead projects every step's input in one GEMM of
/// K = features (28 in the reference model: too short a K for the tile to reach the FMA peak) and adds each step's
/// recurrent GEMM into it (reading the gates back). Stacked, the step's gates are one GEMM over a K that fills the
/// tile, written once, into one step's buffer that stays in cache; the state moves from step to step in the
/// stacked rows themselves (the cell writes hₜ beside xₜ₊₁). The sums run in another order than the training
/// forward's (the same values within rounding, as the frozen model's other products).
/// One row keeps the fused row step (<see cref="LstmCell.ForwardRow"/>), and sequence lengths the per-step path.
/// </summary>
public sealed partial class LstmOp
{
    private GemmPackedB[]? _stacked;

    private int StackedWidth => Features + Hidden;

    private bool RunsStacked(int rows) => _stacked is not null && rows > 1 && !HasLengths;

    // Two stacked [xₜ | hₜ₋₁] buffers and two cell states, used in turn, and one step's gates. Declared in training
    // plans too (a few rows' worth): a prepared op may run in either plan.
    private protected override int[] CellScratchLengths(int maxBatch) =>
        [.. CellStateScratchLengths(maxBatch), checked(2 * maxBatch * StackedWidth + 2 * maxBatch * Hidden + maxBatch * GateWidth)];

    private const int ScratchStacked = FirstCellScratch + 3;

    private void PrepareStacked()
    {
        int g = GateWidth, f = Features, h = Hidden, k = StackedWidth;
        _stacked = new GemmPackedB[Directions];
        var rows = new float[g * k];
        for (int d = 0; d < Directions; d++)
        {
            ReadOnlySpan<float> w = InputWeights.Slice(d * g * f, g * f), r = RecurrentWeights.Slice(d * g * h, g * h);
            for (int j = 0; j < g; j++)
            {
                w.Slice(j * f, f).CopyTo(rows.AsSpan(j * k, f));
                r.Slice(j * h, h).CopyTo(rows.AsSpan(j * k + f, h));
            }
            _stacked[d] = Gemm.PackB(MatrixOp.Transpose, k, g, rows, k);
        }
    }

    private void ReleaseStacked()
    {
        foreach (var packed in _stacked ?? []) packed.Dispose();
        _stacked = null;
    }

    internal override void Forward(in OpContext context)
    {
        if (!RunsStacked(context.Rows)) base.Forward(context);
        else ForwardStacked(context);
    }

    private void ForwardStacked(in OpContext context)
    {
        int rows = context.Rows, f = Features, h = Hidden, g = GateWidth, k = StackedWidth;
        ReadOnlySpan<float> x = context.Input(0);
        Span<float> bias = context.Scratch(ScratchBias)[..(Directions * g)];
        FoldBias(bias);
        Span<float> region = context.Scratch(ScratchStacked);
        Span<float> stackedA = region[..(rows * k)], stackedB = region.Slice(rows * k, rows * k);
        Span<float> cellA = region.Slice(2 * rows * k, rows * h), cellB = region.Slice(2 * rows * k + rows * h, rows * h);
        Span<float> gates = region.Slice(2 * rows * k + 2 * rows * h, rows * g);
        Span<float> y = ReturnsSequence ? context.Output(0) : default;
        for (int d = 0; d < Directions; d++)
        {
            Span<float> now = stackedA, next = stackedB, c = cellA, cNext = cellB;
            for (int n = 0; n < rows; n++)
            {
                Span<float> hSlot = now.Slice(n * k + f, h), cSlot = c.Slice(n * h, h);
                if (HasInitialState)
                {
                    context.Input(InitialStateInput(0)).Slice(FinalOffset(n, d), h).CopyTo(hSlot);
                    context.Input(InitialStateInput(1)).Slice(FinalOffset(n, d), h).CopyTo(cSlot);
                }
                else
                {
                    hSlot.Clear();
                    cSlot.Clear();
                }
            }
            for (int s = 0; s < Steps; s++)
            {
                int t = Reverse(d) ? Steps - 1 - s : s;
                for (int n = 0; n < rows; n++) x.Slice((n * Steps + t) * f, f).CopyTo(now.Slice(n * k, f));
                Gemm.Multiply(rows, 1f, now, k, _stacked![d], 0f, gates, g, new GemmEpilogue(bias.Slice(d * g, g)), context.Threads);
                LstmCell.Forward(rows, h, gates, g, c, h, cNext, h, next[f..], k);
                for (int n = 0; ReturnsSequence && n < rows; n++) next.Slice(n * k + f, h).CopyTo(y.Slice(StateOffset(n, t, d), h));
                Span<float> swap = now;
                now = next;
                next = swap;
                swap = c;
                c = cNext;
                cNext = swap;
            }
            for (int n = 0; n < rows; n++)
            {
                if (FinalOutput(0) >= 0) now.Slice(n * k + f, h).CopyTo(context.Output(FinalOutput(0)).Slice(FinalOffset(n, d), h));
                if (FinalOutput(1) >= 0) c.Slice(n * h, h).CopyTo(context.Output(FinalOutput(1)).Slice(FinalOffset(n, d), h));
            }
        }
    }
}
