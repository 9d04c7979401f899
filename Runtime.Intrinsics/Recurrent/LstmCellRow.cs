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
        {
            var row = new RowStep(r, ph, pp, pcp, pc, pho);
            switch (r.Width)
            {
                case SimdWidth.V512: Row<Vector512<float>, Float512, Gate512>(in row); break;
                case SimdWidth.V256: Row<Vector256<float>, Float256, Gate256>(in row); break;
                case SimdWidth.V128: Row<Vector128<float>, Float128, Gate128>(in row); break;
                default: RowScalar(in row); break;
            }
        }
        GC.KeepAlive(r);
    }

    private readonly struct RowStep(GatePackedWeights r, float* hPrev, float* projection, float* cPrev, float* c, float* h)
    {
        public readonly float* Weights = r.Data, HPrev = hPrev, Projection = projection, CPrev = cPrev, C = c, H = h;
        public readonly int Hidden = r.Hidden, K = r.K, Units = r.Units, Blocks = r.Blocks;
        public readonly long BlockStride = r.BlockStride;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row<TVec, TOps, TGate>(in RowStep s)
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
        bool pending = false;
        for (int u = 0; u < s.Blocks; u++)
        {
            float* b = s.Weights + u * s.BlockStride, a = s.HPrev;
            TVec i0 = default, i1 = default, o0 = default, o1 = default, f0 = default, f1 = default, g0 = default, g1 = default;
            int p = 0;
            // The previous block's cell runs in two halves between the halves of this block's sums: alone after
            // them it would stall the stream of weights (its exp/tanh chains fill the scheduler), so the weights
            // keep loading while it computes. Unrolled by two (the JIT never unrolls); each sum runs over k in order.
            for (int half = 0; half < 2; half++)
            {
                int end = half == 0 ? s.K / 2 : s.K;
                for (; p + 2 <= end; p += 2, a += 2, b += 2 * step)
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
                if (pending) LstmForwardKernel.Vector<TVec, TGate>(in cell, half * w);
            }
            if (p < s.K)
            {
                TVec av = TOps.Create(a[0]);
                i0 = TOps.MultiplyAdd(av, TOps.Load(b), i0); i1 = TOps.MultiplyAdd(av, TOps.Load(b + w), i1);
                o0 = TOps.MultiplyAdd(av, TOps.Load(b + 2 * w), o0); o1 = TOps.MultiplyAdd(av, TOps.Load(b + 3 * w), o1);
                f0 = TOps.MultiplyAdd(av, TOps.Load(b + 4 * w), f0); f1 = TOps.MultiplyAdd(av, TOps.Load(b + 5 * w), f1);
                g0 = TOps.MultiplyAdd(av, TOps.Load(b + 6 * w), g0); g1 = TOps.MultiplyAdd(av, TOps.Load(b + 7 * w), g1);
            }
            int first = u * units, valid = Math.Min(units, hidden - first);
            float* x = s.Projection + first;
            if (valid == units)
            {
                TOps.Store(TOps.Add(i0, TOps.Load(x)), tile); TOps.Store(TOps.Add(i1, TOps.Load(x + w)), tile + w);
                x += hidden;
                TOps.Store(TOps.Add(o0, TOps.Load(x)), tile + units); TOps.Store(TOps.Add(o1, TOps.Load(x + w)), tile + units + w);
                x += hidden;
                TOps.Store(TOps.Add(f0, TOps.Load(x)), tile + 2 * units); TOps.Store(TOps.Add(f1, TOps.Load(x + w)), tile + 2 * units + w);
                x += hidden;
                TOps.Store(TOps.Add(g0, TOps.Load(x)), tile + 3 * units); TOps.Store(TOps.Add(g1, TOps.Load(x + w)), tile + 3 * units + w);
                cell[4] = (nint)(s.CPrev + first);
                cell[5] = (nint)(s.C + first);
                cell[6] = (nint)(s.H + first);
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
                    cPrevPad[lane] = inside ? s.CPrev[first + lane] : 0f;
                }
                cell[4] = (nint)cPrevPad;
                cell[5] = (nint)cPad;
                cell[6] = (nint)hPad;
            }
            pending = true;
        }
        if (!pending) return;
        LstmForwardKernel.Vector<TVec, TGate>(in cell, 0);
        LstmForwardKernel.Vector<TVec, TGate>(in cell, w);
        int last = (s.Blocks - 1) * units, left = hidden - last;
        if (left == units) return;
        for (int lane = 0; lane < left; lane++)
        {
            s.C[last + lane] = cPad[lane];
            s.H[last + lane] = hPad[lane];
        }
    }

    /// <summary>The scalar reference: each gate's sum over k in order (multiply, then add), then the reference cell.</summary>
    private static void RowScalar(in RowStep s)
    {
        int units = s.Units, hidden = s.Hidden;
        float* pre = stackalloc float[Gates];
        for (int j = 0; j < hidden; j++)
        {
            float* b = s.Weights + j / units * s.BlockStride + j % units;
            for (int q = 0; q < Gates; q++)
            {
                float sum = 0;
                for (int p = 0; p < s.K; p++) sum += s.HPrev[p] * b[(long)p * Gates * units + q * units];
                pre[q] = sum + s.Projection[q * hidden + j];
            }
            CellStreams cell = default;
            for (int q = 0; q < Gates; q++) cell[q] = (nint)(pre + q);
            cell[4] = (nint)(s.CPrev + j);
            cell[5] = (nint)(s.C + j);
            cell[6] = (nint)(s.H + j);
            LstmForwardKernel.Scalar(in cell, 0);
        }
    }
}
