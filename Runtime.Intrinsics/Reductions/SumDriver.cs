using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Sums of an operator over spans: Σ f(x), Σ f(a, b), and y = f(x) stored while Σ y is formed. Two vector
/// accumulators per width; the tail is the last vector with the lanes already counted masked off. The order of
/// additions depends only on the length and the width, so results are reproducible.
/// </summary>
internal static class SumDriver
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum<TOp>(TOp op, ReadOnlySpan<float> x, SimdWidth width) where TOp : struct, IUnaryOperator
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) return Sum<Vector512<float>, Float512, TOp>(op, ref xr, n);
        if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) return Sum<Vector256<float>, Float256, TOp>(op, ref xr, n);
        if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) return Sum<Vector128<float>, Float128, TOp>(op, ref xr, n);
        float s = 0;
        for (int i = 0; i < n; i++) s += op.Invoke(Unsafe.Add(ref xr, i));
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, SimdWidth width) where TOp : struct, IBinaryOperator
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        int n = a.Length;
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) return Sum<Vector512<float>, Float512, TOp>(op, ref ar, ref br, n);
        if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) return Sum<Vector256<float>, Float256, TOp>(op, ref ar, ref br, n);
        if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) return Sum<Vector128<float>, Float128, TOp>(op, ref ar, ref br, n);
        float s = 0;
        for (int i = 0; i < n; i++) s += op.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i));
        return s;
    }

    /// <summary>y = f(x) and returns Σ y. y may be the same span as x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MapSum<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y, SimdWidth width) where TOp : struct, IUnaryOperator
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length;
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) return MapSum<Vector512<float>, Float512, TOp>(op, ref xr, ref yr, n);
        if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) return MapSum<Vector256<float>, Float256, TOp>(op, ref xr, ref yr, n);
        if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) return MapSum<Vector128<float>, Float128, TOp>(op, ref xr, ref yr, n);
        float s = 0;
        for (int i = 0; i < n; i++) s += Unsafe.Add(ref yr, i) = op.Invoke(Unsafe.Add(ref xr, i));
        return s;
    }

    private static float Sum<TVec, TOps, TOp>(TOp op, ref float xr, int n)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TOp : struct, IUnaryOperator
    {
        int count = TOps.Count;
        TVec s0 = TOps.Create(0), s1 = TOps.Create(0);
        int i = 0;
        for (; i <= n - 2 * count; i += 2 * count)
        {
            s0 = TOps.Add(s0, TOps.Apply(op, ref xr, (nuint)i));
            s1 = TOps.Add(s1, TOps.Apply(op, ref xr, (nuint)(i + count)));
        }
        if (i <= n - count)
        {
            s0 = TOps.Add(s0, TOps.Apply(op, ref xr, (nuint)i));
            i += count;
        }
        if (i < n)
            s1 = TOps.Add(s1, TOps.And(TOps.Apply(op, ref xr, (nuint)(n - count)), TOps.LanesFrom(count - (n - i))));
        return TOps.Sum(TOps.Add(s0, s1));
    }

    private static float Sum<TVec, TOps, TOp>(TOp op, ref float ar, ref float br, int n)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TOp : struct, IBinaryOperator
    {
        int count = TOps.Count;
        TVec s0 = TOps.Create(0), s1 = TOps.Create(0);
        int i = 0;
        for (; i <= n - 2 * count; i += 2 * count)
        {
            s0 = TOps.Add(s0, TOps.Apply(op, ref ar, ref br, (nuint)i));
            s1 = TOps.Add(s1, TOps.Apply(op, ref ar, ref br, (nuint)(i + count)));
        }
        if (i <= n - count)
        {
            s0 = TOps.Add(s0, TOps.Apply(op, ref ar, ref br, (nuint)i));
            i += count;
        }
        if (i < n)
        {
            nuint last = (nuint)(n - count);
            s1 = TOps.Add(s1, TOps.And(TOps.Apply(op, ref ar, ref br, last), TOps.LanesFrom(count - (n - i))));
        }
        return TOps.Sum(TOps.Add(s0, s1));
    }

    private static float MapSum<TVec, TOps, TOp>(TOp op, ref float xr, ref float yr, int n)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TOp : struct, IUnaryOperator
    {
        int count = TOps.Count;
        nuint last = (nuint)(n - count);
        // Computed before the loop overwrites x when y is the same span.
        TVec end = TOps.Apply(op, ref xr, last);
        TVec s0 = TOps.Create(0), s1 = TOps.Create(0);
        int i = 0;
        for (; i <= n - 2 * count; i += 2 * count)
        {
            TVec p = TOps.Apply(op, ref xr, (nuint)i);
            TVec q = TOps.Apply(op, ref xr, (nuint)(i + count));
            TOps.Store(p, ref yr, (nuint)i);
            TOps.Store(q, ref yr, (nuint)(i + count));
            s0 = TOps.Add(s0, p);
            s1 = TOps.Add(s1, q);
        }
        if (i <= n - count)
        {
            TVec p = TOps.Apply(op, ref xr, (nuint)i);
            TOps.Store(p, ref yr, (nuint)i);
            s0 = TOps.Add(s0, p);
            i += count;
        }
        if (i < n) s1 = TOps.Add(s1, TOps.And(end, TOps.LanesFrom(count - (n - i))));
        TOps.Store(end, ref yr, last);
        return TOps.Sum(TOps.Add(s0, s1));
    }
}
