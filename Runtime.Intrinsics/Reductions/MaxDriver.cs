using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Maximum and arg-max. NaN counts as larger than every number: <see cref="Max"/> returns NaN and
/// <see cref="ArgMax"/> the first NaN's index when the span holds one.
/// </summary>
internal static class MaxDriver
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(ReadOnlySpan<float> x, SimdWidth width) => VectorWidth.Run<MaxKernel, float>(width, x.Length, new(x));

    /// <summary>First index of the maximum (or of the first NaN); −1 when empty.</summary>
    public static int ArgMax(ReadOnlySpan<float> x, SimdWidth width) =>
        x.IsEmpty ? -1 : VectorWidth.Run<IndexOfKernel, int>(width, x.Length, new(x, Max(x, width)));

    private readonly ref struct MaxKernel : IVectorKernel<float>
    {
        private readonly ReadOnlySpan<float> _x;

        public MaxKernel(ReadOnlySpan<float> x) => _x = x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Run<TVec, TOps>() where TVec : struct where TOps : struct, IFloatVector<TVec> =>
            Max<TVec, TOps>(ref MemoryMarshal.GetReference(_x), _x.Length);

        public float RunScalar()
        {
            float max = float.NegativeInfinity;
            foreach (float v in _x)
            {
                if (float.IsNaN(v)) return v;
                if (v > max) max = v;
            }
            return max;
        }
    }

    private readonly ref struct IndexOfKernel : IVectorKernel<int>
    {
        private readonly ReadOnlySpan<float> _x;
        private readonly float _target;

        public IndexOfKernel(ReadOnlySpan<float> x, float target) { _x = x; _target = target; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Run<TVec, TOps>() where TVec : struct where TOps : struct, IFloatVector<TVec> =>
            IndexOf<TVec, TOps>(ref MemoryMarshal.GetReference(_x), _x.Length, _target);

        public int RunScalar()
        {
            ReadOnlySpan<float> x = _x;
            bool nan = float.IsNaN(_target);
            for (int i = 0; i < x.Length; i++)
            {
                float v = x[i];
                if (nan ? float.IsNaN(v) : v == _target) return i;
            }
            return -1;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
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

    [MethodImpl(MethodImplOptions.NoInlining)]
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
