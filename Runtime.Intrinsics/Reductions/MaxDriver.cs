using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Maximum and arg-max. NaN counts as larger than every number: <see cref="Max"/> returns NaN and
/// <see cref="ArgMax"/> the first NaN's index when the span holds one.
/// </summary>
internal static class MaxDriver
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(ReadOnlySpan<float> x, SimdWidth width)
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) return Max512(ref xr, n);
        if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) return Max256(ref xr, n);
        if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) return Max128(ref xr, n);
        float max = float.NegativeInfinity;
        for (int i = 0; i < n; i++)
        {
            float v = Unsafe.Add(ref xr, i);
            if (float.IsNaN(v)) return v;
            if (v > max) max = v;
        }
        return max;
    }

    /// <summary>First index of the maximum (or of the first NaN); −1 when empty.</summary>
    public static int ArgMax(ReadOnlySpan<float> x, SimdWidth width)
    {
        if (x.IsEmpty) return -1;
        float max = Max(x, width);
        ref float xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) return IndexOf512(ref xr, n, max);
        if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) return IndexOf256(ref xr, n, max);
        if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) return IndexOf128(ref xr, n, max);
        bool nan = float.IsNaN(max);
        for (int i = 0; i < n; i++)
        {
            float v = Unsafe.Add(ref xr, i);
            if (nan ? float.IsNaN(v) : v == max) return i;
        }
        return -1;
    }

    private static float Max128(ref float xr, int n)
    {
        int count = Vector128<float>.Count;
        // MaxNative may drop NaN, so NaN is tracked on its own.
        Vector128<float> max = Vector128.LoadUnsafe(ref xr);
        Vector128<float> nan = ~Vector128.Equals(max, max);
        for (int i = count; i < n; i += count)
        {
            Vector128<float> v = Vector128.LoadUnsafe(ref xr, (nuint)Math.Min(i, n - count));
            max = Vector128.MaxNative(max, v);
            nan |= ~Vector128.Equals(v, v);
        }
        if (nan != Vector128<float>.Zero) return float.NaN;
        float m = max.ToScalar();
        for (int j = 1; j < count; j++) m = MathF.Max(m, max.GetElement(j));
        return m;
    }

    private static float Max256(ref float xr, int n)
    {
        int count = Vector256<float>.Count;
        // MaxNative may drop NaN, so NaN is tracked on its own.
        Vector256<float> max = Vector256.LoadUnsafe(ref xr);
        Vector256<float> nan = ~Vector256.Equals(max, max);
        for (int i = count; i < n; i += count)
        {
            Vector256<float> v = Vector256.LoadUnsafe(ref xr, (nuint)Math.Min(i, n - count));
            max = Vector256.MaxNative(max, v);
            nan |= ~Vector256.Equals(v, v);
        }
        if (nan != Vector256<float>.Zero) return float.NaN;
        float m = max.ToScalar();
        for (int j = 1; j < count; j++) m = MathF.Max(m, max.GetElement(j));
        return m;
    }

    private static float Max512(ref float xr, int n)
    {
        int count = Vector512<float>.Count;
        // MaxNative may drop NaN, so NaN is tracked on its own.
        Vector512<float> max = Vector512.LoadUnsafe(ref xr);
        Vector512<float> nan = ~Vector512.Equals(max, max);
        for (int i = count; i < n; i += count)
        {
            Vector512<float> v = Vector512.LoadUnsafe(ref xr, (nuint)Math.Min(i, n - count));
            max = Vector512.MaxNative(max, v);
            nan |= ~Vector512.Equals(v, v);
        }
        if (nan != Vector512<float>.Zero) return float.NaN;
        float m = max.ToScalar();
        for (int j = 1; j < count; j++) m = MathF.Max(m, max.GetElement(j));
        return m;
    }

    private static int IndexOf128(ref float xr, int n, float target)
    {
        int count = Vector128<float>.Count;
        bool findNaN = float.IsNaN(target);
        Vector128<float> t = Vector128.Create(target);
        for (int i = 0; i < n; i += count)
        {
            int at = Math.Min(i, n - count);
            Vector128<float> v = Vector128.LoadUnsafe(ref xr, (nuint)at);
            Vector128<float> hit = findNaN ? ~Vector128.Equals(v, v) : Vector128.Equals(v, t);
            ulong bits = hit.ExtractMostSignificantBits();
            if (bits != 0) return at + BitOperations.TrailingZeroCount(bits);
        }
        return -1;
    }

    private static int IndexOf256(ref float xr, int n, float target)
    {
        int count = Vector256<float>.Count;
        bool findNaN = float.IsNaN(target);
        Vector256<float> t = Vector256.Create(target);
        for (int i = 0; i < n; i += count)
        {
            int at = Math.Min(i, n - count);
            Vector256<float> v = Vector256.LoadUnsafe(ref xr, (nuint)at);
            Vector256<float> hit = findNaN ? ~Vector256.Equals(v, v) : Vector256.Equals(v, t);
            ulong bits = hit.ExtractMostSignificantBits();
            if (bits != 0) return at + BitOperations.TrailingZeroCount(bits);
        }
        return -1;
    }

    private static int IndexOf512(ref float xr, int n, float target)
    {
        int count = Vector512<float>.Count;
        bool findNaN = float.IsNaN(target);
        Vector512<float> t = Vector512.Create(target);
        for (int i = 0; i < n; i += count)
        {
            int at = Math.Min(i, n - count);
            Vector512<float> v = Vector512.LoadUnsafe(ref xr, (nuint)at);
            Vector512<float> hit = findNaN ? ~Vector512.Equals(v, v) : Vector512.Equals(v, t);
            ulong bits = hit.ExtractMostSignificantBits();
            if (bits != 0) return at + BitOperations.TrailingZeroCount(bits);
        }
        return -1;
    }
}
