using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Runs an <see cref="IBinaryGradient"/> over n = dy.Length elements: a and b hold n values or one (broadcast),
/// z and dy n; da and db get n values each, or are skipped when empty. As in <see cref="BinaryDriver"/> the
/// overlapping last vector is computed first and every vector's loads come before its stores, so da or db may be
/// the same span as dy. Callers check lengths and overlap.
/// </summary>
internal static class BinaryGradientDriver
{
    public static void Run<TG>(TG g, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> z, ReadOnlySpan<float> dy,
        Span<float> da, Span<float> db, SimdWidth width) where TG : struct, IBinaryGradient
    {
        var p = new Pointers(a, b, z, dy, da, db);
        int n = dy.Length;
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) Run<Vector512<float>, Float512, TG>(g, p, n);
        else if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) Run<Vector256<float>, Float256, TG>(g, p, n);
        else if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) Run<Vector128<float>, Float128, TG>(g, p, n);
        else RunScalar(g, p, n);
    }

    private readonly ref struct Pointers
    {
        public readonly ref float A, B, Z, Dy, Da, Db;
        public readonly bool ScalarA, ScalarB, StoreA, StoreB;

        public Pointers(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> z, ReadOnlySpan<float> dy, Span<float> da, Span<float> db)
        {
            A = ref MemoryMarshal.GetReference(a);
            B = ref MemoryMarshal.GetReference(b);
            Z = ref MemoryMarshal.GetReference(z);
            Dy = ref MemoryMarshal.GetReference(dy);
            Da = ref MemoryMarshal.GetReference(da);
            Db = ref MemoryMarshal.GetReference(db);
            ScalarA = a.Length == 1 && dy.Length != 1;
            ScalarB = b.Length == 1 && dy.Length != 1;
            StoreA = !da.IsEmpty;
            StoreB = !db.IsEmpty;
        }
    }

    private static void RunScalar<TG>(TG g, in Pointers p, int n) where TG : struct, IBinaryGradient
    {
        for (int i = 0; i < n; i++)
        {
            float a = p.ScalarA ? p.A : Unsafe.Add(ref p.A, i), b = p.ScalarB ? p.B : Unsafe.Add(ref p.B, i);
            float z = Unsafe.Add(ref p.Z, i), dy = Unsafe.Add(ref p.Dy, i);
            float ga = g.A(a, b, z, dy), gb = g.B(a, b, z, dy);
            if (p.StoreA) Unsafe.Add(ref p.Da, i) = ga;
            if (p.StoreB) Unsafe.Add(ref p.Db, i) = gb;
        }
    }

    private static void Run<TVec, TOps, TG>(TG g, in Pointers p, int n)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TG : struct, IBinaryGradient
    {
        int count = TOps.Count;
        nuint last = (nuint)(n - count);
        TVec sa = TOps.Create(p.A), sb = TOps.Create(p.B);
        Step<TVec, TOps, TG>(g, p, sa, sb, last, out TVec endA, out TVec endB);
        for (nuint i = 0; i < last; i += (nuint)count)
        {
            Step<TVec, TOps, TG>(g, p, sa, sb, i, out TVec ga, out TVec gb);
            if (p.StoreA) TOps.Store(ga, ref p.Da, i);
            if (p.StoreB) TOps.Store(gb, ref p.Db, i);
        }
        if (p.StoreA) TOps.Store(endA, ref p.Da, last);
        if (p.StoreB) TOps.Store(endB, ref p.Db, last);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<TVec, TOps, TG>(TG g, in Pointers p, TVec sa, TVec sb, nuint i, out TVec ga, out TVec gb)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TG : struct, IBinaryGradient
    {
        TVec a = p.ScalarA ? sa : TOps.Load(ref p.A, i), b = p.ScalarB ? sb : TOps.Load(ref p.B, i);
        TVec z = TOps.Load(ref p.Z, i), dy = TOps.Load(ref p.Dy, i);
        ga = g.A<TVec, TOps>(a, b, z, dy);
        gb = g.B<TVec, TOps>(a, b, z, dy);
    }
}
