using System.Runtime.CompilerServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The fused step of an LSTM (ONNX's and PyTorch's definition, no peepholes): from the pre-activations of the four
/// gates, already the sum of the input projection, the recurrent product and both biases, in ONNX's order
/// i, o, f, c (each <c>hidden</c> wide),
/// i = σ(·), o = σ(·), f = σ(·), g = tanh(·), c' = f⊙c + i⊙g, h' = o⊙tanh(c').
/// The gates are overwritten with their activations, which is what backward reads.
/// </summary>
public static unsafe partial class LstmCell
{
    public const int Gates = 4;

    /// <summary>
    /// One step for <paramref name="rows"/> batch rows: gates [rows × 4·hidden] (row stride gatesStride) in place,
    /// c' and h' written from cPrev. Every matrix has its own row stride (see <see cref="CellRows"/>).
    /// </summary>
    public static void Forward(int rows, int hidden, Span<float> gates, int gatesStride, ReadOnlySpan<float> cPrev, int cPrevStride,
        Span<float> c, int cStride, Span<float> h, int hStride) =>
        Forward(rows, hidden, gates, gatesStride, cPrev, cPrevStride, c, cStride, h, hStride, Isa.Width);

    /// <summary>
    /// The step's backward for <paramref name="rows"/> rows: from the activations the forward left in gates, cPrev,
    /// c', dh (dLoss/dh', everything that reaches h') and dc (dLoss/dc' from the next step), writes the gates'
    /// pre-activation gradients over the gates and dLoss/dcPrev over dc. dLoss/dhPrev is the caller's GEMM of the
    /// gate gradients with the recurrent weights.
    /// </summary>
    public static void Backward(int rows, int hidden, Span<float> gates, int gatesStride, ReadOnlySpan<float> cPrev, int cPrevStride,
        ReadOnlySpan<float> c, int cStride, ReadOnlySpan<float> dh, int dhStride, Span<float> dc, int dcStride) =>
        Backward(rows, hidden, gates, gatesStride, cPrev, cPrevStride, c, cStride, dh, dhStride, dc, dcStride, Isa.Width);

    internal static void Forward(int rows, int hidden, Span<float> gates, int gatesStride, ReadOnlySpan<float> cPrev, int cPrevStride,
        Span<float> c, int cStride, Span<float> h, int hStride, SimdWidth width)
    {
        CellRows.Sizes(rows, hidden);
        CellRows.Check(gates.Length, rows, gatesStride, Gates * hidden, nameof(gates));
        CellRows.Check(cPrev.Length, rows, cPrevStride, hidden, nameof(cPrev));
        CellRows.Check(c.Length, rows, cStride, hidden, nameof(c));
        CellRows.Check(h.Length, rows, hStride, hidden, nameof(h));
        if (rows == 0 || hidden == 0) return;
        fixed (float* pg = gates, pcp = cPrev, pc = c, ph = h)
        {
            for (int r = 0; r < rows; r++)
            {
                CellStreams s = default;
                float* g = pg + (nint)r * gatesStride;
                s[0] = (nint)g;
                s[1] = (nint)(g + hidden);
                s[2] = (nint)(g + 2 * hidden);
                s[3] = (nint)(g + 3 * hidden);
                s[4] = (nint)(pcp + (nint)r * cPrevStride);
                s[5] = (nint)(pc + (nint)r * cStride);
                s[6] = (nint)(ph + (nint)r * hStride);
                CellDriver.RunPaired<LstmForwardKernel>(in s, hidden, width);
            }
        }
    }

