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
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) return Max<Vector512<float>, Float512>(ref xr, n);
        if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) return Max<Vector256<float>, Float256>(ref xr, n);
        if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) return Max<Vector128<float>, Float128>(ref xr, n);
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
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) return IndexOf<Vector512<float>, Float512>(ref xr, n, max);
        if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) return IndexOf<Vector256<float>, Float256>(ref xr, n, max);
        if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) return IndexOf<Vector128<float>, Float128>(ref xr, n, max);
        bool nan = float.IsNaN(max);
        for (int i = 0; i < n; i++)
        {
            float v = Unsafe.Add(ref xr, i);
            if (nan ? float.IsNaN(v) : v == max) return i;
        }
        return -1;
    }

    private static float Max<TVec, TOps>(ref float xr, int n) where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        int count = TOps.Count;
        // MaxNative may drop NaN, so NaN is tracked on its own.
        TVec max = TOps.Load(ref xr, 0);
        TVec nan = TOps.NaNMask(max);
        for (int i = count; i < n; i += count)
        {
            TVec v = TOps.Load(ref xr, (nuint)Math.Min(i, n - count));
            max = TOps.MaxNative(max, v);
            nan = TOps.Or(nan, TOps.NaNMask(v));
        }
        if (TOps.AnySet(nan)) return float.NaN;
        return TOps.MaxLanes(max);
    }

    private static int IndexOf<TVec, TOps>(ref float xr, int n, float target) where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        int count = TOps.Count;
        bool findNaN = float.IsNaN(target);
        TVec t = TOps.Create(target);
        for (int i = 0; i < n; i += count)
        {
            int at = Math.Min(i, n - count);
            TVec v = TOps.Load(ref xr, (nuint)at);
            TVec hit = findNaN ? TOps.NaNMask(v) : TOps.EqualsMask(v, t);
            ulong bits = TOps.MostSignificantBits(hit);
            if (bits != 0) return at + BitOperations.TrailingZeroCount(bits);
        }
        return -1;
    }
}
