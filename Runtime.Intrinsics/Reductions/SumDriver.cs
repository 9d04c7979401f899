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
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) return Sum512(op, ref xr, n);
        if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) return Sum256(op, ref xr, n);
        if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) return Sum128(op, ref xr, n);
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
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) return Sum512(op, ref ar, ref br, n);
        if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) return Sum256(op, ref ar, ref br, n);
        if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) return Sum128(op, ref ar, ref br, n);
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
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) return MapSum512(op, ref xr, ref yr, n);
        if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) return MapSum256(op, ref xr, ref yr, n);
        if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) return MapSum128(op, ref xr, ref yr, n);
        float s = 0;
        for (int i = 0; i < n; i++) s += Unsafe.Add(ref yr, i) = op.Invoke(Unsafe.Add(ref xr, i));
        return s;
    }

    /// <summary>Lanes at or above <paramref name="first"/> set: masks off the lanes of the last vector counted already.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> TailMask128(int first) =>
        Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create(first)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> TailMask256(int first) =>
        Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(first)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TailMask512(int first) =>
        Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(first)).AsSingle();

    private static float Sum128<TOp>(TOp op, ref float xr, int n) where TOp : struct, IUnaryOperator
    {
        int count = Vector128<float>.Count;
        Vector128<float> s0 = Vector128<float>.Zero, s1 = Vector128<float>.Zero;
        int i = 0;
        for (; i <= n - 2 * count; i += 2 * count)
        {
            s0 += op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)i));
            s1 += op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(i + count)));
        }
        if (i <= n - count)
        {
            s0 += op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)i));
            i += count;
        }
        if (i < n)
            s1 += op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(n - count))) & TailMask128(count - (n - i));
        return Vector128.Sum(s0 + s1);
    }

    private static float Sum256<TOp>(TOp op, ref float xr, int n) where TOp : struct, IUnaryOperator
    {
        int count = Vector256<float>.Count;
        Vector256<float> s0 = Vector256<float>.Zero, s1 = Vector256<float>.Zero;
        int i = 0;
        for (; i <= n - 2 * count; i += 2 * count)
        {
            s0 += op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i));
            s1 += op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i + count)));
        }
        if (i <= n - count)
        {
            s0 += op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i));
            i += count;
        }
        if (i < n)
            s1 += op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(n - count))) & TailMask256(count - (n - i));
        return Vector256.Sum(s0 + s1);
    }

    private static float Sum512<TOp>(TOp op, ref float xr, int n) where TOp : struct, IUnaryOperator
    {
        int count = Vector512<float>.Count;
        Vector512<float> s0 = Vector512<float>.Zero, s1 = Vector512<float>.Zero;
        int i = 0;
        for (; i <= n - 2 * count; i += 2 * count)
        {
            s0 += op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i));
            s1 += op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i + count)));
        }
        if (i <= n - count)
        {
            s0 += op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i));
            i += count;
        }
        if (i < n)
            s1 += op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(n - count))) & TailMask512(count - (n - i));
        return Vector512.Sum(s0 + s1);
    }

    private static float Sum128<TOp>(TOp op, ref float ar, ref float br, int n) where TOp : struct, IBinaryOperator
    {
        int count = Vector128<float>.Count;
        Vector128<float> s0 = Vector128<float>.Zero, s1 = Vector128<float>.Zero;
        int i = 0;
        for (; i <= n - 2 * count; i += 2 * count)
        {
            s0 += op.Invoke(Vector128.LoadUnsafe(ref ar, (nuint)i), Vector128.LoadUnsafe(ref br, (nuint)i));
            s1 += op.Invoke(Vector128.LoadUnsafe(ref ar, (nuint)(i + count)), Vector128.LoadUnsafe(ref br, (nuint)(i + count)));
        }
        if (i <= n - count)
        {
            s0 += op.Invoke(Vector128.LoadUnsafe(ref ar, (nuint)i), Vector128.LoadUnsafe(ref br, (nuint)i));
            i += count;
        }
        if (i < n)
        {
            nuint last = (nuint)(n - count);
            s1 += op.Invoke(Vector128.LoadUnsafe(ref ar, last), Vector128.LoadUnsafe(ref br, last)) & TailMask128(count - (n - i));
        }
        return Vector128.Sum(s0 + s1);
    }

    private static float Sum256<TOp>(TOp op, ref float ar, ref float br, int n) where TOp : struct, IBinaryOperator
    {
        int count = Vector256<float>.Count;
        Vector256<float> s0 = Vector256<float>.Zero, s1 = Vector256<float>.Zero;
        int i = 0;
        for (; i <= n - 2 * count; i += 2 * count)
        {
            s0 += op.Invoke(Vector256.LoadUnsafe(ref ar, (nuint)i), Vector256.LoadUnsafe(ref br, (nuint)i));
            s1 += op.Invoke(Vector256.LoadUnsafe(ref ar, (nuint)(i + count)), Vector256.LoadUnsafe(ref br, (nuint)(i + count)));
        }
        if (i <= n - count)
        {
            s0 += op.Invoke(Vector256.LoadUnsafe(ref ar, (nuint)i), Vector256.LoadUnsafe(ref br, (nuint)i));
            i += count;
        }
        if (i < n)
        {
            nuint last = (nuint)(n - count);
            s1 += op.Invoke(Vector256.LoadUnsafe(ref ar, last), Vector256.LoadUnsafe(ref br, last)) & TailMask256(count - (n - i));
        }
        return Vector256.Sum(s0 + s1);
    }

    private static float Sum512<TOp>(TOp op, ref float ar, ref float br, int n) where TOp : struct, IBinaryOperator
    {
        int count = Vector512<float>.Count;
        Vector512<float> s0 = Vector512<float>.Zero, s1 = Vector512<float>.Zero;
        int i = 0;
        for (; i <= n - 2 * count; i += 2 * count)
        {
            s0 += op.Invoke(Vector512.LoadUnsafe(ref ar, (nuint)i), Vector512.LoadUnsafe(ref br, (nuint)i));
            s1 += op.Invoke(Vector512.LoadUnsafe(ref ar, (nuint)(i + count)), Vector512.LoadUnsafe(ref br, (nuint)(i + count)));
        }
        if (i <= n - count)
        {
            s0 += op.Invoke(Vector512.LoadUnsafe(ref ar, (nuint)i), Vector512.LoadUnsafe(ref br, (nuint)i));
            i += count;
        }
        if (i < n)
        {
            nuint last = (nuint)(n - count);
            s1 += op.Invoke(Vector512.LoadUnsafe(ref ar, last), Vector512.LoadUnsafe(ref br, last)) & TailMask512(count - (n - i));
        }
        return Vector512.Sum(s0 + s1);
    }

    private static float MapSum128<TOp>(TOp op, ref float xr, ref float yr, int n) where TOp : struct, IUnaryOperator
    {
        int count = Vector128<float>.Count;
        nuint last = (nuint)(n - count);
        // Computed before the loop overwrites x when y is the same span.
        Vector128<float> end = op.Invoke(Vector128.LoadUnsafe(ref xr, last));
        Vector128<float> s0 = Vector128<float>.Zero, s1 = Vector128<float>.Zero;
        int i = 0;
        for (; i <= n - 2 * count; i += 2 * count)
        {
            Vector128<float> p = op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)i));
            Vector128<float> q = op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)(i + count)));
            p.StoreUnsafe(ref yr, (nuint)i);
            q.StoreUnsafe(ref yr, (nuint)(i + count));
            s0 += p;
            s1 += q;
        }
        if (i <= n - count)
        {
            Vector128<float> p = op.Invoke(Vector128.LoadUnsafe(ref xr, (nuint)i));
            p.StoreUnsafe(ref yr, (nuint)i);
            s0 += p;
            i += count;
        }
        if (i < n) s1 += end & TailMask128(count - (n - i));
        end.StoreUnsafe(ref yr, last);
        return Vector128.Sum(s0 + s1);
    }

    private static float MapSum256<TOp>(TOp op, ref float xr, ref float yr, int n) where TOp : struct, IUnaryOperator
    {
        int count = Vector256<float>.Count;
        nuint last = (nuint)(n - count);
        // Computed before the loop overwrites x when y is the same span.
        Vector256<float> end = op.Invoke(Vector256.LoadUnsafe(ref xr, last));
        Vector256<float> s0 = Vector256<float>.Zero, s1 = Vector256<float>.Zero;
        int i = 0;
        for (; i <= n - 2 * count; i += 2 * count)
        {
            Vector256<float> p = op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i));
            Vector256<float> q = op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)(i + count)));
            p.StoreUnsafe(ref yr, (nuint)i);
            q.StoreUnsafe(ref yr, (nuint)(i + count));
            s0 += p;
            s1 += q;
        }
        if (i <= n - count)
        {
            Vector256<float> p = op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i));
            p.StoreUnsafe(ref yr, (nuint)i);
            s0 += p;
            i += count;
        }
        if (i < n) s1 += end & TailMask256(count - (n - i));
        end.StoreUnsafe(ref yr, last);
        return Vector256.Sum(s0 + s1);
    }

    private static float MapSum512<TOp>(TOp op, ref float xr, ref float yr, int n) where TOp : struct, IUnaryOperator
    {
        int count = Vector512<float>.Count;
        nuint last = (nuint)(n - count);
        // Computed before the loop overwrites x when y is the same span.
        Vector512<float> end = op.Invoke(Vector512.LoadUnsafe(ref xr, last));
        Vector512<float> s0 = Vector512<float>.Zero, s1 = Vector512<float>.Zero;
        int i = 0;
        for (; i <= n - 2 * count; i += 2 * count)
        {
            Vector512<float> p = op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i));
            Vector512<float> q = op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)(i + count)));
            p.StoreUnsafe(ref yr, (nuint)i);
            q.StoreUnsafe(ref yr, (nuint)(i + count));
            s0 += p;
            s1 += q;
        }
        if (i <= n - count)
        {
            Vector512<float> p = op.Invoke(Vector512.LoadUnsafe(ref xr, (nuint)i));
            p.StoreUnsafe(ref yr, (nuint)i);
            s0 += p;
            i += count;
        }
        if (i < n) s1 += end & TailMask512(count - (n - i));
        end.StoreUnsafe(ref yr, last);
        return Vector512.Sum(s0 + s1);
    }
}
