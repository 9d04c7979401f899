using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Batch-norm kernels vectorised across features, walking the batch in memory order: rows outside, in groups of
/// four, feature vectors inside. Per-feature sums live in the output spans (mean/invStd, dBeta/dGamma), each loaded
/// and stored once per four rows, so every pass streams x, y, dy and dx sequentially. (Walking one column block
/// down all rows instead keeps sums in registers but reads with a stride of a whole row: with power-of-two widths
/// the column maps to a few L1 sets and every re-read comes from L2 or beyond.) A feature count that is not a
/// multiple of the vector ends each row with one overlapping last vector whose already-handled lanes are masked:
/// their contributions to the sums are zeroed, and their outputs are blended back, so an aliased output stays right.
/// Callers guarantee <c>features ≥ TOps.Count</c>, <c>rows ≥ 1</c> and checked span lengths.
/// </summary>
internal static class BatchNormVector
{
    /// <remarks>
    /// Mean and variance come from one pass of shifted sums, Σ(x − k) and Σ(x − k)², with k the column's first
    /// row. Raw Σx² − (Σx)²/n loses every digit when |mean| ≫ std (pixel values, un-centred features); shifted by a
    /// sample of the same column, the cancellation is bounded by ((mean − k)/std)², which for any but an extreme
    /// outlier in row 0 is a small factor; a constant column gives exactly zero variance. Welford's update would be
    /// robust even to that outlier but needs a divide or reciprocal per row in a dependent chain, and a true
    /// two-pass scheme reads the batch once more; the shifted sums keep the statistics to one pass.
    /// </remarks>
    public static void ForwardTraining<TVec, TOps>(ReadOnlySpan<float> x, int rows, int features,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon, Span<float> y, Span<float> mean,
        Span<float> invStd)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float sums = ref MemoryMarshal.GetReference(mean);
        ref float squares = ref MemoryMarshal.GetReference(invStd);
        ref float gammas = ref MemoryMarshal.GetReference(gamma);
        ref float betas = ref MemoryMarshal.GetReference(beta);
        int count = TOps.Count;
        nuint last = (nuint)(features - count), stride = (nuint)features;
        int rest = features % count;
        TVec fresh = TOps.LanesFrom(count - rest), zero = TOps.Create(0);

        // Full groups pass a constant 4, which the JIT unrolls in the inlined row loop.
        // Pass 1: Σ(x − k) into mean, Σ(x − k)² into invStd; k is row 0, still intact (y is written only in pass 2).
        mean.Clear();
        invStd.Clear();
        for (int r = 0; r < rows; r += 4)
        {
            ref float row = ref Unsafe.Add(ref xs, (nint)r * features);
            int group = Math.Min(4, rows - r);
            if (group == 4)
                for (nuint f = 0; f <= last; f += (nuint)count)
                    AccumulateShifted<TVec, TOps>(ref row, stride, 4, ref xs, ref sums, ref squares, f, masked: false, fresh, zero);
            else
                for (nuint f = 0; f <= last; f += (nuint)count)
                    AccumulateShifted<TVec, TOps>(ref row, stride, group, ref xs, ref sums, ref squares, f, masked: false, fresh, zero);
            if (rest != 0)
                AccumulateShifted<TVec, TOps>(ref row, stride, group, ref xs, ref sums, ref squares, last, masked: true, fresh, zero);
        }
        TVec inverseRows = TOps.Create(1f / rows), eps = TOps.Create(epsilon), one = TOps.Create(1);
        for (nuint f = 0; f <= last; f += (nuint)count)
            FinishStatistics<TVec, TOps>(ref xs, ref sums, ref squares, f, inverseRows, eps, one, zero, masked: false, fresh);
        if (rest != 0)
            FinishStatistics<TVec, TOps>(ref xs, ref sums, ref squares, last, inverseRows, eps, one, zero, masked: true, fresh);

