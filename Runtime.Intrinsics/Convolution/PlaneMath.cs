using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Loops over one contiguous run of floats (an image plane, a row) for the convolution, pooling and channel
/// batch-norm kernels: vectors over the run, scalars for the last few elements.
/// </summary>
internal static class PlaneMath
{
    /// <summary>z[i] = a[i] + b[i] in one pass; z may be a or b.</summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> z, SimdWidth width) =>
        BinaryDriver.Run(new AddOperator(), a, b, z, width);

    /// <summary>dst[i] += src[i].</summary>
    public static void AddInto(ReadOnlySpan<float> src, Span<float> dst, SimdWidth width) =>
        BinaryDriver.Run(new AddOperator(), src, dst, dst, width);

    /// <summary>(Σ(x − k), Σ(x − k)²) over the run, accumulated in float.</summary>
    public static (float Sum, float Squares) ShiftedSums(ReadOnlySpan<float> x, float k, SimdWidth width) =>
        VectorWidth.Fit(width, x.Length) switch
        {
            SimdWidth.V512 => ShiftedSums<Vector512<float>, Float512>(x, k),
            SimdWidth.V256 => ShiftedSums<Vector256<float>, Float256>(x, k),
            SimdWidth.V128 => ShiftedSums<Vector128<float>, Float128>(x, k),
            _ => ShiftedSumsScalar(x, k, 0),
        };

    /// <summary>(Σdy, Σdy·(x − mean)) over the run.</summary>
    public static (float Sum, float Products) GradientSums(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float mean, SimdWidth width) =>
        VectorWidth.Fit(width, x.Length) switch
        {
            SimdWidth.V512 => GradientSums<Vector512<float>, Float512>(x, dy, mean),
            SimdWidth.V256 => GradientSums<Vector256<float>, Float256>(x, dy, mean),
            SimdWidth.V128 => GradientSums<Vector128<float>, Float128>(x, dy, mean),
            _ => GradientSumsScalar(x, dy, mean, 0),
        };

    /// <summary>y = (x − center)·scale + shift; y may be x.</summary>
    public static void Affine(ReadOnlySpan<float> x, Span<float> y, float center, float scale, float shift, SimdWidth width)
    {
        switch (VectorWidth.Fit(width, x.Length))
        {
            case SimdWidth.V512: Affine<Vector512<float>, Float512>(x, y, center, scale, shift); break;
            case SimdWidth.V256: Affine<Vector256<float>, Float256>(x, y, center, scale, shift); break;
            case SimdWidth.V128: Affine<Vector128<float>, Float128>(x, y, center, scale, shift); break;
            default: AffineScalar(x, y, center, scale, shift, 0); break;
        }
    }

