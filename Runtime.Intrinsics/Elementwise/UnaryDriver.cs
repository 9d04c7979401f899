using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Runs an <see cref="IUnaryOperator"/> over a span at a given width. The tail is one overlapping last vector,
/// computed before the main loop so that y may be the same span as x. Spans shorter than a vector drop to the
/// next narrower width, down to the scalar body. Callers check lengths and overlap.
/// </summary>
internal static class UnaryDriver
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y, SimdWidth width) where TOp : struct, IUnaryOperator
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length;
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) Run<Vector512<float>, Float512, TOp>(op, ref xr, ref yr, n);
        else if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) Run<Vector256<float>, Float256, TOp>(op, ref xr, ref yr, n);
        else if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) Run<Vector128<float>, Float128, TOp>(op, ref xr, ref yr, n);
        else RunScalar(op, ref xr, ref yr, n);
    }

    private static void RunScalar<TOp>(TOp op, ref float xr, ref float yr, int n) where TOp : struct, IUnaryOperator
    {
        for (int i = 0; i < n; i++) Unsafe.Add(ref yr, i) = op.Invoke(Unsafe.Add(ref xr, i));
    }

    private static void Run<TVec, TOps, TOp>(TOp op, ref float xr, ref float yr, int n)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TOp : struct, IUnaryOperator
    {
        int count = TOps.Count;
        nuint last = (nuint)(n - count);
        TVec end = TOps.Apply(op, ref xr, last);
        nuint i = 0;
        // Unrolled by four: independent chains hide the latency of exp-based operators and the loop overhead of cheap ones.
        for (; i + (nuint)(4 * count) <= last; i += (nuint)(4 * count))
        {
            TVec a = TOps.Apply(op, ref xr, i);
            TVec b = TOps.Apply(op, ref xr, i + (nuint)count);
            TVec c = TOps.Apply(op, ref xr, i + (nuint)(2 * count));
            TVec d = TOps.Apply(op, ref xr, i + (nuint)(3 * count));
            TOps.Store(a, ref yr, i);
            TOps.Store(b, ref yr, i + (nuint)count);
            TOps.Store(c, ref yr, i + (nuint)(2 * count));
            TOps.Store(d, ref yr, i + (nuint)(3 * count));
        }
        for (; i < last; i += (nuint)count)
            TOps.Store(TOps.Apply(op, ref xr, i), ref yr, i);
        TOps.Store(end, ref yr, last);
    }
}
