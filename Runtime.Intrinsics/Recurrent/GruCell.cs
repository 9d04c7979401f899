using System.Runtime.CompilerServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The fused steps of a GRU (ONNX's and PyTorch's definition), gates in ONNX's order z, r, n (each <c>hidden</c>
/// wide): z = σ(·), r = σ(·), h' = (1 − z)⊙n + z⊙h, with the candidate n either
/// <list type="bullet">
/// <item>linear before reset (PyTorch, ONNX linear_before_reset=1): n = tanh(xₙ + r⊙(Rₙh + bRₙ)), one step kernel
/// over the input side x (input projection plus the biases of z and r and Wbₙ) and the recurrent products Rh; or</item>
/// <item>reset before the product (ONNX's default): n = tanh(xₙ + Rₙ(r⊙h) + bₙ), two kernels around the caller's
/// GEMM of r⊙h with Rₙ: <c>ForwardResetGates</c>, then <c>ForwardCandidate</c>.</item>
/// </list>
/// Each kernel overwrites the gates it computes with their activations (forward) or gradients (backward).
/// </summary>
public static unsafe class GruCell
{
    public const int Gates = 3;

    /// <summary>
    /// Linear before reset. x [rows × 3·hidden] pre-activations of the input side in place (becomes z, r, n);
    /// rh [rows × 3·hidden] the recurrent products, whose n part becomes Rₙh + bRₙ (backward reads it); h' from hPrev.
    /// </summary>
    public static void ForwardLinear(int rows, int hidden, Span<float> x, int xStride, Span<float> rh, int rhStride,
        ReadOnlySpan<float> candidateBias, ReadOnlySpan<float> hPrev, int hPrevStride, Span<float> h, int hStride) =>
        ForwardLinear(rows, hidden, x, xStride, rh, rhStride, candidateBias, hPrev, hPrevStride, h, hStride, Isa.Width);

    /// <summary>
    /// Backward of <c>ForwardLinear</c>: x becomes the input side's pre-activation gradients (dz, dr, dn), rh
    /// the recurrent side's (dz, dr, r⊙dn: the gradient of Rₙh + bRₙ), and dh (dLoss/dh') becomes its direct part of
    /// dLoss/dhPrev, z⊙dh; the caller adds rh's gradients times R.
    /// </summary>
    public static void BackwardLinear(int rows, int hidden, Span<float> x, int xStride, Span<float> rh, int rhStride,
        ReadOnlySpan<float> hPrev, int hPrevStride, Span<float> dh, int dhStride) =>
        BackwardLinear(rows, hidden, x, xStride, rh, rhStride, hPrev, hPrevStride, dh, dhStride, Isa.Width);

    /// <summary>Reset before the product, first half: the z and r parts of gates [rows × 3·hidden] in place, and r⊙hPrev.</summary>
    public static void ForwardResetGates(int rows, int hidden, Span<float> gates, int gatesStride, ReadOnlySpan<float> hPrev, int hPrevStride,
        Span<float> resetHidden, int resetHiddenStride) =>
        ForwardResetGates(rows, hidden, gates, gatesStride, hPrev, hPrevStride, resetHidden, resetHiddenStride, Isa.Width);

    /// <summary>Reset before the product, second half: the n part of the gates in place (its pre-activation already holds Rₙ(r⊙h)), and h'.</summary>
    public static void ForwardCandidate(int rows, int hidden, Span<float> gates, int gatesStride, ReadOnlySpan<float> hPrev, int hPrevStride,
        Span<float> h, int hStride) =>
        ForwardCandidate(rows, hidden, gates, gatesStride, hPrev, hPrevStride, h, hStride, Isa.Width);

    /// <summary>Backward, first half: the z and n parts become dz, dn (pre-activation); dh becomes z⊙dh.</summary>
    public static void BackwardCandidate(int rows, int hidden, Span<float> gates, int gatesStride, ReadOnlySpan<float> hPrev, int hPrevStride,
        Span<float> dh, int dhStride) =>
        BackwardCandidate(rows, hidden, gates, gatesStride, hPrev, hPrevStride, dh, dhStride, Isa.Width);

