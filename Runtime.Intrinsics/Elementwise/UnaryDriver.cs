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
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) Run512(op, ref xr, ref yr, n);
        else if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) Run256(op, ref xr, ref yr, n);
        else if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) Run128(op, ref xr, ref yr, n);
        else RunScalar(op, ref xr, ref yr, n);
    }

    private static void RunScalar<TOp>(TOp op, ref float xr, ref float yr, int n) where TOp : struct, IUnaryOperator
    {
        for (int i = 0; i < n; i++) Unsafe.Add(ref yr, i) = op.Invoke(Unsafe.Add(ref xr, i));
    }

    private static void Run128<TOp>(TOp op, ref float xr, ref float yr, int n) where TOp : struct, IUnaryOperator
    {
        int count = Vector128<float>.Count;
        nuint last = (nuint)(n - count);
        Vector128<float> end = op.Invoke(Vector128.LoadUnsafe(ref xr, last));
        nuint i = 0;
        // Unrolled by two: independent chains let the core overlap the long latency of exp-based operators.
        for (; i + (nuint)(2 * count) <= last; i += (nuint)(2 * count))
        {
            Vector128<float> a = op.Invoke(Vector128.LoadUnsafe(ref xr, i));
            Vector128<float> b = op.Invoke(Vector128.LoadUnsafe(ref xr, i + (nuint)count));
            a.StoreUnsafe(ref yr, i);
            b.StoreUnsafe(ref yr, i + (nuint)count);
        }
        for (; i < last; i += (nuint)count)
            op.Invoke(Vector128.LoadUnsafe(ref xr, i)).StoreUnsafe(ref yr, i);
        end.StoreUnsafe(ref yr, last);
    }

    private static void Run256<TOp>(TOp op, ref float xr, ref float yr, int n) where TOp : struct, IUnaryOperator
    {
        int count = Vector256<float>.Count;
        nuint last = (nuint)(n - count);
        Vector256<float> end = op.Invoke(Vector256.LoadUnsafe(ref xr, last));
        nuint i = 0;
        // Unrolled by two: independent chains let the core overlap the long latency of exp-based operators.
        for (; i + (nuint)(2 * count) <= last; i += (nuint)(2 * count))
        {
            Vector256<float> a = op.Invoke(Vector256.LoadUnsafe(ref xr, i));
            Vector256<float> b = op.Invoke(Vector256.LoadUnsafe(ref xr, i + (nuint)count));
            a.StoreUnsafe(ref yr, i);
            b.StoreUnsafe(ref yr, i + (nuint)count);
        }
        for (; i < last; i += (nuint)count)
            op.Invoke(Vector256.LoadUnsafe(ref xr, i)).StoreUnsafe(ref yr, i);
        end.StoreUnsafe(ref yr, last);
    }

    private static void Run512<TOp>(TOp op, ref float xr, ref float yr, int n) where TOp : struct, IUnaryOperator
    {
        int count = Vector512<float>.Count;
        nuint last = (nuint)(n - count);
        Vector512<float> end = op.Invoke(Vector512.LoadUnsafe(ref xr, last));
        nuint i = 0;
        // Unrolled by two: independent chains let the core overlap the long latency of exp-based operators.
        for (; i + (nuint)(2 * count) <= last; i += (nuint)(2 * count))
        {
            Vector512<float> a = op.Invoke(Vector512.LoadUnsafe(ref xr, i));
            Vector512<float> b = op.Invoke(Vector512.LoadUnsafe(ref xr, i + (nuint)count));
            a.StoreUnsafe(ref yr, i);
            b.StoreUnsafe(ref yr, i + (nuint)count);
        }
        for (; i < last; i += (nuint)count)
            op.Invoke(Vector512.LoadUnsafe(ref xr, i)).StoreUnsafe(ref yr, i);
        end.StoreUnsafe(ref yr, last);
    }
}
