using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// z = condition ? a : b elementwise (ONNX's Where) and its gradient, where the condition is a boolean held as a
/// float (any value but ±0 is true, NaN included) and each of condition, a and b holds z's length of values or one
/// value broadcast over all of them, as in <see cref="BinaryMath"/>. A selection, not arithmetic: every width gives
/// the scalar body's bits. Outputs may be the same span as an input of their length, or disjoint.
/// </summary>
public static class WhereMath
{
    public static void Forward(ReadOnlySpan<float> condition, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> z) =>
        Forward(condition, a, b, z, Isa.Width);

    /// <summary>
    /// da = dz where the condition holds, else 0; db = dz where it does not, else 0 (before any sum over broadcast
    /// axes, which the caller makes). An empty da or db is not computed. The condition has no gradient.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> condition, ReadOnlySpan<float> dz, Span<float> da, Span<float> db) =>
        Backward(condition, dz, da, db, Isa.Width);

    internal static void Forward(ReadOnlySpan<float> condition, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> z, SimdWidth width)
    {
        int n = z.Length;
        Operand(condition, n, nameof(condition), nameof(z));
        Operand(a, n, nameof(a), nameof(z));
        Operand(b, n, nameof(b), nameof(z));
        if (condition.Length == n) SpanChecks.SameOrDisjoint(condition, z, nameof(condition), nameof(z));
        if (a.Length == n) SpanChecks.SameOrDisjoint(a, z, nameof(a), nameof(z));
        if (b.Length == n) SpanChecks.SameOrDisjoint(b, z, nameof(b), nameof(z));
        var p = new Pointers(condition, a, b, z, n);
        if (width >= SimdWidth.V512 && n >= Vector512<float>.Count) Run<Vector512<float>, Float512>(p, n);
        else if (width >= SimdWidth.V256 && n >= Vector256<float>.Count) Run<Vector256<float>, Float256>(p, n);
        else if (width >= SimdWidth.V128 && n >= Vector128<float>.Count) Run<Vector128<float>, Float128>(p, n);
        else RunScalar(p, n);
    }

    internal static void Backward(ReadOnlySpan<float> condition, ReadOnlySpan<float> dz, Span<float> da, Span<float> db, SimdWidth width)
    {
        int n = dz.Length;
        Operand(condition, n, nameof(condition), nameof(dz));
        Gradient(da, n, nameof(da));
        Gradient(db, n, nameof(db));
        SpanChecks.SameOrDisjoint(dz, da, nameof(dz), nameof(da));
        SpanChecks.SameOrDisjoint(dz, db, nameof(dz), nameof(db));
        if (!da.IsEmpty && !db.IsEmpty && da.Overlaps(db))
            throw new ArgumentException("db overlaps da; expected disjoint spans.", nameof(db));
        // dz where the condition holds is Where(condition, dz, 0); where it does not, Where(condition, 0, dz).
        // db first: when da is dz's own span, computing it first would overwrite the dz db reads.
        ReadOnlySpan<float> zero = [0f];
        if (!db.IsEmpty && !da.IsEmpty && da.Overlaps(dz))
        {
            Forward(condition, zero, dz, db, width);
            Forward(condition, dz, zero, da, width);
            return;
        }
        if (!da.IsEmpty) Forward(condition, dz, zero, da, width);
        if (!db.IsEmpty) Forward(condition, zero, dz, db, width);
    }

    private readonly ref struct Pointers
    {
        public readonly ref float C, A, B, Z;
        public readonly bool ScalarC, ScalarA, ScalarB;

        public Pointers(ReadOnlySpan<float> c, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> z, int n)
        {
            C = ref MemoryMarshal.GetReference(c);
            A = ref MemoryMarshal.GetReference(a);
            B = ref MemoryMarshal.GetReference(b);
            Z = ref MemoryMarshal.GetReference(z);
            ScalarC = c.Length == 1 && n != 1;
            ScalarA = a.Length == 1 && n != 1;
            ScalarB = b.Length == 1 && n != 1;
        }
    }

    /// <summary>The reference: one comparison and one selection per element.</summary>
    private static void RunScalar(in Pointers p, int n)
    {
        for (int i = 0; i < n; i++)
        {
            float c = p.ScalarC ? p.C : Unsafe.Add(ref p.C, i);
            float a = p.ScalarA ? p.A : Unsafe.Add(ref p.A, i), b = p.ScalarB ? p.B : Unsafe.Add(ref p.B, i);
            Unsafe.Add(ref p.Z, i) = c != 0 ? a : b;
        }
    }

    /// <summary>The overlapping last vector is computed before the loop (and every vector loads before it stores), so z may be an input's span.</summary>
    private static void Run<TVec, TOps>(in Pointers p, int n) where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        int count = TOps.Count;
        nuint last = (nuint)(n - count);
        TVec sc = TOps.Create(p.C), sa = TOps.Create(p.A), sb = TOps.Create(p.B), zero = TOps.Create(0);
        TVec end = Step<TVec, TOps>(p, sc, sa, sb, zero, last);
        for (nuint i = 0; i < last; i += (nuint)count)
            TOps.Store(Step<TVec, TOps>(p, sc, sa, sb, zero, i), ref p.Z, i);
        TOps.Store(end, ref p.Z, last);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Step<TVec, TOps>(in Pointers p, TVec sc, TVec sa, TVec sb, TVec zero, nuint i) where TVec : struct where TOps : struct, IFloatVector<TVec>
    {
        TVec c = p.ScalarC ? sc : TOps.Load(ref p.C, i);
        TVec a = p.ScalarA ? sa : TOps.Load(ref p.A, i), b = p.ScalarB ? sb : TOps.Load(ref p.B, i);
        // ±0 compares equal to 0 and NaN does not, so "is zero" is the condition's false, as in the scalar body.
        return TOps.Select(TOps.EqualsMask(c, zero), b, a);
    }

    private static void Operand(ReadOnlySpan<float> x, int n, string name, string against)
    {
        if (x.Length != n && x.Length != 1)
            throw new ArgumentException($"{name} has {x.Length} elements, expected {against}'s {n} or one to broadcast.", name);
    }

    private static void Gradient(Span<float> g, int n, string name)
    {
        if (!g.IsEmpty && g.Length != n)
            throw new ArgumentException($"{name} has {g.Length} elements, expected dz's {n} (or none to skip it).", name);
    }
}
