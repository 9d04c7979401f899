using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The two passes every axis reduction is made of, over the blocks of <see cref="ReduceBlocks"/>:
/// <list type="bullet">
/// <item><see cref="Accumulate{TAcc, TMerge}"/>: y = acc(y, x) over the reduced axes. A block that maps onto a row
/// of y is added row by row in order (the same at every width); a block that reduces to one element is reduced
/// with two vector accumulators, its tail lanes set to the identity, and the lanes merged in order.</item>
/// <item><see cref="Broadcast{TOp}"/>: z = op(x, r) with r of y's shape broadcast over the reduced axes.</item>
/// </list>
/// </summary>
internal static class ReduceDriver
{
    /// <summary>
    /// y = acc(…acc(y, x₀)…, xₖ) over each reduced set; y holds the start (the identity) on entry. acc(a, x) adds x
    /// (or |x|, x², a product, a maximum) to a; merge(a, b) joins two partial results; identity is neutral for both.
    /// </summary>
    public static void Accumulate<TAcc, TMerge>(TAcc acc, TMerge merge, float identity, ReadOnlySpan<float> x, ReadOnlySpan<int> dims, ReadOnlySpan<bool> reduced,
        Span<float> y, SimdWidth width) where TAcc : struct, IBinaryOperator where TMerge : struct, IBinaryOperator
    {
        Span<int> work = stackalloc int[3 * dims.Length];
        var blocks = new ReduceBlocks(dims, reduced, work);
        if (blocks.Blocks == 0) return;
        int inner = blocks.Inner;
        do
        {
            ReadOnlySpan<float> block = x.Slice(blocks.XOffset, inner);
            if (blocks.InnerReduced)
            {
                ref float target = ref y[blocks.YOffset];
                target = merge.Invoke(target, Row(acc, merge, identity, block, width));
            }
            else
            {
                Span<float> row = y.Slice(blocks.YOffset, inner);
                BinaryDriver.Run(acc, row, block, row, width);
            }
        }
        while (blocks.MoveNext());
    }

    /// <summary>z[i] = op(x[i], r[the element of y that x[i] reduces into]); z may be the same span as x.</summary>
    public static void Broadcast<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> r, ReadOnlySpan<int> dims, ReadOnlySpan<bool> reduced,
        Span<float> z, SimdWidth width) where TOp : struct, IBinaryOperator
    {
        Span<int> work = stackalloc int[3 * dims.Length];
        var blocks = new ReduceBlocks(dims, reduced, work);
        if (blocks.Blocks == 0) return;
        int inner = blocks.Inner;
        do
        {
            ReadOnlySpan<float> block = x.Slice(blocks.XOffset, inner);
            Span<float> target = z.Slice(blocks.XOffset, inner);
            if (blocks.InnerReduced) UnaryDriver.Run(new RightScalarOperator<TOp>(op, r[blocks.YOffset]), block, target, width);
            else BinaryDriver.Run(op, block, r.Slice(blocks.YOffset, inner), target, width);
        }
        while (blocks.MoveNext());
    }

    /// <summary>One block reduced to one value, starting from the identity.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Row<TAcc, TMerge>(TAcc acc, TMerge merge, float identity, ReadOnlySpan<float> x, SimdWidth width)
        where TAcc : struct, IBinaryOperator where TMerge : struct, IBinaryOperator
    {
        ref float xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) return Row<Vector512<float>, Float512, TAcc, TMerge>(acc, merge, identity, ref xr, n);
        if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) return Row<Vector256<float>, Float256, TAcc, TMerge>(acc, merge, identity, ref xr, n);
        if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) return Row<Vector128<float>, Float128, TAcc, TMerge>(acc, merge, identity, ref xr, n);
        float s = identity;
        for (int i = 0; i < n; i++) s = acc.Invoke(s, Unsafe.Add(ref xr, i));
        return s;
    }

    private static float Row<TVec, TOps, TAcc, TMerge>(TAcc acc, TMerge merge, float identity, ref float xr, int n)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TAcc : struct, IBinaryOperator where TMerge : struct, IBinaryOperator
    {
        int count = TOps.Count;
        TVec start = TOps.Create(identity);
        TVec s0 = start, s1 = start;
        int i = 0;
        for (; i <= n - 2 * count; i += 2 * count)
        {
            s0 = Invoke(acc, s0, TOps.Load(ref xr, (nuint)i));
            s1 = Invoke(acc, s1, TOps.Load(ref xr, (nuint)(i + count)));
        }
        if (i <= n - count)
        {
            s0 = Invoke(acc, s0, TOps.Load(ref xr, (nuint)i));
            i += count;
        }
        if (i < n)
        {
            // The last vector again, its lanes already counted set to the identity.
            TVec tail = TOps.Select(TOps.LanesFrom(count - (n - i)), TOps.Load(ref xr, (nuint)(n - count)), start);
            s1 = Invoke(acc, s1, tail);
        }
        TVec s = Invoke(merge, s0, s1);
        Span<float> lanes = stackalloc float[count];
        TOps.Store(s, ref MemoryMarshal.GetReference(lanes), 0);
        float total = lanes[0];
        for (int lane = 1; lane < count; lane++) total = merge.Invoke(total, lanes[lane]);
        return total;
    }

    /// <summary>The operator's overload for the vector type the generic driver runs at (the other branches compile away).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Invoke<TVec, TOp>(TOp op, TVec a, TVec b) where TVec : struct where TOp : struct, IBinaryOperator
    {
        if (typeof(TVec) == typeof(Vector512<float>))
            return Unsafe.BitCast<Vector512<float>, TVec>(op.Invoke(Unsafe.BitCast<TVec, Vector512<float>>(a), Unsafe.BitCast<TVec, Vector512<float>>(b)));
        if (typeof(TVec) == typeof(Vector256<float>))
            return Unsafe.BitCast<Vector256<float>, TVec>(op.Invoke(Unsafe.BitCast<TVec, Vector256<float>>(a), Unsafe.BitCast<TVec, Vector256<float>>(b)));
        return Unsafe.BitCast<Vector128<float>, TVec>(op.Invoke(Unsafe.BitCast<TVec, Vector128<float>>(a), Unsafe.BitCast<TVec, Vector128<float>>(b)));
    }
}
