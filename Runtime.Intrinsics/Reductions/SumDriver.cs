using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Sums of an operator over spans: Σ f(x), Σ f(a, b), and y = f(x) stored while Σ y is formed. Two vector
/// accumulators per width; the tail is the last vector with the lanes already counted masked off. The order of
/// additions depends only on the length and the width, so results are reproducible.
/// </summary>
internal static class SumDriver
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum<TOp>(TOp op, ReadOnlySpan<float> x, SimdWidth width) where TOp : struct, IUnaryOperator =>
        VectorWidth.Run<UnaryKernel<TOp>, float>(width, x.Length, new(op, x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum<TOp>(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b, SimdWidth width) where TOp : struct, IBinaryOperator =>
        VectorWidth.Run<BinaryKernel<TOp>, float>(width, a.Length, new(op, a, b));

    /// <summary>y = f(x) and returns Σ y. y may be the same span as x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MapSum<TOp>(TOp op, ReadOnlySpan<float> x, Span<float> y, SimdWidth width) where TOp : struct, IUnaryOperator =>
        VectorWidth.Run<MapKernel<TOp>, float>(width, x.Length, new(op, x, y));

    private readonly ref struct UnaryKernel<TOp> : IVectorKernel<float> where TOp : struct, IUnaryOperator
    {
        private readonly TOp _op;
        private readonly ReadOnlySpan<float> _x;

        public UnaryKernel(TOp op, ReadOnlySpan<float> x) { _op = op; _x = x; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Run<TVec, TOps>() where TVec : struct where TOps : struct, IFloatVector<TVec> =>
            Sum<TVec, TOps, TOp>(_op, ref MemoryMarshal.GetReference(_x), _x.Length);

        public float RunScalar()
        {
            float s = 0;
            foreach (float x in _x) s += _op.Invoke(x);
            return s;
        }
    }

    private readonly ref struct BinaryKernel<TOp> : IVectorKernel<float> where TOp : struct, IBinaryOperator
    {
        private readonly TOp _op;
        private readonly ReadOnlySpan<float> _a, _b;

        public BinaryKernel(TOp op, ReadOnlySpan<float> a, ReadOnlySpan<float> b) { _op = op; _a = a; _b = b; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Run<TVec, TOps>() where TVec : struct where TOps : struct, IFloatVector<TVec> =>
            Sum<TVec, TOps, TOp>(_op, ref MemoryMarshal.GetReference(_a), ref MemoryMarshal.GetReference(_b), _a.Length);

        public float RunScalar()
        {
            ref float ar = ref MemoryMarshal.GetReference(_a);
            ref float br = ref MemoryMarshal.GetReference(_b);
            float s = 0;
            for (int i = 0; i < _a.Length; i++) s += _op.Invoke(Unsafe.Add(ref ar, i), Unsafe.Add(ref br, i));
            return s;
        }
    }

    private readonly ref struct MapKernel<TOp> : IVectorKernel<float> where TOp : struct, IUnaryOperator
    {
        private readonly TOp _op;
        private readonly ReadOnlySpan<float> _x;
        private readonly Span<float> _y;

        public MapKernel(TOp op, ReadOnlySpan<float> x, Span<float> y) { _op = op; _x = x; _y = y; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float Run<TVec, TOps>() where TVec : struct where TOps : struct, IFloatVector<TVec> =>
            MapSum<TVec, TOps, TOp>(_op, ref MemoryMarshal.GetReference(_x), ref MemoryMarshal.GetReference(_y), _x.Length);

        public float RunScalar()
        {
            ref float xr = ref MemoryMarshal.GetReference(_x);
            ref float yr = ref MemoryMarshal.GetReference(_y);
            float s = 0;
            for (int i = 0; i < _x.Length; i++) s += Unsafe.Add(ref yr, i) = _op.Invoke(Unsafe.Add(ref xr, i));
            return s;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
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

    [MethodImpl(MethodImplOptions.NoInlining)]
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

    [MethodImpl(MethodImplOptions.NoInlining)]
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