    /// <summary>
    /// Backward, second half, given d(r⊙h) (the caller's dn·Rₙ): the r part becomes dr (pre-activation) and dh gains r⊙d(r⊙h).
    /// </summary>
    public static void BackwardResetGates(int rows, int hidden, Span<float> gates, int gatesStride, ReadOnlySpan<float> hPrev, int hPrevStride,
        ReadOnlySpan<float> dResetHidden, int dResetHiddenStride, Span<float> dh, int dhStride) =>
        BackwardResetGates(rows, hidden, gates, gatesStride, hPrev, hPrevStride, dResetHidden, dResetHiddenStride, dh, dhStride, Isa.Width);

    internal static void ForwardLinear(int rows, int hidden, Span<float> x, int xStride, Span<float> rh, int rhStride,
        ReadOnlySpan<float> candidateBias, ReadOnlySpan<float> hPrev, int hPrevStride, Span<float> h, int hStride, SimdWidth width)
    {
        CellRows.Sizes(rows, hidden);
        CellRows.Check(x.Length, rows, xStride, Gates * hidden, nameof(x));
        CellRows.Check(rh.Length, rows, rhStride, Gates * hidden, nameof(rh));
        CellRows.Check(candidateBias.Length, 1, hidden, hidden, nameof(candidateBias));
        CellRows.Check(hPrev.Length, rows, hPrevStride, hidden, nameof(hPrev));
        CellRows.Check(h.Length, rows, hStride, hidden, nameof(h));
        if (rows == 0 || hidden == 0) return;
        fixed (float* px = x, prh = rh, pb = candidateBias, php = hPrev, ph = h)
        {
            for (int r = 0; r < rows; r++)
            {
                CellStreams s = default;
                float* g = px + (nint)r * xStride, q = prh + (nint)r * rhStride;
                s[0] = (nint)g; s[1] = (nint)(g + hidden); s[2] = (nint)(g + 2 * hidden);
                s[3] = (nint)q; s[4] = (nint)(q + hidden); s[5] = (nint)(q + 2 * hidden);
                s[6] = (nint)pb;
                s[7] = (nint)(php + (nint)r * hPrevStride);
                s[8] = (nint)(ph + (nint)r * hStride);
                CellDriver.Run<GruLinearForwardKernel>(in s, hidden, width);
            }
        }
    }

    internal static void BackwardLinear(int rows, int hidden, Span<float> x, int xStride, Span<float> rh, int rhStride,
        ReadOnlySpan<float> hPrev, int hPrevStride, Span<float> dh, int dhStride, SimdWidth width)
    {
        CellRows.Sizes(rows, hidden);
        CellRows.Check(x.Length, rows, xStride, Gates * hidden, nameof(x));
        CellRows.Check(rh.Length, rows, rhStride, Gates * hidden, nameof(rh));
        CellRows.Check(hPrev.Length, rows, hPrevStride, hidden, nameof(hPrev));
        CellRows.Check(dh.Length, rows, dhStride, hidden, nameof(dh));
        if (rows == 0 || hidden == 0) return;
        fixed (float* px = x, prh = rh, php = hPrev, pdh = dh)
        {
            for (int r = 0; r < rows; r++)
            {
                CellStreams s = default;
                float* g = px + (nint)r * xStride, q = prh + (nint)r * rhStride;
                s[0] = (nint)g; s[1] = (nint)(g + hidden); s[2] = (nint)(g + 2 * hidden);
                s[3] = (nint)q; s[4] = (nint)(q + hidden); s[5] = (nint)(q + 2 * hidden);
                s[6] = (nint)(php + (nint)r * hPrevStride);
                s[7] = (nint)(pdh + (nint)r * dhStride);
                CellDriver.Run<GruLinearBackwardKernel>(in s, hidden, width);
            }
        }
    }

    internal static void ForwardResetGates(int rows, int hidden, Span<float> gates, int gatesStride, ReadOnlySpan<float> hPrev, int hPrevStride,
        Span<float> resetHidden, int resetHiddenStride, SimdWidth width) =>
        RunThree<GruResetForwardKernel>(rows, hidden, gates, gatesStride, 1, hPrev, hPrevStride, resetHidden, resetHiddenStride, width);

