using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Layer-norm kernels vectorised along each row: a row is reduced and written in memory order, a vector at a time,
/// and a length that is not a multiple of the vector ends with one overlapping last vector. In the reductions its
/// already-counted lanes are masked off; where it writes, it is computed before the row's first store and stored
/// after the last, so an output that is its input still reads only input there. Callers guarantee
/// <c>length ≥ TOps.Count</c> and checked span lengths.
/// </summary>
internal static class LayerNormVector
{
    /// <remarks>
    /// The statistics take two passes over the row, which stays in L1 between them. Pass 1 forms a first mean,
    /// Σ x·(1/2n) (halved so that no sum of floats overflows), and the largest |x|. Pass 2 sums the deviations from
    /// that mean and their squares, of the row scaled by k, the power of two that brings the largest |x| to [1, 2):
    /// d = x·k − mean·k. Scaling by a power of two is exact, so the sums neither overflow (rows up to float's
    /// largest value) nor lose digits, and the deviations from a mean close to the row's are the exact two-pass
    /// formula: no cancellation for rows whose mean is large against their spread, as the one-pass Σx² − (Σx)²/n
    /// suffers. The mean is then corrected by Σd/n (the corrected two-pass algorithm, Chan, Golub and LeVeque 1983):
    /// a constant row gets its value back exactly, normalises to 0 and keeps variance 0.
    /// </remarks>
    public static void Forward<TVec, TOps>(ReadOnlySpan<float> x, int rows, int length, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, float epsilon, Span<float> y, Span<float> mean, Span<float> rstd)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float gammas = ref MemoryMarshal.GetReference(gamma);
        ref float betas = ref MemoryMarshal.GetReference(beta);
        bool scale = !gamma.IsEmpty, shift = !beta.IsEmpty, keep = !mean.IsEmpty;
        int count = TOps.Count, rest = length % count;
        nuint last = (nuint)(length - count), full = (nuint)(length - rest);
        TVec fresh = TOps.LanesFrom(count - rest), zero = TOps.Create(0);
        TVec halfInverse = TOps.Create(0.5f / length), magnitude = TOps.Create(BitConverter.Int32BitsToSingle(0x7FFF_FFFF));
        for (int r = 0; r < rows; r++)
        {
            ref float row = ref Unsafe.Add(ref xs, (nint)r * length);
            ref float output = ref Unsafe.Add(ref ys, (nint)r * length);

            // Pass 1: half the first mean, and the largest magnitude.
            TVec s0 = zero, s1 = zero, m0 = zero, m1 = zero;
            nuint f = 0;
            for (; f + (nuint)(2 * count) <= (nuint)length; f += (nuint)(2 * count))
            {
                TVec a = TOps.Load(ref row, f), b = TOps.Load(ref row, f + (nuint)count);
                s0 = TOps.MultiplyAdd(a, halfInverse, s0);
                s1 = TOps.MultiplyAdd(b, halfInverse, s1);
                m0 = TOps.MaxNative(m0, TOps.And(a, magnitude));
                m1 = TOps.MaxNative(m1, TOps.And(b, magnitude));
            }
            if (f < full)
            {
                TVec a = TOps.Load(ref row, f);
                s0 = TOps.MultiplyAdd(a, halfInverse, s0);
                m0 = TOps.MaxNative(m0, TOps.And(a, magnitude));
            }
            if (rest != 0)
            {
                TVec a = TOps.And(TOps.Load(ref row, last), fresh);
                s1 = TOps.MultiplyAdd(a, halfInverse, s1);
                m1 = TOps.MaxNative(m1, TOps.And(a, magnitude));
            }
            float half = TOps.Sum(TOps.Add(s0, s1));
            float k = PowerOfTwoScale(TOps.MaxLanes(TOps.MaxNative(m0, m1)));
            // half·2k is the first mean, scaled by k: a power-of-two product, exact.
            float centre = half * (2 * k);

            // Pass 2: Σd and Σd², d = x·k − centre.
            TVec kv = TOps.Create(k), minusCentre = TOps.Create(-centre);
            TVec d0 = zero, d1 = zero, q0 = zero, q1 = zero;
            for (f = 0; f + (nuint)(2 * count) <= (nuint)length; f += (nuint)(2 * count))
            {
                TVec a = TOps.MultiplyAdd(TOps.Load(ref row, f), kv, minusCentre);
                TVec b = TOps.MultiplyAdd(TOps.Load(ref row, f + (nuint)count), kv, minusCentre);
                d0 = TOps.Add(d0, a);
                d1 = TOps.Add(d1, b);
                q0 = TOps.MultiplyAdd(a, a, q0);
                q1 = TOps.MultiplyAdd(b, b, q1);
            }
            if (f < full)
            {
                TVec a = TOps.MultiplyAdd(TOps.Load(ref row, f), kv, minusCentre);
                d0 = TOps.Add(d0, a);
                q0 = TOps.MultiplyAdd(a, a, q0);
            }
            if (rest != 0)
            {
                TVec a = TOps.And(TOps.MultiplyAdd(TOps.Load(ref row, last), kv, minusCentre), fresh);
                d1 = TOps.Add(d1, a);
                q1 = TOps.MultiplyAdd(a, a, q1);
            }
            var (m, s) = Finish(centre, k, TOps.Sum(TOps.Add(d0, d1)), TOps.Sum(TOps.Add(q0, q1)), length, epsilon);
            if (keep)
            {
                mean[r] = m;
                rstd[r] = s;
            }

            // Pass 3: y = (x − mean)·rstd·gamma + beta; the difference first, exact where x is close to the mean.
            TVec mv = TOps.Create(m), sv = TOps.Create(s);
            TVec end = rest != 0 ? Normalize<TVec, TOps>(ref row, ref gammas, ref betas, last, mv, sv, scale, shift) : zero;
            for (f = 0; f < full; f += (nuint)count)
                TOps.Store(Normalize<TVec, TOps>(ref row, ref gammas, ref betas, f, mv, sv, scale, shift), ref output, f);
            if (rest != 0) TOps.Store(end, ref output, last);
        }
    }

    /// <summary>
    /// The power of two k that brings <paramref name="largest"/> (≥ 0) to [1, 2), kept within float's normal range so
    /// that k itself is never subnormal.
    /// </summary>
    internal static float PowerOfTwoScale(float largest)
    {
        // From the exponent field E (largest = 1.m·2^(E−127)): k = 2^(127−E), whose own field is 254 − E. E is kept to
        // [1, 253] so that k stays normal: zero and subnormal rows take 2^126, infinity and NaN (which the mean carries) 2^−126.
        int exponent = Math.Clamp((BitConverter.SingleToInt32Bits(largest) >> 23) & 0xFF, 1, 253);
        return BitConverter.Int32BitsToSingle((254 - exponent) << 23);
    }

    /// <summary>
    /// The corrected mean and 1/sqrt(variance + epsilon) from the scaled sums, in double: the variance of a row of
    /// large values, unscaled, can exceed float's range where its reciprocal root does not.
    /// </summary>
    private static (float Mean, float Rstd) Finish(float centre, float k, float sumD, float sumSquares, int length, float epsilon)
    {
        double n = length, offset = sumD / n;
        // Rounding can leave a constant row a hair below zero; Math.Max keeps NaN.
        double scaledVariance = Math.Max(sumSquares / n - offset * offset, 0);
        double mean = (centre + offset) / k;
        return ((float)mean, (float)(1.0 / Math.Sqrt(scaledVariance / ((double)k * k) + epsilon)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Normalize<TVec, TOps>(ref float row, ref float gammas, ref float betas, nuint f, TVec mean,
        TVec rstd, bool scale, bool shift)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        TVec v = TOps.Multiply(TOps.Subtract(TOps.Load(ref row, f), mean), rstd);
        if (scale)
            return shift ? TOps.MultiplyAdd(v, TOps.Load(ref gammas, f), TOps.Load(ref betas, f)) : TOps.Multiply(v, TOps.Load(ref gammas, f));
        return shift ? TOps.Add(v, TOps.Load(ref betas, f)) : v;
    }

    /// <summary>
    /// Per row: one pass adds dy·x̂ and dy to dGamma and dBeta and sums g = dy·gamma and g·x̂; a second writes
    /// dx = rstd·(g − mean(g) − x̂·mean(g·x̂)). The row's x and dy are all read before its dx (maybe one of them) is written.
    /// </summary>
    public static void Backward<TVec, TOps>(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int rows, int length,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx,
        Span<float> dGamma, Span<float> dBeta)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float dys = ref MemoryMarshal.GetReference(dy);
        ref float dxs = ref MemoryMarshal.GetReference(dx);
        ref float gammas = ref MemoryMarshal.GetReference(gamma);
        ref float dGammas = ref MemoryMarshal.GetReference(dGamma);
        ref float dBetas = ref MemoryMarshal.GetReference(dBeta);
        bool scale = !gamma.IsEmpty, inputs = !dx.IsEmpty, scales = !dGamma.IsEmpty, shifts = !dBeta.IsEmpty;
        if (!inputs && !scales && !shifts) return;
        int count = TOps.Count, rest = length % count;
        nuint last = (nuint)(length - count), full = (nuint)(length - rest);
        TVec fresh = TOps.LanesFrom(count - rest), zero = TOps.Create(0);
        float inverse = 1f / length;
        for (int r = 0; r < rows; r++)
        {
            ref float xRow = ref Unsafe.Add(ref xs, (nint)r * length);
            ref float dyRow = ref Unsafe.Add(ref dys, (nint)r * length);
            TVec mv = TOps.Create(mean[r]), sv = TOps.Create(rstd[r]);

            // Pass 1: the parameter gradients, and Σg and Σg·x̂ when dx is wanted.
            TVec sumG = zero, sumGx = zero;
            for (nuint f = 0; f < full; f += (nuint)count)
            {
                TVec e = TOps.Load(ref dyRow, f);
                TVec xhat = TOps.Multiply(TOps.Subtract(TOps.Load(ref xRow, f), mv), sv);
                if (scales) TOps.Store(TOps.MultiplyAdd(e, xhat, TOps.Load(ref dGammas, f)), ref dGammas, f);
                if (shifts) TOps.Store(TOps.Add(TOps.Load(ref dBetas, f), e), ref dBetas, f);
                if (inputs)
                {
                    TVec g = scale ? TOps.Multiply(e, TOps.Load(ref gammas, f)) : e;
                    sumG = TOps.Add(sumG, g);
                    sumGx = TOps.MultiplyAdd(g, xhat, sumGx);
                }
            }
            if (rest != 0)
            {
                TVec e = TOps.Load(ref dyRow, last);
                TVec xhat = TOps.Multiply(TOps.Subtract(TOps.Load(ref xRow, last), mv), sv);
                if (scales) TOps.Store(TOps.Add(TOps.Load(ref dGammas, last), TOps.And(TOps.Multiply(e, xhat), fresh)), ref dGammas, last);
                if (shifts) TOps.Store(TOps.Add(TOps.Load(ref dBetas, last), TOps.And(e, fresh)), ref dBetas, last);
                if (inputs)
                {
                    TVec g = scale ? TOps.Multiply(e, TOps.Load(ref gammas, last)) : e;
                    sumG = TOps.Add(sumG, TOps.And(g, fresh));
                    sumGx = TOps.Add(sumGx, TOps.And(TOps.Multiply(g, xhat), fresh));
                }
            }
            if (!inputs) continue;

            // Pass 2: dx = rstd·(g − (mean(g) + x̂·mean(g·x̂))).
            ref float dxRow = ref Unsafe.Add(ref dxs, (nint)r * length);
            TVec meanG = TOps.Create(TOps.Sum(sumG) * inverse), meanGx = TOps.Create(TOps.Sum(sumGx) * inverse);
            TVec end = rest != 0 ? InputGradient<TVec, TOps>(ref xRow, ref dyRow, ref gammas, last, mv, sv, meanG, meanGx, scale) : zero;
            for (nuint f = 0; f < full; f += (nuint)count)
                TOps.Store(InputGradient<TVec, TOps>(ref xRow, ref dyRow, ref gammas, f, mv, sv, meanG, meanGx, scale), ref dxRow, f);
            if (rest != 0) TOps.Store(end, ref dxRow, last);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec InputGradient<TVec, TOps>(ref float xRow, ref float dyRow, ref float gammas, nuint f, TVec mean,
        TVec rstd, TVec meanG, TVec meanGx, bool scale)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        TVec e = TOps.Load(ref dyRow, f);
        TVec g = scale ? TOps.Multiply(e, TOps.Load(ref gammas, f)) : e;
        TVec xhat = TOps.Multiply(TOps.Subtract(TOps.Load(ref xRow, f), mean), rstd);
        return TOps.Multiply(TOps.Subtract(g, TOps.MultiplyAdd(xhat, meanGx, meanG)), rstd);
    }
}
