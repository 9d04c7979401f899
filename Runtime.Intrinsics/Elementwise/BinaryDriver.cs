using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Runs an <see cref="IBinaryOperator"/>: z = f(a, b) over a.Length elements, like <see cref="UnaryDriver"/>
/// (overlapping last vector computed first, so z may be the same span as a or b).
/// </summary>
internal static class BinaryDriver
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> z, SimdWidth width) where TOp : struct, IBinaryOperator
    {
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float zr = ref MemoryMarshal.GetReference(z);
        int n = a.Length;
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) Run512(op, ref ar, ref br, ref zr, n);
        else if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) Run256(op, ref ar, ref br, ref zr, n);
        else if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) Run128(op, ref ar, ref br, ref zr, n);
        else RunScalar(op, ref ar, ref br, ref zr, n);
    }

    private static void RunScalar<TOp>(TOp op, ref float ar, ref float br, ref float zr, int n) where TOp : struct, IBinaryOperator
    {
        for (int i = 0; i < n; i++) Unsafe.Add(ref zr, i) = op.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i));
    }

    private static void Run128<TOp>(TOp op, ref float ar, ref float br, ref float zr, int n) where TOp : struct, IBinaryOperator
    {
        int count = Vector128<float>.Count;
        nuint last = (nuint)(n - count);
        Vector128<float> end = op.Invoke(Vector128.LoadUnsafe(ref ar, last), Vector128.LoadUnsafe(ref br, last));
        nuint i = 0;
        for (; i + (nuint)(2 * count) <= last; i += (nuint)(2 * count))
        {
            Vector128<float> p = op.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i));
            Vector128<float> q = op.Invoke(Vector128.LoadUnsafe(ref ar, i + (nuint)count), Vector128.LoadUnsafe(ref br, i + (nuint)count));
            p.StoreUnsafe(ref zr, i);
            q.StoreUnsafe(ref zr, i + (nuint)count);
        }
        for (; i < last; i += (nuint)count)
            op.Invoke(Vector128.LoadUnsafe(ref ar, i), Vector128.LoadUnsafe(ref br, i)).StoreUnsafe(ref zr, i);
        end.StoreUnsafe(ref zr, last);
    }

    private static void Run256<TOp>(TOp op, ref float ar, ref float br, ref float zr, int n) where TOp : struct, IBinaryOperator
    {
        int count = Vector256<float>.Count;
        nuint last = (nuint)(n - count);
        Vector256<float> end = op.Invoke(Vector256.LoadUnsafe(ref ar, last), Vector256.LoadUnsafe(ref br, last));
        nuint i = 0;
        for (; i + (nuint)(2 * count) <= last; i += (nuint)(2 * count))
        {
            Vector256<float> p = op.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i));
            Vector256<float> q = op.Invoke(Vector256.LoadUnsafe(ref ar, i + (nuint)count), Vector256.LoadUnsafe(ref br, i + (nuint)count));
            p.StoreUnsafe(ref zr, i);
            q.StoreUnsafe(ref zr, i + (nuint)count);
        }
        for (; i < last; i += (nuint)count)
            op.Invoke(Vector256.LoadUnsafe(ref ar, i), Vector256.LoadUnsafe(ref br, i)).StoreUnsafe(ref zr, i);
        end.StoreUnsafe(ref zr, last);
    }

    private static void Run512<TOp>(TOp op, ref float ar, ref float br, ref float zr, int n) where TOp : struct, IBinaryOperator
    {
        int count = Vector512<float>.Count;
        nuint last = (nuint)(n - count);
        Vector512<float> end = op.Invoke(Vector512.LoadUnsafe(ref ar, last), Vector512.LoadUnsafe(ref br, last));
        nuint i = 0;
        for (; i + (nuint)(2 * count) <= last; i += (nuint)(2 * count))
        {
            Vector512<float> p = op.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i));
            Vector512<float> q = op.Invoke(Vector512.LoadUnsafe(ref ar, i + (nuint)count), Vector512.LoadUnsafe(ref br, i + (nuint)count));
            p.StoreUnsafe(ref zr, i);
            q.StoreUnsafe(ref zr, i + (nuint)count);
        }
        for (; i < last; i += (nuint)count)
            op.Invoke(Vector512.LoadUnsafe(ref ar, i), Vector512.LoadUnsafe(ref br, i)).StoreUnsafe(ref zr, i);
        end.StoreUnsafe(ref zr, last);
    }
}