    internal static void ForwardCandidate(int rows, int hidden, Span<float> gates, int gatesStride, ReadOnlySpan<float> hPrev, int hPrevStride,
        Span<float> h, int hStride, SimdWidth width) =>
        RunThree<GruCandidateForwardKernel>(rows, hidden, gates, gatesStride, 2, hPrev, hPrevStride, h, hStride, width);

    internal static void BackwardCandidate(int rows, int hidden, Span<float> gates, int gatesStride, ReadOnlySpan<float> hPrev, int hPrevStride,
        Span<float> dh, int dhStride, SimdWidth width) =>
        RunThree<GruCandidateBackwardKernel>(rows, hidden, gates, gatesStride, 2, hPrev, hPrevStride, dh, dhStride, width);

    internal static void BackwardResetGates(int rows, int hidden, Span<float> gates, int gatesStride, ReadOnlySpan<float> hPrev, int hPrevStride,
        ReadOnlySpan<float> dResetHidden, int dResetHiddenStride, Span<float> dh, int dhStride, SimdWidth width)
    {
        CellRows.Sizes(rows, hidden);
        CellRows.Check(gates.Length, rows, gatesStride, Gates * hidden, nameof(gates));
        CellRows.Check(hPrev.Length, rows, hPrevStride, hidden, nameof(hPrev));
        CellRows.Check(dResetHidden.Length, rows, dResetHiddenStride, hidden, nameof(dResetHidden));
        CellRows.Check(dh.Length, rows, dhStride, hidden, nameof(dh));
        if (rows == 0 || hidden == 0) return;
        fixed (float* pg = gates, php = hPrev, pd = dResetHidden, pdh = dh)
        {
            for (int r = 0; r < rows; r++)
            {
                CellStreams s = default;
                s[0] = (nint)(pg + (nint)r * gatesStride + hidden);
                s[1] = (nint)(php + (nint)r * hPrevStride);
                s[2] = (nint)(pd + (nint)r * dResetHiddenStride);
                s[3] = (nint)(pdh + (nint)r * dhStride);
                CellDriver.Run<GruResetBackwardKernel>(in s, hidden, width);
            }
        }
    }

    /// <summary>Streams z, the gate at <paramref name="second"/> (r for the reset gates, n for the candidate), hPrev, and one more row matrix.</summary>
    private static void RunThree<TKernel>(int rows, int hidden, Span<float> gates, int gatesStride, int second, ReadOnlySpan<float> hPrev, int hPrevStride,
        Span<float> other, int otherStride, SimdWidth width) where TKernel : struct, ICellKernel
    {
        CellRows.Sizes(rows, hidden);
        CellRows.Check(gates.Length, rows, gatesStride, Gates * hidden, nameof(gates));
        CellRows.Check(hPrev.Length, rows, hPrevStride, hidden, nameof(hPrev));
        CellRows.Check(other.Length, rows, otherStride, hidden, "the state");
        if (rows == 0 || hidden == 0) return;
        fixed (float* pg = gates, php = hPrev, po = other)
        {
            for (int r = 0; r < rows; r++)
            {
                CellStreams s = default;
                float* g = pg + (nint)r * gatesStride;
                s[0] = (nint)g;
                s[1] = (nint)(g + second * hidden);
                s[2] = (nint)(php + (nint)r * hPrevStride);
                s[3] = (nint)(po + (nint)r * otherStride);
                CellDriver.Run<TKernel>(in s, hidden, width);
            }
        }
    }
}