    internal static void Backward(int rows, int hidden, Span<float> gates, int gatesStride, ReadOnlySpan<float> cPrev, int cPrevStride,
        ReadOnlySpan<float> c, int cStride, ReadOnlySpan<float> dh, int dhStride, Span<float> dc, int dcStride, SimdWidth width)
    {
        CellRows.Sizes(rows, hidden);
        CellRows.Check(gates.Length, rows, gatesStride, Gates * hidden, nameof(gates));
        CellRows.Check(cPrev.Length, rows, cPrevStride, hidden, nameof(cPrev));
        CellRows.Check(c.Length, rows, cStride, hidden, nameof(c));
        CellRows.Check(dh.Length, rows, dhStride, hidden, nameof(dh));
        CellRows.Check(dc.Length, rows, dcStride, hidden, nameof(dc));
        if (rows == 0 || hidden == 0) return;
        fixed (float* pg = gates, pcp = cPrev, pc = c, pdh = dh, pdc = dc)
        {
            for (int r = 0; r < rows; r++)
            {
                CellStreams s = default;
                float* g = pg + (nint)r * gatesStride;
                s[0] = (nint)g;
                s[1] = (nint)(g + hidden);
                s[2] = (nint)(g + 2 * hidden);
                s[3] = (nint)(g + 3 * hidden);
                s[4] = (nint)(pcp + (nint)r * cPrevStride);
                s[5] = (nint)(pc + (nint)r * cStride);
                s[6] = (nint)(pdh + (nint)r * dhStride);
                s[7] = (nint)(pdc + (nint)r * dcStride);
                CellDriver.RunPaired<LstmBackwardKernel>(in s, hidden, width);
            }
        }
    }
}

