using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

public static unsafe partial class LstmCell
{
    /// <summary>
    /// One LSTM step of a single batch row, the recurrent product fused with the cell: for each block of units of
    /// <paramref name="r"/> (packed by <see cref="GatePackedWeights"/> at its width), the four gates' sums
    /// hPrev·Rᵀ are accumulated in registers from one stream of weights, the step's input projection (x·Wᵀ + biases,
    /// [4·hidden] in the order i, o, f, c) is added and the cell runs on them, writing c' and h'. Nothing of the
    /// gates is stored: this is inference's step (training keeps the gate activations for backward and runs GEMM and
    /// <see cref="Forward(int, int, Span{float}, int, ReadOnlySpan{float}, int, Span{float}, int, Span{float}, int)"/>).
    /// Each gate's sum runs over k in order from zero and then adds the projection, as GEMM's one-row kernel with
    /// beta 1 does, so a step gives the bits of that GEMM (K within one of its blocks) and the cell.
    /// h' and c' must not overlap hPrev or cPrev.
    /// </summary>
    public static void ForwardRow(GatePackedWeights r, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> projection, ReadOnlySpan<float> cPrev,
        Span<float> c, Span<float> h)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.Gates != Gates) throw new ArgumentException($"An LSTM step needs weights of {Gates} gates, got {r.Gates}.", nameof(r));
        int hidden = r.Hidden;
        CellRows.Check(hPrev.Length, 1, r.K, r.K, nameof(hPrev));
        CellRows.Check(projection.Length, 1, Gates * hidden, Gates * hidden, nameof(projection));
        CellRows.Check(cPrev.Length, 1, hidden, hidden, nameof(cPrev));
        CellRows.Check(c.Length, 1, hidden, hidden, nameof(c));
        CellRows.Check(h.Length, 1, hidden, hidden, nameof(h));
        fixed (float* ph = hPrev, pp = projection, pcp = cPrev, pc = c, pho = h)
            Run(r, new RowSequence(r, 1, pp, 0, ph, pcp, 0, reverse: false, zeroInitialState: false, pho, pc));
    }

    /// <summary>
    /// A whole sequence of single-row steps of one direction, as <see cref="ForwardRow"/> runs one (the same bits),
    /// with each step's last block of units left pending into the next step: its cell runs once the next step's
    /// first block has summed the lower units of h, which are ready, so it no longer stalls the stream of weights
    /// between steps (and no call or check runs per step).
    /// Slot t of <paramref name="h"/> and <paramref name="c"/> (at t·<paramref name="stateStride"/>) holds the
    /// state step t reads; step t writes the slot of the next step (t + 1, or t − 1 when <paramref name="reverse"/>),
    /// and the last step writes <paramref name="hFinal"/> and <paramref name="cFinal"/>. The first step reads the slot
    /// of step 0 (of step <paramref name="steps"/> − 1 in reverse). Step t adds the projection at
    /// t·<paramref name="projectionStride"/>. With <paramref name="zeroInitialState"/> the first step's recurrent
    /// sums are taken as zero (the state it reads must be zero) and its weights are not read.
    /// </summary>
    public static void ForwardRowSequence(GatePackedWeights r, int steps, ReadOnlySpan<float> projection, int projectionStride,
        Span<float> h, Span<float> c, int stateStride, bool reverse, bool zeroInitialState, Span<float> hFinal, Span<float> cFinal)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.Gates != Gates) throw new ArgumentException($"An LSTM step needs weights of {Gates} gates, got {r.Gates}.", nameof(r));
        int hidden = r.Hidden;
        if (r.K != hidden) throw new ArgumentException($"A sequence feeds h back into the product: the weights need k = hidden = {hidden}, got k {r.K}.", nameof(r));
        if (steps <= 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "A sequence needs at least one step.");
        if (projectionStride < Gates * hidden || stateStride < hidden)
            throw new ArgumentException($"Strides must hold a step: projection {projectionStride} (at least {Gates * hidden}), state {stateStride} (at least {hidden}).");
        CellRows.Check(projection.Length, steps, projectionStride, Gates * hidden, nameof(projection));
        CellRows.Check(h.Length, steps, stateStride, hidden, nameof(h));
        CellRows.Check(c.Length, steps, stateStride, hidden, nameof(c));
        CellRows.Check(hFinal.Length, 1, hidden, hidden, nameof(hFinal));
        CellRows.Check(cFinal.Length, 1, hidden, hidden, nameof(cFinal));
        fixed (float* pp = projection, ph = h, pc = c, phf = hFinal, pcf = cFinal)
            Run(r, new RowSequence(r, steps, pp, projectionStride, ph, pc, stateStride, reverse, zeroInitialState, phf, pcf));
    }

    private static void Run(GatePackedWeights r, in RowSequence s)
    {
        switch (r.Width)
        {
            case SimdWidth.V512: Row<Vector512<float>, Float512, Gate512>(in s); break;
            case SimdWidth.V256: Row<Vector256<float>, Float256, Gate256>(in s); break;
            case SimdWidth.V128: Row<Vector128<float>, Float128, Gate128>(in s); break;
            default: RowScalar(in s); break;
        }
        GC.KeepAlive(r);
    }

    private readonly struct RowSequence(GatePackedWeights r, int steps, float* projection, nint projectionStride, float* h, float* c, nint stateStride,
        bool reverse, bool zeroInitialState, float* hFinal, float* cFinal)
    {
        public readonly float* Weights = r.Data, Projection = projection, H = h, C = c, HFinal = hFinal, CFinal = cFinal;
        public readonly nint ProjectionStride = projectionStride, StateStride = stateStride;
        public readonly int Hidden = r.Hidden, K = r.K, Units = r.Units, Blocks = r.Blocks, Steps = steps;
        public readonly bool Reverse = reverse, ZeroInitialState = zeroInitialState;
        public readonly long BlockStride = r.BlockStride;

        /// <summary>The time of the s-th step run.</summary>
        public int Time(int s) => Reverse ? Steps - 1 - s : s;

        /// <summary>Where the s-th step writes its state: the next step's slot, or the final state.</summary>
        public void Next(int s, out float* h, out float* c)
        {
            if (s == Steps - 1)
            {
                h = HFinal;
                c = CFinal;
                return;
            }
            nint at = (Reverse ? Time(s) - 1 : Time(s) + 1) * StateStride;
            h = H + at;
            c = C + at;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row<TVec, TOps, TGate>(in RowSequence s)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TGate : struct, IGateVector<TVec>
    {
        int w = TOps.Count, units = s.Units, hidden = s.Hidden;
        // The pre-activations of the block whose cell is pending [gate][units], then (for a partial last block) its
        // cPrev, c' and h' padded to units.
        float* tile = stackalloc float[(Gates + 3) * 32];
        float* cPrevPad = tile + Gates * units, cPad = cPrevPad + units, hPad = cPad + units;
        nint step = Gates * units;
        CellStreams cell = default;
        for (int q = 0; q < Gates; q++) cell[q] = (nint)(tile + q * units);
        // pending: a block's cell waits in the tile. fromLastStep: it is the previous step's last block, whose units
        // the sums of this step reach at k = lastFirst; a padded one copies out to pendingC/pendingH.
        bool pending = false, fromLastStep = false;
        int lastFirst = (s.Blocks - 1) * units, lastValid = hidden - lastFirst;
        float* pendingC = null, pendingH = null;
        for (int si = 0; si < s.Steps; si++)
        {
            int t = s.Time(si);
            float* hPrev = s.H + t * s.StateStride, cPrev = s.C + t * s.StateStride, projection = s.Projection + t * s.ProjectionStride;
            s.Next(si, out float* hNext, out float* cNext);
            int k = si == 0 && s.ZeroInitialState ? 0 : s.K;
            for (int u = 0; u < s.Blocks; u++)
            {
                float* b = s.Weights + u * s.BlockStride;
                GateSums<TVec> sums = default;
                // The previous block's cell runs in two halves between the halves of this block's sums: alone after
                // them it would stall the stream of weights (its exp/tanh chains fill the scheduler), so the weights
                // keep loading while it computes. The previous step's last block runs whole once the sums reach its
                // units. Each sum runs over k in order.
                int mid = fromLastStep ? Math.Min(k / 2, lastFirst) : k / 2;
                Sum<TVec, TOps>(hPrev, b, 0, mid, step, ref sums);
                if (pending && !fromLastStep) LstmForwardKernel.Vector<TVec, TGate>(in cell, 0);
                else if (pending)
                {
                    LstmForwardKernel.VectorPair<TVec, TGate>(in cell, 0);
                    CopyPadded(lastValid, units, cPad, hPad, pendingC, pendingH);
                    fromLastStep = false;
                    pending = false;
                }
                Sum<TVec, TOps>(hPrev, b, mid, k, step, ref sums);
                if (pending) LstmForwardKernel.Vector<TVec, TGate>(in cell, w);
                TVec i0 = sums.I0, i1 = sums.I1, o0 = sums.O0, o1 = sums.O1, f0 = sums.F0, f1 = sums.F1, g0 = sums.G0, g1 = sums.G1;
                int first = u * units, valid = Math.Min(units, hidden - first);
                float* x = projection + first;
                if (valid == units)
                {
                    TOps.Store(TOps.Add(i0, TOps.Load(x)), tile); TOps.Store(TOps.Add(i1, TOps.Load(x + w)), tile + w);
                    x += hidden;
                    TOps.Store(TOps.Add(o0, TOps.Load(x)), tile + units); TOps.Store(TOps.Add(o1, TOps.Load(x + w)), tile + units + w);
                    x += hidden;
                    TOps.Store(TOps.Add(f0, TOps.Load(x)), tile + 2 * units); TOps.Store(TOps.Add(f1, TOps.Load(x + w)), tile + 2 * units + w);
                    x += hidden;
                    TOps.Store(TOps.Add(g0, TOps.Load(x)), tile + 3 * units); TOps.Store(TOps.Add(g1, TOps.Load(x + w)), tile + 3 * units + w);
                    cell[4] = (nint)(cPrev + first);
                    cell[5] = (nint)(cNext + first);
                    cell[6] = (nint)(hNext + first);
                }
                else
                {
                    // The last block's lanes past hidden: projection and cPrev read as zero; c' and h' go to the padded
                    // tile and are copied out for the valid lanes once the cell has run.
                    TOps.Store(i0, tile); TOps.Store(i1, tile + w);
                    TOps.Store(o0, tile + units); TOps.Store(o1, tile + units + w);
                    TOps.Store(f0, tile + 2 * units); TOps.Store(f1, tile + 2 * units + w);
                    TOps.Store(g0, tile + 3 * units); TOps.Store(g1, tile + 3 * units + w);
                    for (int lane = 0; lane < units; lane++)
                    {
                        bool inside = lane < valid;
                        for (int q = 0; q < Gates; q++) tile[q * units + lane] = inside ? tile[q * units + lane] + x[q * hidden + lane] : 0f;
                        cPrevPad[lane] = inside ? cPrev[first + lane] : 0f;
                    }
                    cell[4] = (nint)cPrevPad;
                    cell[5] = (nint)cPad;
                    cell[6] = (nint)hPad;
                }
                pending = true;
            }
            fromLastStep = true;
            pendingC = cNext + lastFirst;
            pendingH = hNext + lastFirst;
        }
        LstmForwardKernel.VectorPair<TVec, TGate>(in cell, 0);
        CopyPadded(lastValid, units, cPad, hPad, pendingC, pendingH);
    }

    /// <summary>The four gates' sums of a block's two vectors of units.</summary>
    private struct GateSums<TVec> where TVec : struct
    {
        public TVec I0, I1, O0, O1, F0, F1, G0, G1;
    }

    /// <summary>
    /// Adds h[k]·R over k in [from, to) to a block's sums, k in order. Its own method so the JIT keeps the eight sums in
    /// registers: inlined into the step loop it spilled them to the stack on every k.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Sum<TVec, TOps>(float* h, float* block, int from, int to, nint step, ref GateSums<TVec> sums)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        if (from >= to) return;
        int w = TOps.Count, p = from;
        float* a = h + from, b = block + from * step;
        TVec i0 = sums.I0, i1 = sums.I1, o0 = sums.O0, o1 = sums.O1, f0 = sums.F0, f1 = sums.F1, g0 = sums.G0, g1 = sums.G1;
        // Unrolled by two (the JIT never unrolls).
        for (; p + 2 <= to; p += 2, a += 2, b += 2 * step)
        {
            TVec av = TOps.Create(a[0]);
            i0 = TOps.MultiplyAdd(av, TOps.Load(b), i0); i1 = TOps.MultiplyAdd(av, TOps.Load(b + w), i1);
            o0 = TOps.MultiplyAdd(av, TOps.Load(b + 2 * w), o0); o1 = TOps.MultiplyAdd(av, TOps.Load(b + 3 * w), o1);
            f0 = TOps.MultiplyAdd(av, TOps.Load(b + 4 * w), f0); f1 = TOps.MultiplyAdd(av, TOps.Load(b + 5 * w), f1);
            g0 = TOps.MultiplyAdd(av, TOps.Load(b + 6 * w), g0); g1 = TOps.MultiplyAdd(av, TOps.Load(b + 7 * w), g1);
            av = TOps.Create(a[1]);
            float* b2 = b + step;
            i0 = TOps.MultiplyAdd(av, TOps.Load(b2), i0); i1 = TOps.MultiplyAdd(av, TOps.Load(b2 + w), i1);
            o0 = TOps.MultiplyAdd(av, TOps.Load(b2 + 2 * w), o0); o1 = TOps.MultiplyAdd(av, TOps.Load(b2 + 3 * w), o1);
            f0 = TOps.MultiplyAdd(av, TOps.Load(b2 + 4 * w), f0); f1 = TOps.MultiplyAdd(av, TOps.Load(b2 + 5 * w), f1);
            g0 = TOps.MultiplyAdd(av, TOps.Load(b2 + 6 * w), g0); g1 = TOps.MultiplyAdd(av, TOps.Load(b2 + 7 * w), g1);
        }
        if (p < to)
        {
            TVec av = TOps.Create(a[0]);
            i0 = TOps.MultiplyAdd(av, TOps.Load(b), i0); i1 = TOps.MultiplyAdd(av, TOps.Load(b + w), i1);
            o0 = TOps.MultiplyAdd(av, TOps.Load(b + 2 * w), o0); o1 = TOps.MultiplyAdd(av, TOps.Load(b + 3 * w), o1);
            f0 = TOps.MultiplyAdd(av, TOps.Load(b + 4 * w), f0); f1 = TOps.MultiplyAdd(av, TOps.Load(b + 5 * w), f1);
            g0 = TOps.MultiplyAdd(av, TOps.Load(b + 6 * w), g0); g1 = TOps.MultiplyAdd(av, TOps.Load(b + 7 * w), g1);
        }
        sums.I0 = i0; sums.I1 = i1; sums.O0 = o0; sums.O1 = o1; sums.F0 = f0; sums.F1 = f1; sums.G0 = g0; sums.G1 = g1;
    }

    /// <summary>A partial last block's c' and h', from the padded tile to the valid lanes (nothing for a whole block).</summary>
    private static void CopyPadded(int valid, int units, float* cPad, float* hPad, float* c, float* h)
    {
        if (valid == units) return;
        for (int lane = 0; lane < valid; lane++)
        {
            c[lane] = cPad[lane];
            h[lane] = hPad[lane];
        }
    }

    /// <summary>The scalar reference: each gate's sum over k in order (multiply, then add), then the reference cell, step by step.</summary>
    private static void RowScalar(in RowSequence s)
    {
        int units = s.Units, hidden = s.Hidden;
        float* pre = stackalloc float[Gates];
        for (int si = 0; si < s.Steps; si++)
        {
            int t = s.Time(si), k = si == 0 && s.ZeroInitialState ? 0 : s.K;
            float* hPrev = s.H + t * s.StateStride, cPrev = s.C + t * s.StateStride, projection = s.Projection + t * s.ProjectionStride;
            s.Next(si, out float* hNext, out float* cNext);
            for (int j = 0; j < hidden; j++)
            {
                float* b = s.Weights + j / units * s.BlockStride + j % units;
                for (int q = 0; q < Gates; q++)
                {
                    float sum = 0;
                    for (int p = 0; p < k; p++) sum += hPrev[p] * b[(long)p * Gates * units + q * units];
                    pre[q] = sum + projection[q * hidden + j];
                }
                CellStreams cell = default;
                for (int q = 0; q < Gates; q++) cell[q] = (nint)(pre + q);
                cell[4] = (nint)(cPrev + j);
                cell[5] = (nint)(cNext + j);
                cell[6] = (nint)(hNext + j);
                LstmForwardKernel.Scalar(in cell, 0);
            }
        }
    }
}