/// <summary>Streams: xz, xr, xn (in/out), Rz, Rr (in), Rn (in, out Rₙh + bRₙ), bRₙ, hPrev, h' (out).</summary>
internal readonly unsafe struct GruLinearForwardKernel : ICellKernel
{
    public static int StreamCount => 9;

    public static int OutputMask => 0b1_0010_0111;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Vector<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec>
    {
        float* pz = (float*)s[0] + i, pr = (float*)s[1] + i, pn = (float*)s[2] + i, qn = (float*)s[5] + i;
        TVec z = TOps.Sigmoid(TOps.Add(TOps.Load(pz), TOps.Load((float*)s[3] + i)));
        TVec r = TOps.Sigmoid(TOps.Add(TOps.Load(pr), TOps.Load((float*)s[4] + i)));
        TVec hn = TOps.Add(TOps.Load(qn), TOps.Load((float*)s[6] + i));
        TVec n = TOps.Tanh(TOps.Add(TOps.Load(pn), TOps.Multiply(r, hn)));
        TVec hp = TOps.Load((float*)s[7] + i);
        TOps.Store(z, pz);
        TOps.Store(r, pr);
        TOps.Store(n, pn);
        TOps.Store(hn, qn);
        TOps.Store(TOps.Add(TOps.Multiply(TOps.Subtract(TOps.One, z), n), TOps.Multiply(z, hp)), (float*)s[8] + i);
    }

    public static void Scalar(in CellStreams s, nint i)
    {
        float* pz = (float*)s[0] + i, pr = (float*)s[1] + i, pn = (float*)s[2] + i, qn = (float*)s[5] + i;
        float z = ElementMath.Sigmoid(*pz + ((float*)s[3])[i]);
        float r = ElementMath.Sigmoid(*pr + ((float*)s[4])[i]);
        float hn = *qn + ((float*)s[6])[i];
        float n = MathF.Tanh(*pn + r * hn);
        float hp = ((float*)s[7])[i];
        *pz = z;
        *pr = r;
        *pn = n;
        *qn = hn;
        ((float*)s[8])[i] = (1 - z) * n + z * hp;
    }
}

/// <summary>Streams: z, r, n (in; out dz, dr, dn), Rz, Rr, Rn (Rn in: Rₙh + bRₙ; out dz, dr, r⊙dn), hPrev, dh (in/out).</summary>
internal readonly unsafe struct GruLinearBackwardKernel : ICellKernel
{
    public static int StreamCount => 8;

    public static int OutputMask => 0b1011_1111;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Vector<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec>
    {
        float* pz = (float*)s[0] + i, pr = (float*)s[1] + i, pn = (float*)s[2] + i, pdh = (float*)s[7] + i;
        TVec one = TOps.One, z = TOps.Load(pz), r = TOps.Load(pr), n = TOps.Load(pn), dh = TOps.Load(pdh);
        TVec hn = TOps.Load((float*)s[5] + i), hp = TOps.Load((float*)s[6] + i);
        TVec dn = TOps.Multiply(TOps.Multiply(dh, TOps.Subtract(one, z)), TOps.Multiply(TOps.Subtract(one, n), TOps.Add(one, n)));
        TVec dz = TOps.Multiply(TOps.Multiply(dh, TOps.Subtract(hp, n)), TOps.Multiply(z, TOps.Subtract(one, z)));
        TVec dr = TOps.Multiply(TOps.Multiply(dn, hn), TOps.Multiply(r, TOps.Subtract(one, r)));
        TOps.Store(dz, pz);
        TOps.Store(dr, pr);
        TOps.Store(dn, pn);
        TOps.Store(dz, (float*)s[3] + i);
        TOps.Store(dr, (float*)s[4] + i);
        TOps.Store(TOps.Multiply(dn, r), (float*)s[5] + i);
        TOps.Store(TOps.Multiply(dh, z), pdh);
    }

    public static void Scalar(in CellStreams s, nint i)
    {
        float* pz = (float*)s[0] + i, pr = (float*)s[1] + i, pn = (float*)s[2] + i, pdh = (float*)s[7] + i;
        float z = *pz, r = *pr, n = *pn, dh = *pdh, hn = ((float*)s[5])[i], hp = ((float*)s[6])[i];
        float dn = dh * (1 - z) * ((1 - n) * (1 + n));
        float dz = dh * (hp - n) * (z * (1 - z));
        float dr = dn * hn * (r * (1 - r));
        *pz = dz;
        *pr = dr;
        *pn = dn;
        ((float*)s[3])[i] = dz;
        ((float*)s[4])[i] = dr;
        ((float*)s[5])[i] = dn * r;
        *pdh = dh * z;
    }
}