/// <summary>
/// Streams: i, o, f, g (in/out), cPrev, c' (out), h' (out). The four gates' exps run side by side
/// (<see cref="GateExp"/>), and a pair of vectors runs its two tanh(c') side by side: the bits are those of
/// ElementMath's sigmoid and tanh one by one.
/// </summary>
internal readonly unsafe struct LstmForwardKernel : IPairedCellKernel
{
    public static int StreamCount => 7;

    public static int OutputMask => 0b110_1111;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Vector<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec>
    {
        TVec c = Gates<TVec, TOps>(in s, i, out TVec og);
        TOps.Store(TOps.Multiply(og, TOps.Tanh(c)), (float*)s[6] + i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void VectorPair<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec>
    {
        nint j = i + TOps.Count;
        TVec c0 = Gates<TVec, TOps>(in s, i, out TVec o0), c1 = Gates<TVec, TOps>(in s, j, out TVec o1);
        TVec a0 = TOps.Abs(c0), a1 = TOps.Abs(c1), e0 = TOps.Add(a0, a0), e1 = TOps.Add(a1, a1);
        GateExp.Exp2<TVec, TOps>(ref e0, ref e1);
        TOps.Store(TOps.Multiply(o0, TOps.TanhFromExp(c0, a0, e0)), (float*)s[6] + i);
        TOps.Store(TOps.Multiply(o1, TOps.TanhFromExp(c1, a1, e1)), (float*)s[6] + j);
    }

    /// <summary>The gate activations (stored over the pre-activations) and c' (stored and returned), o in <paramref name="og"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Gates<TVec, TOps>(in CellStreams s, nint i, out TVec og) where TVec : struct where TOps : struct, IGateVector<TVec>
    {
        float* pi = (float*)s[0] + i, po = (float*)s[1] + i, pf = (float*)s[2] + i, pg = (float*)s[3] + i;
        TVec xg = TOps.Load(pg), ag = TOps.Abs(xg);
        TVec ei = TOps.Negate(TOps.Load(pi)), eo = TOps.Negate(TOps.Load(po)), ef = TOps.Negate(TOps.Load(pf)), eg = TOps.Add(ag, ag);
        GateExp.Exp4<TVec, TOps>(ref ei, ref eo, ref ef, ref eg);
        TVec ig = GateExp.SigmoidFromExp<TVec, TOps>(ei), fg = GateExp.SigmoidFromExp<TVec, TOps>(ef), gg = TOps.TanhFromExp(xg, ag, eg);
        og = GateExp.SigmoidFromExp<TVec, TOps>(eo);
        TVec c = TOps.Add(TOps.Multiply(fg, TOps.Load((float*)s[4] + i)), TOps.Multiply(ig, gg));
        TOps.Store(ig, pi);
        TOps.Store(og, po);
        TOps.Store(fg, pf);
        TOps.Store(gg, pg);
        TOps.Store(c, (float*)s[5] + i);
        return c;
    }

    public static void Scalar(in CellStreams s, nint i)
    {
        float* pi = (float*)s[0] + i, po = (float*)s[1] + i, pf = (float*)s[2] + i, pg = (float*)s[3] + i;
        float ig = ElementMath.Sigmoid(*pi), og = ElementMath.Sigmoid(*po), fg = ElementMath.Sigmoid(*pf), gg = MathF.Tanh(*pg);
        float c = fg * ((float*)s[4])[i] + ig * gg;
        *pi = ig;
        *po = og;
        *pf = fg;
        *pg = gg;
        ((float*)s[5])[i] = c;
        ((float*)s[6])[i] = og * MathF.Tanh(c);
    }
}

/// <summary>Streams: i, o, f, g (activations in, pre-activation gradients out), cPrev, c', dh, dc (in: dLoss/dc', out: dLoss/dcPrev).</summary>
internal readonly unsafe struct LstmBackwardKernel : IPairedCellKernel
{
    public static int StreamCount => 8;

    public static int OutputMask => 0b1000_1111;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Vector<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec> =>
        Gradients<TVec, TOps>(in s, i, TOps.Tanh(TOps.Load((float*)s[5] + i)));

    /// <summary>The two vectors' tanh(c') side by side, then each vector's gradients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void VectorPair<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec>
    {
        nint j = i + TOps.Count;
        TVec c0 = TOps.Load((float*)s[5] + i), c1 = TOps.Load((float*)s[5] + j);
        TVec a0 = TOps.Abs(c0), a1 = TOps.Abs(c1), e0 = TOps.Add(a0, a0), e1 = TOps.Add(a1, a1);
        GateExp.Exp2<TVec, TOps>(ref e0, ref e1);
        Gradients<TVec, TOps>(in s, i, TOps.TanhFromExp(c0, a0, e0));
        Gradients<TVec, TOps>(in s, j, TOps.TanhFromExp(c1, a1, e1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gradients<TVec, TOps>(in CellStreams s, nint i, TVec tc) where TVec : struct where TOps : struct, IGateVector<TVec>
    {
        float* pi = (float*)s[0] + i, po = (float*)s[1] + i, pf = (float*)s[2] + i, pg = (float*)s[3] + i, pdc = (float*)s[7] + i;
        TVec ig = TOps.Load(pi), og = TOps.Load(po), fg = TOps.Load(pf), gg = TOps.Load(pg);
        TVec one = TOps.One, dh = TOps.Load((float*)s[6] + i);
        // (1 − t)(1 + t) rather than 1 − t²: t near ±1 does not cancel.
        TVec dc = TOps.Add(TOps.Load(pdc), TOps.Multiply(TOps.Multiply(dh, og), TOps.Multiply(TOps.Subtract(one, tc), TOps.Add(one, tc))));
        TVec di = TOps.Multiply(TOps.Multiply(dc, gg), TOps.Multiply(ig, TOps.Subtract(one, ig)));
        TVec dOut = TOps.Multiply(TOps.Multiply(dh, tc), TOps.Multiply(og, TOps.Subtract(one, og)));
        TVec df = TOps.Multiply(TOps.Multiply(dc, TOps.Load((float*)s[4] + i)), TOps.Multiply(fg, TOps.Subtract(one, fg)));
        TVec dg = TOps.Multiply(TOps.Multiply(dc, ig), TOps.Multiply(TOps.Subtract(one, gg), TOps.Add(one, gg)));
        TOps.Store(di, pi);
        TOps.Store(dOut, po);
        TOps.Store(df, pf);
        TOps.Store(dg, pg);
        TOps.Store(TOps.Multiply(dc, fg), pdc);
    }

    public static void Scalar(in CellStreams s, nint i)
    {
        float* pi = (float*)s[0] + i, po = (float*)s[1] + i, pf = (float*)s[2] + i, pg = (float*)s[3] + i, pdc = (float*)s[7] + i;
        float ig = *pi, og = *po, fg = *pf, gg = *pg, dh = ((float*)s[6])[i];
        float tc = MathF.Tanh(((float*)s[5])[i]);
        float dc = *pdc + dh * og * ((1 - tc) * (1 + tc));
        *pi = dc * gg * (ig * (1 - ig));
        *po = dh * tc * (og * (1 - og));
        *pf = dc * ((float*)s[4])[i] * (fg * (1 - fg));
        *pg = dc * ig * ((1 - gg) * (1 + gg));
        *pdc = dc * fg;
    }
}
