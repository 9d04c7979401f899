using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Batch-norm kernels vectorised across features: a column block is one vector of adjacent features, walked down
/// all rows, so its statistics stay in registers; the block's rows are re-read for the output while they are
/// still in L1 (rows · one vector ≤ 32 KiB: up to 1024 rows at Vector256). A feature count that is not a multiple of the vector ends
/// with one overlapping last block: the reductions simply recompute the overlapped features (same lanes, same
/// order, same bits), and the writing passes blend the overlapped lanes back so an aliased output stays right.
/// Callers guarantee <c>features ≥ TOps.Count</c> and checked span lengths.
/// </summary>
internal static class BatchNormVector
{
    /// <remarks>
    /// Mean and variance come from one pass of shifted sums, Σ(x − k) and Σ(x − k)², with k the column's first
    /// row. Raw Σx² − (Σx)²/n loses every digit when |mean| ≫ std (pixel values, un-centred features); shifted by a
    /// sample of the same column, the cancellation is bounded by ((mean − k)/std)², which for any but an extreme
    /// outlier in row 0 is a small factor; a constant column gives exactly zero variance. Welford's update would be
    /// robust even to that outlier but needs a dependent divide-or-multiply chain per row, and a true two-pass scheme
    /// reads the batch once more; the shifted sums keep one pass with four independent FMA chains per block.
    /// </remarks>
    public static void ForwardTraining<TVec, TOps>(ReadOnlySpan<float> x, int rows, int features,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon, Span<float> y, Span<float> mean,
        Span<float> invStd)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float means = ref MemoryMarshal.GetReference(mean);
        ref float invStds = ref MemoryMarshal.GetReference(invStd);
        int count = TOps.Count;
        int last = features - count;
        bool ragged = features % count != 0;
        // The overlapping last block's statistics first: once y (which may be x) is written, its overlapped columns are gone.
        if (ragged)
        {
            Statistics<TVec, TOps>(ref xs, rows, features, last, epsilon, out TVec mu, out TVec s);
            TOps.Store(mu, ref means, (nuint)last);
            TOps.Store(s, ref invStds, (nuint)last);
        }
        for (int f = 0; f <= last; f += count)
        {
            Statistics<TVec, TOps>(ref xs, rows, features, f, epsilon, out TVec mu, out TVec s);
            TOps.Store(mu, ref means, (nuint)f);
            TOps.Store(s, ref invStds, (nuint)f);
            Normalize<TVec, TOps>(ref xs, ref ys, rows, features, f, mu, s, gamma, beta, masked: false, default);
        }
        if (ragged)
        {
            TVec mu = TOps.Load(ref means, (nuint)last);
            TVec s = TOps.Load(ref invStds, (nuint)last);
            Normalize<TVec, TOps>(ref xs, ref ys, rows, features, last, mu, s, gamma, beta, masked: true,
                TOps.LanesFrom(count - features % count));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Statistics<TVec, TOps>(ref float xs, int rows, int features, int f, float epsilon,
        out TVec mean, out TVec invStd)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        TVec k = TOps.Load(ref xs, (nuint)f);
        TVec zero = TOps.Create(0);
        TVec a0 = zero, a1 = zero, a2 = zero, a3 = zero, q0 = zero, q1 = zero, q2 = zero, q3 = zero;
        nuint stride = (nuint)features;
        nuint o = (nuint)f;
        int r = 0;
        // Four rows at a time into separate accumulators: four independent add/FMA chains hide their latency.
        for (; r + 4 <= rows; r += 4)
        {
            TVec d0 = TOps.Subtract(TOps.Load(ref xs, o), k);
            TVec d1 = TOps.Subtract(TOps.Load(ref xs, o + stride), k);
            TVec d2 = TOps.Subtract(TOps.Load(ref xs, o + 2 * stride), k);
            TVec d3 = TOps.Subtract(TOps.Load(ref xs, o + 3 * stride), k);
            a0 = TOps.Add(a0, d0); q0 = TOps.MultiplyAdd(d0, d0, q0);
            a1 = TOps.Add(a1, d1); q1 = TOps.MultiplyAdd(d1, d1, q1);
            a2 = TOps.Add(a2, d2); q2 = TOps.MultiplyAdd(d2, d2, q2);
            a3 = TOps.Add(a3, d3); q3 = TOps.MultiplyAdd(d3, d3, q3);
            o += 4 * stride;
        }
        for (; r < rows; r++, o += stride)
        {
            TVec d = TOps.Subtract(TOps.Load(ref xs, o), k);
            a0 = TOps.Add(a0, d);
            q0 = TOps.MultiplyAdd(d, d, q0);
        }
        TVec inverseRows = TOps.Create(1f / rows);
        TVec shiftedMean = TOps.Multiply(TOps.Add(TOps.Add(a0, a1), TOps.Add(a2, a3)), inverseRows);
        TVec meanSquare = TOps.Multiply(TOps.Add(TOps.Add(q0, q1), TOps.Add(q2, q3)), inverseRows);
        // Rounding can leave a constant column a hair below zero; Max keeps NaN (IEEE maximum).
        TVec variance = TOps.Max(TOps.Subtract(meanSquare, TOps.Multiply(shiftedMean, shiftedMean)), zero);
        mean = TOps.Add(k, shiftedMean);
        invStd = TOps.Divide(TOps.Create(1), TOps.Sqrt(TOps.Add(variance, TOps.Create(epsilon))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Normalize<TVec, TOps>(ref float xs, ref float ys, int rows, int features, int f, TVec mean,
        TVec invStd, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, bool masked, TVec mask)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        // (x − mean)·scale + beta rather than x·scale + shift: the subtraction is exact-ish where mean ≫ std.
        TVec scale = TOps.Multiply(TOps.Load(ref MemoryMarshal.GetReference(gamma), (nuint)f), invStd);
        TVec shift = TOps.Load(ref MemoryMarshal.GetReference(beta), (nuint)f);
        nuint stride = (nuint)features;
        nuint o = (nuint)f;
        for (int r = 0; r < rows; r++, o += stride)
        {
            TVec v = TOps.MultiplyAdd(TOps.Subtract(TOps.Load(ref xs, o), mean), scale, shift);
            if (masked) v = TOps.Select(mask, v, TOps.Load(ref ys, o));
            TOps.Store(v, ref ys, o);
        }
    }

    public static void Backward<TVec, TOps>(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int rows, int features,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, Span<float> dx,
        Span<float> dGamma, Span<float> dBeta)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float dys = ref MemoryMarshal.GetReference(dy);
        ref float dxs = ref MemoryMarshal.GetReference(dx);
        ref float means = ref MemoryMarshal.GetReference(mean);
        ref float invStds = ref MemoryMarshal.GetReference(invStd);
        ref float gammas = ref MemoryMarshal.GetReference(gamma);
        ref float dGammas = ref MemoryMarshal.GetReference(dGamma);
        ref float dBetas = ref MemoryMarshal.GetReference(dBeta);
        int count = TOps.Count;
        int last = features - count;
        bool ragged = features % count != 0;
        TVec inverseRows = TOps.Create(1f / rows);
        // The overlapping last block's sums first: once dx (which may be dy) is written, its overlapped columns are gone.
        if (ragged)
        {
            GradientSums<TVec, TOps>(ref xs, ref dys, rows, features, last, TOps.Load(ref means, (nuint)last),
                TOps.Load(ref invStds, (nuint)last), out TVec gb, out TVec gg);
            TOps.Store(gb, ref dBetas, (nuint)last);
            TOps.Store(gg, ref dGammas, (nuint)last);
        }
        for (int f = 0; f <= last; f += count)
        {
            TVec mu = TOps.Load(ref means, (nuint)f);
            TVec s = TOps.Load(ref invStds, (nuint)f);
            GradientSums<TVec, TOps>(ref xs, ref dys, rows, features, f, mu, s, out TVec gb, out TVec gg);
            TOps.Store(gb, ref dBetas, (nuint)f);
            TOps.Store(gg, ref dGammas, (nuint)f);
            InputGradient<TVec, TOps>(ref xs, ref dys, ref dxs, rows, features, f, mu, s,
                TOps.Load(ref gammas, (nuint)f), gb, gg, inverseRows, masked: false, default);
        }
        if (ragged)
        {
            InputGradient<TVec, TOps>(ref xs, ref dys, ref dxs, rows, features, last,
                TOps.Load(ref means, (nuint)last), TOps.Load(ref invStds, (nuint)last), TOps.Load(ref gammas, (nuint)last),
                TOps.Load(ref dBetas, (nuint)last), TOps.Load(ref dGammas, (nuint)last), inverseRows, masked: true,
                TOps.LanesFrom(count - features % count));
        }
    }

    /// <summary>dBeta = Σdy and dGamma = Σdy·xhat = invStd·Σdy·(x − mean), down one column block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientSums<TVec, TOps>(ref float xs, ref float dys, int rows, int features, int f,
        TVec mean, TVec invStd, out TVec dBeta, out TVec dGamma)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        TVec zero = TOps.Create(0);
        TVec b0 = zero, b1 = zero, b2 = zero, b3 = zero, g0 = zero, g1 = zero, g2 = zero, g3 = zero;
        nuint stride = (nuint)features;
        nuint o = (nuint)f;
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            TVec e0 = TOps.Load(ref dys, o), e1 = TOps.Load(ref dys, o + stride);
            TVec e2 = TOps.Load(ref dys, o + 2 * stride), e3 = TOps.Load(ref dys, o + 3 * stride);
            b0 = TOps.Add(b0, e0); g0 = TOps.MultiplyAdd(e0, TOps.Subtract(TOps.Load(ref xs, o), mean), g0);
            b1 = TOps.Add(b1, e1); g1 = TOps.MultiplyAdd(e1, TOps.Subtract(TOps.Load(ref xs, o + stride), mean), g1);
            b2 = TOps.Add(b2, e2); g2 = TOps.MultiplyAdd(e2, TOps.Subtract(TOps.Load(ref xs, o + 2 * stride), mean), g2);
            b3 = TOps.Add(b3, e3); g3 = TOps.MultiplyAdd(e3, TOps.Subtract(TOps.Load(ref xs, o + 3 * stride), mean), g3);
            o += 4 * stride;
        }
        for (; r < rows; r++, o += stride)
        {
            TVec e = TOps.Load(ref dys, o);
            b0 = TOps.Add(b0, e);
            g0 = TOps.MultiplyAdd(e, TOps.Subtract(TOps.Load(ref xs, o), mean), g0);
        }
        dBeta = TOps.Add(TOps.Add(b0, b1), TOps.Add(b2, b3));
        dGamma = TOps.Multiply(TOps.Add(TOps.Add(g0, g1), TOps.Add(g2, g3)), invStd);
    }

    /// <summary>dx = gamma·invStd·(dy − mean(dy) − (x − mean)·invStd·mean(dy·xhat)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputGradient<TVec, TOps>(ref float xs, ref float dys, ref float dxs, int rows, int features,
        int f, TVec mean, TVec invStd, TVec gamma, TVec dBeta, TVec dGamma, TVec inverseRows, bool masked, TVec mask)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        TVec k = TOps.Multiply(gamma, invStd);
        TVec meanDy = TOps.Multiply(dBeta, inverseRows);
        TVec slope = TOps.Multiply(TOps.Multiply(dGamma, invStd), inverseRows);
        nuint stride = (nuint)features;
        nuint o = (nuint)f;
        for (int r = 0; r < rows; r++, o += stride)
        {
            TVec centred = TOps.MultiplyAdd(TOps.Subtract(TOps.Load(ref xs, o), mean), slope, meanDy);
            TVec v = TOps.Multiply(TOps.Subtract(TOps.Load(ref dys, o), centred), k);
            if (masked) v = TOps.Select(mask, v, TOps.Load(ref dxs, o));
            TOps.Store(v, ref dxs, o);
        }
    }

    public static void ForwardInference<TVec, TOps>(ReadOnlySpan<float> x, int rows, int features,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float scales = ref MemoryMarshal.GetReference(scale);
        ref float shifts = ref MemoryMarshal.GetReference(shift);
        int count = TOps.Count;
        int last = features - count;
        for (int f = 0; f <= last; f += count)
            ScaleShift<TVec, TOps>(ref xs, ref ys, rows, features, f, TOps.Load(ref scales, (nuint)f),
                TOps.Load(ref shifts, (nuint)f), masked: false, default);
        if (features % count != 0)
            ScaleShift<TVec, TOps>(ref xs, ref ys, rows, features, last, TOps.Load(ref scales, (nuint)last),
                TOps.Load(ref shifts, (nuint)last), masked: true, TOps.LanesFrom(count - features % count));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScaleShift<TVec, TOps>(ref float xs, ref float ys, int rows, int features, int f, TVec scale,
        TVec shift, bool masked, TVec mask)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        nuint stride = (nuint)features;
        nuint o = (nuint)f;
        for (int r = 0; r < rows; r++, o += stride)
        {
            TVec v = TOps.MultiplyAdd(TOps.Load(ref xs, o), scale, shift);
            if (masked) v = TOps.Select(mask, v, TOps.Load(ref ys, o));
            TOps.Store(v, ref ys, o);
        }
    }
}