        // Pass 2: y = (x − mean)·gamma·invStd + beta; x − mean first, which is exact-ish where mean ≫ std.
        for (int r = 0; r < rows; r += 4)
        {
            ref float xRow = ref Unsafe.Add(ref xs, (nint)r * features);
            ref float yRow = ref Unsafe.Add(ref ys, (nint)r * features);
            int group = Math.Min(4, rows - r);
            if (group == 4)
                for (nuint f = 0; f <= last; f += (nuint)count)
                    Normalize<TVec, TOps>(ref xRow, ref yRow, stride, 4, ref sums, ref squares, ref gammas, ref betas, f, masked: false, fresh);
            else
                for (nuint f = 0; f <= last; f += (nuint)count)
                    Normalize<TVec, TOps>(ref xRow, ref yRow, stride, group, ref sums, ref squares, ref gammas, ref betas, f, masked: false, fresh);
            if (rest != 0)
                Normalize<TVec, TOps>(ref xRow, ref yRow, stride, group, ref sums, ref squares, ref gammas, ref betas, last, masked: true, fresh);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateShifted<TVec, TOps>(ref float row, nuint stride, int group, ref float firstRow,
        ref float sums, ref float squares, nuint f, bool masked, TVec fresh, TVec zero)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        TVec k = TOps.Load(ref firstRow, f);
        TVec d = TOps.Subtract(TOps.Load(ref row, f), k);
        TVec sum = d, square = TOps.Multiply(d, d);
        for (int i = 1; i < group; i++)
        {
            d = TOps.Subtract(TOps.Load(ref row, f + (nuint)i * stride), k);
            sum = TOps.Add(sum, d);
            square = TOps.MultiplyAdd(d, d, square);
        }
        if (masked)
        {
            sum = TOps.Select(fresh, sum, zero);
            square = TOps.Select(fresh, square, zero);
        }
        TOps.Store(TOps.Add(TOps.Load(ref sums, f), sum), ref sums, f);
        TOps.Store(TOps.Add(TOps.Load(ref squares, f), square), ref squares, f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishStatistics<TVec, TOps>(ref float firstRow, ref float sums, ref float squares, nuint f,
        TVec inverseRows, TVec epsilon, TVec one, TVec zero, bool masked, TVec fresh)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        TVec sum = TOps.Load(ref sums, f), square = TOps.Load(ref squares, f);
        TVec shiftedMean = TOps.Multiply(sum, inverseRows);
        // Rounding can leave a constant column a hair below zero; Max keeps NaN (IEEE maximum).
        TVec variance = TOps.Max(TOps.Subtract(TOps.Multiply(square, inverseRows), TOps.Multiply(shiftedMean, shiftedMean)), zero);
        TVec mean = TOps.Add(TOps.Load(ref firstRow, f), shiftedMean);
        TVec invStd = TOps.Divide(one, TOps.Sqrt(TOps.Add(variance, epsilon)));
        if (masked)
        {
            mean = TOps.Select(fresh, mean, sum);
            invStd = TOps.Select(fresh, invStd, square);
        }
        TOps.Store(mean, ref sums, f);
        TOps.Store(invStd, ref squares, f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Normalize<TVec, TOps>(ref float xRow, ref float yRow, nuint stride, int group, ref float means,
        ref float invStds, ref float gammas, ref float betas, nuint f, bool masked, TVec fresh)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        TVec mean = TOps.Load(ref means, f);
        TVec scale = TOps.Multiply(TOps.Load(ref gammas, f), TOps.Load(ref invStds, f));
        TVec shift = TOps.Load(ref betas, f);
        for (int i = 0; i < group; i++)
        {
            nuint o = f + (nuint)i * stride;
            TVec v = TOps.MultiplyAdd(TOps.Subtract(TOps.Load(ref xRow, o), mean), scale, shift);
            if (masked) v = TOps.Select(fresh, v, TOps.Load(ref yRow, o));
            TOps.Store(v, ref yRow, o);
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
        nuint last = (nuint)(features - count), stride = (nuint)features;
        int rest = features % count;
        TVec fresh = TOps.LanesFrom(count - rest), zero = TOps.Create(0);

        // Pass 1: dBeta = Σdy, dGamma = Σdy·(x − mean), then ·invStd. All of dy is read before dx (maybe dy) is written.
        dBeta.Clear();
        dGamma.Clear();
        for (int r = 0; r < rows; r += 4)
        {
            ref float xRow = ref Unsafe.Add(ref xs, (nint)r * features);
            ref float dyRow = ref Unsafe.Add(ref dys, (nint)r * features);
            int group = Math.Min(4, rows - r);
            if (group == 4)
                for (nuint f = 0; f <= last; f += (nuint)count)
                    AccumulateGradients<TVec, TOps>(ref xRow, ref dyRow, stride, 4, ref means, ref dBetas, ref dGammas, f, masked: false, fresh, zero);
            else
                for (nuint f = 0; f <= last; f += (nuint)count)
                    AccumulateGradients<TVec, TOps>(ref xRow, ref dyRow, stride, group, ref means, ref dBetas, ref dGammas, f, masked: false, fresh, zero);
            if (rest != 0)
                AccumulateGradients<TVec, TOps>(ref xRow, ref dyRow, stride, group, ref means, ref dBetas, ref dGammas, last, masked: true, fresh, zero);
        }
        for (nuint f = 0; f <= last; f += (nuint)count)
            TOps.Store(TOps.Multiply(TOps.Load(ref dGammas, f), TOps.Load(ref invStds, f)), ref dGammas, f);
        if (rest != 0)
        {
            TVec sum = TOps.Load(ref dGammas, last);
            TOps.Store(TOps.Select(fresh, TOps.Multiply(sum, TOps.Load(ref invStds, last)), sum), ref dGammas, last);
        }

        // Pass 2: dx = gamma·invStd·(dy − mean(dy) − (x − mean)·invStd·mean(dy·xhat)).
        TVec inverseRows = TOps.Create(1f / rows);
        for (int r = 0; r < rows; r += 4)
        {
            ref float xRow = ref Unsafe.Add(ref xs, (nint)r * features);
            ref float dyRow = ref Unsafe.Add(ref dys, (nint)r * features);
            ref float dxRow = ref Unsafe.Add(ref dxs, (nint)r * features);
            int group = Math.Min(4, rows - r);
            if (group == 4)
                for (nuint f = 0; f <= last; f += (nuint)count)
                    InputGradient<TVec, TOps>(ref xRow, ref dyRow, ref dxRow, stride, 4, ref means, ref invStds, ref gammas, ref dBetas, ref dGammas, f, inverseRows, masked: false, fresh);
            else
                for (nuint f = 0; f <= last; f += (nuint)count)
                    InputGradient<TVec, TOps>(ref xRow, ref dyRow, ref dxRow, stride, group, ref means, ref invStds, ref gammas, ref dBetas, ref dGammas, f, inverseRows, masked: false, fresh);
            if (rest != 0)
                InputGradient<TVec, TOps>(ref xRow, ref dyRow, ref dxRow, stride, group, ref means, ref invStds, ref gammas, ref dBetas, ref dGammas, last, inverseRows, masked: true, fresh);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccumulateGradients<TVec, TOps>(ref float xRow, ref float dyRow, nuint stride, int group,
        ref float means, ref float dBetas, ref float dGammas, nuint f, bool masked, TVec fresh, TVec zero)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        TVec mean = TOps.Load(ref means, f);
        TVec e = TOps.Load(ref dyRow, f);
        TVec sum = e, product = TOps.Multiply(e, TOps.Subtract(TOps.Load(ref xRow, f), mean));
        for (int i = 1; i < group; i++)
        {
            nuint o = f + (nuint)i * stride;
            e = TOps.Load(ref dyRow, o);
            sum = TOps.Add(sum, e);
            product = TOps.MultiplyAdd(e, TOps.Subtract(TOps.Load(ref xRow, o), mean), product);
        }
        if (masked)
        {
            sum = TOps.Select(fresh, sum, zero);
            product = TOps.Select(fresh, product, zero);
        }
        TOps.Store(TOps.Add(TOps.Load(ref dBetas, f), sum), ref dBetas, f);
        TOps.Store(TOps.Add(TOps.Load(ref dGammas, f), product), ref dGammas, f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InputGradient<TVec, TOps>(ref float xRow, ref float dyRow, ref float dxRow, nuint stride,
        int group, ref float means, ref float invStds, ref float gammas, ref float dBetas, ref float dGammas, nuint f,
        TVec inverseRows, bool masked, TVec fresh)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        TVec mean = TOps.Load(ref means, f), invStd = TOps.Load(ref invStds, f);
        TVec k = TOps.Multiply(TOps.Load(ref gammas, f), invStd);
        TVec meanDy = TOps.Multiply(TOps.Load(ref dBetas, f), inverseRows);
        TVec slope = TOps.Multiply(TOps.Multiply(TOps.Load(ref dGammas, f), invStd), inverseRows);
        for (int i = 0; i < group; i++)
        {
            nuint o = f + (nuint)i * stride;
            TVec centred = TOps.MultiplyAdd(TOps.Subtract(TOps.Load(ref xRow, o), mean), slope, meanDy);
            TVec v = TOps.Multiply(TOps.Subtract(TOps.Load(ref dyRow, o), centred), k);
            if (masked) v = TOps.Select(fresh, v, TOps.Load(ref dxRow, o));
            TOps.Store(v, ref dxRow, o);
        }
    }

    /// <summary>
    /// Unlike training, nothing here is reduced down a column, so rows stream in memory order: x and y are read and
    /// written sequentially, with the per-feature scale and shift re-read from L1.
    /// </summary>
    public static void ForwardInference<TVec, TOps>(ReadOnlySpan<float> x, int rows, int features,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float scales = ref MemoryMarshal.GetReference(scale);
        ref float shifts = ref MemoryMarshal.GetReference(shift);
        int count = TOps.Count;
        nuint last = (nuint)(features - count);
        int rest = features % count;
        TVec mask = TOps.LanesFrom(count - rest);
        TVec lastScale = TOps.Load(ref scales, last), lastShift = TOps.Load(ref shifts, last);
        for (int r = 0; r < rows; r++)
        {
            ref float xr = ref Unsafe.Add(ref xs, (nint)r * features);
            ref float yr = ref Unsafe.Add(ref ys, (nint)r * features);
            for (nuint f = 0; f <= last; f += (nuint)count)
                TOps.Store(TOps.MultiplyAdd(TOps.Load(ref xr, f), TOps.Load(ref scales, f), TOps.Load(ref shifts, f)), ref yr, f);
            // The overlapped lanes already hold their output (and, in place, no longer their input): blend them back.
            if (rest != 0)
                TOps.Store(TOps.Select(mask, TOps.MultiplyAdd(TOps.Load(ref xr, last), lastScale, lastShift),
                    TOps.Load(ref yr, last)), ref yr, last);
        }
    }
}
