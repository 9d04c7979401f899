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
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) Run<Vector512<float>, Float512, TOp>(op, ref ar, ref br, ref zr, n);
        else if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) Run<Vector256<float>, Float256, TOp>(op, ref ar, ref br, ref zr, n);
        else if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) Run<Vector128<float>, Float128, TOp>(op, ref ar, ref br, ref zr, n);
        else RunScalar(op, ref ar, ref br, ref zr, n);
    }

    private static void RunScalar<TOp>(TOp op, ref float ar, ref float br, ref float zr, int n) where TOp : struct, IBinaryOperator
    {
        for (int i = 0; i < n; i++) Unsafe.Add(ref zr, i) = op.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i));
    }

    private static void Run<TVec, TOps, TOp>(TOp op, ref float ar, ref float br, ref float zr, int n)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TOp : struct, IBinaryOperator
    {
        int count = TOps.Count;
        nuint last = (nuint)(n - count);
        TVec end = TOps.Apply(op, ref ar, ref br, last);
        nuint i = 0;
        // Unrolled by four, as in UnaryDriver; all loads of a step come before its stores, so z may alias a or b.
        for (; i + (nuint)(4 * count) <= last; i += (nuint)(4 * count))
        {
            nuint i1 = i + (nuint)count, i2 = i + (nuint)(2 * count), i3 = i + (nuint)(3 * count);
            TVec p = TOps.Apply(op, ref ar, ref br, i);
            TVec q = TOps.Apply(op, ref ar, ref br, i1);
            TVec r = TOps.Apply(op, ref ar, ref br, i2);
            TVec s = TOps.Apply(op, ref ar, ref br, i3);
            TOps.Store(p, ref zr, i);
            TOps.Store(q, ref zr, i1);
            TOps.Store(r, ref zr, i2);
            TOps.Store(s, ref zr, i3);
        }
        for (; i < last; i += (nuint)count)
            TOps.Store(TOps.Apply(op, ref ar, ref br, i), ref zr, i);
        TOps.Store(end, ref zr, last);
    }
}