/// <summary>Streams: z, r (pre-activations in, activations out), hPrev, r⊙hPrev (out).</summary>
internal readonly unsafe struct GruResetForwardKernel : ICellKernel
{
    public static int StreamCount => 4;

    public static int OutputMask => 0b1011;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Vector<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec>
    {
        float* pz = (float*)s[0] + i, pr = (float*)s[1] + i;
        TVec r = TOps.Sigmoid(TOps.Load(pr));
        TOps.Store(TOps.Sigmoid(TOps.Load(pz)), pz);
        TOps.Store(r, pr);
        TOps.Store(TOps.Multiply(r, TOps.Load((float*)s[2] + i)), (float*)s[3] + i);
    }

    public static void Scalar(in CellStreams s, nint i)
    {
        float* pz = (float*)s[0] + i, pr = (float*)s[1] + i;
        float r = ElementMath.Sigmoid(*pr);
        *pz = ElementMath.Sigmoid(*pz);
        *pr = r;
        ((float*)s[3])[i] = r * ((float*)s[2])[i];
    }
}

/// <summary>Streams: z (in), n (pre-activation in, activation out), hPrev, h' (out).</summary>
internal readonly unsafe struct GruCandidateForwardKernel : ICellKernel
{
    public static int StreamCount => 4;

    public static int OutputMask => 0b1010;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Vector<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec>
    {
        float* pn = (float*)s[1] + i;
        TVec z = TOps.Load((float*)s[0] + i), n = TOps.Tanh(TOps.Load(pn));
        TOps.Store(n, pn);
        TOps.Store(TOps.Add(TOps.Multiply(TOps.Subtract(TOps.One, z), n), TOps.Multiply(z, TOps.Load((float*)s[2] + i))), (float*)s[3] + i);
    }

    public static void Scalar(in CellStreams s, nint i)
    {
        float* pn = (float*)s[1] + i;
        float z = ((float*)s[0])[i], n = MathF.Tanh(*pn);
        *pn = n;
        ((float*)s[3])[i] = (1 - z) * n + z * ((float*)s[2])[i];
    }
}

/// <summary>Streams: z (in, out dz), n (in, out dn), hPrev, dh (in, out z⊙dh).</summary>
internal readonly unsafe struct GruCandidateBackwardKernel : ICellKernel
{
    public static int StreamCount => 4;

    public static int OutputMask => 0b1011;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Vector<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec>
    {
        float* pz = (float*)s[0] + i, pn = (float*)s[1] + i, pdh = (float*)s[3] + i;
        TVec one = TOps.One, z = TOps.Load(pz), n = TOps.Load(pn), dh = TOps.Load(pdh), hp = TOps.Load((float*)s[2] + i);
        TOps.Store(TOps.Multiply(TOps.Multiply(dh, TOps.Subtract(hp, n)), TOps.Multiply(z, TOps.Subtract(one, z))), pz);
        TOps.Store(TOps.Multiply(TOps.Multiply(dh, TOps.Subtract(one, z)), TOps.Multiply(TOps.Subtract(one, n), TOps.Add(one, n))), pn);
        TOps.Store(TOps.Multiply(dh, z), pdh);
    }

    public static void Scalar(in CellStreams s, nint i)
    {
        float* pz = (float*)s[0] + i, pn = (float*)s[1] + i, pdh = (float*)s[3] + i;
        float z = *pz, n = *pn, dh = *pdh, hp = ((float*)s[2])[i];
        *pz = dh * (hp - n) * (z * (1 - z));
        *pn = dh * (1 - z) * ((1 - n) * (1 + n));
        *pdh = dh * z;
    }
}

/// <summary>Streams: r (in, out dr), hPrev, d(r⊙h), dh (in, out dh + r⊙d(r⊙h)).</summary>
internal readonly unsafe struct GruResetBackwardKernel : ICellKernel
{
    public static int StreamCount => 4;

    public static int OutputMask => 0b1001;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Vector<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec>
    {
        float* pr = (float*)s[0] + i, pdh = (float*)s[3] + i;
        TVec r = TOps.Load(pr), d = TOps.Load((float*)s[2] + i);
        TOps.Store(TOps.Multiply(TOps.Multiply(d, TOps.Load((float*)s[1] + i)), TOps.Multiply(r, TOps.Subtract(TOps.One, r))), pr);
        TOps.Store(TOps.Add(TOps.Load(pdh), TOps.Multiply(r, d)), pdh);
    }

    public static void Scalar(in CellStreams s, nint i)
    {
        float* pr = (float*)s[0] + i, pdh = (float*)s[3] + i;
        float r = *pr, d = ((float*)s[2])[i];
        *pr = d * ((float*)s[1])[i] * (r * (1 - r));
        *pdh += r * d;
    }
}