    /// <summary>dx = a·(dy − b − (x − mean)·c), batch-norm's input gradient; dx may be dy.</summary>
    public static void NormalizeGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float mean, float a, float b, float c, SimdWidth width)
    {
        switch (VectorWidth.Fit(width, x.Length))
        {
            case SimdWidth.V512: NormalizeGradient<Vector512<float>, Float512>(x, dy, dx, mean, a, b, c); break;
            case SimdWidth.V256: NormalizeGradient<Vector256<float>, Float256>(x, dy, dx, mean, a, b, c); break;
            case SimdWidth.V128: NormalizeGradient<Vector128<float>, Float128>(x, dy, dx, mean, a, b, c); break;
            default: NormalizeGradientScalar(x, dy, dx, mean, a, b, c, 0); break;
        }
    }

    private static (float, float) ShiftedSums<TVec, TOps>(ReadOnlySpan<float> x, float k)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        int count = TOps.Count, i = 0;
        TVec kv = TOps.Create(k), s0 = TOps.Create(0), s1 = s0, q0 = s0, q1 = s0;
        for (; i <= x.Length - 2 * count; i += 2 * count)
        {
            TVec d0 = TOps.Subtract(TOps.Load(ref xs, (nuint)i), kv), d1 = TOps.Subtract(TOps.Load(ref xs, (nuint)(i + count)), kv);
            s0 = TOps.Add(s0, d0); q0 = TOps.MultiplyAdd(d0, d0, q0);
            s1 = TOps.Add(s1, d1); q1 = TOps.MultiplyAdd(d1, d1, q1);
        }
        for (; i <= x.Length - count; i += count)
        {
            TVec d0 = TOps.Subtract(TOps.Load(ref xs, (nuint)i), kv);
            s0 = TOps.Add(s0, d0); q0 = TOps.MultiplyAdd(d0, d0, q0);
        }
        var (sum, squares) = ShiftedSumsScalar(x, k, i);
        return (sum + TOps.Sum(TOps.Add(s0, s1)), squares + TOps.Sum(TOps.Add(q0, q1)));
    }

    private static (float, float) ShiftedSumsScalar(ReadOnlySpan<float> x, float k, int from)
    {
        float sum = 0, squares = 0;
        for (int i = from; i < x.Length; i++)
        {
            float d = x[i] - k;
            sum += d;
            squares += d * d;
        }
        return (sum, squares);
    }

    private static (float, float) GradientSums<TVec, TOps>(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float mean)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ds = ref MemoryMarshal.GetReference(dy);
        int count = TOps.Count, i = 0;
        TVec mv = TOps.Create(mean), s0 = TOps.Create(0), s1 = s0, p0 = s0, p1 = s0;
        for (; i <= x.Length - 2 * count; i += 2 * count)
        {
            TVec d0 = TOps.Load(ref ds, (nuint)i), d1 = TOps.Load(ref ds, (nuint)(i + count));
            s0 = TOps.Add(s0, d0); p0 = TOps.MultiplyAdd(d0, TOps.Subtract(TOps.Load(ref xs, (nuint)i), mv), p0);
            s1 = TOps.Add(s1, d1); p1 = TOps.MultiplyAdd(d1, TOps.Subtract(TOps.Load(ref xs, (nuint)(i + count)), mv), p1);
        }
        for (; i <= x.Length - count; i += count)
        {
            TVec d0 = TOps.Load(ref ds, (nuint)i);
            s0 = TOps.Add(s0, d0); p0 = TOps.MultiplyAdd(d0, TOps.Subtract(TOps.Load(ref xs, (nuint)i), mv), p0);
        }
        var (sum, products) = GradientSumsScalar(x, dy, mean, i);
        return (sum + TOps.Sum(TOps.Add(s0, s1)), products + TOps.Sum(TOps.Add(p0, p1)));
    }

    private static (float, float) GradientSumsScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float mean, int from)
    {
        float sum = 0, products = 0;
        for (int i = from; i < x.Length; i++)
        {
            sum += dy[i];
            products += dy[i] * (x[i] - mean);
        }
        return (sum, products);
    }

    private static void Affine<TVec, TOps>(ReadOnlySpan<float> x, Span<float> y, float center, float scale, float shift)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int count = TOps.Count, i = 0;
        TVec c = TOps.Create(center), s = TOps.Create(scale), b = TOps.Create(shift);
        for (; i <= x.Length - count; i += count)
            TOps.Store(TOps.MultiplyAdd(TOps.Subtract(TOps.Load(ref xs, (nuint)i), c), s, b), ref ys, (nuint)i);
        AffineScalar(x, y, center, scale, shift, i);
    }

    private static void AffineScalar(ReadOnlySpan<float> x, Span<float> y, float center, float scale, float shift, int from)
    {
        for (int i = from; i < x.Length; i++) y[i] = (x[i] - center) * scale + shift;
    }

    private static void NormalizeGradient<TVec, TOps>(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float mean, float a, float b, float c)
        where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ds = ref MemoryMarshal.GetReference(dy);
        ref float gs = ref MemoryMarshal.GetReference(dx);
        int count = TOps.Count, i = 0;
        TVec mv = TOps.Create(mean), av = TOps.Create(a), bv = TOps.Create(b), cv = TOps.Create(c);
        for (; i <= x.Length - count; i += count)
        {
            TVec centered = TOps.Subtract(TOps.Load(ref xs, (nuint)i), mv);
            TVec inner = TOps.Subtract(TOps.Subtract(TOps.Load(ref ds, (nuint)i), bv), TOps.Multiply(centered, cv));
            TOps.Store(TOps.Multiply(av, inner), ref gs, (nuint)i);
        }
        NormalizeGradientScalar(x, dy, dx, mean, a, b, c, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NormalizeGradientScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float mean, float a, float b, float c, int from)
    {
        for (int i = from; i < x.Length; i++) dx[i] = a * (dy[i] - b - (x[i] - mean) * c);
    }
}
