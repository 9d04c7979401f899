using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>One optimizer's update of one vector of parameters, its gradient and up to two state vectors, in registers.</summary>
internal interface IParameterStep<TVec> where TVec : struct
{
    void Apply(ref TVec w, TVec g, ref TVec state1, ref TVec state2);
}

/// <summary>
/// Runs an <see cref="IParameterStep{TVec}"/> over whole buffers in one pass: each element of w, g and the state
/// buffers is loaded once and stored once. The last, partial vector is an overlapping one whose already-updated
/// lanes are blended back unchanged, so no element is stepped twice. Callers guarantee <c>w.Length ≥ TOps.Count</c>
/// and equal lengths; an empty state span is neither read nor written.
/// </summary>
internal static class ParameterUpdateDriver
{
    public static void Run<TVec, TOps, TStep>(TStep step, Span<float> w, ReadOnlySpan<float> g, Span<float> state1,
        Span<float> state2)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TStep : struct, IParameterStep<TVec>
    {
        ref float ws = ref MemoryMarshal.GetReference(w);
        ref float gs = ref MemoryMarshal.GetReference(g);
        ref float s1s = ref MemoryMarshal.GetReference(state1);
        ref float s2s = ref MemoryMarshal.GetReference(state2);
        bool has1 = !state1.IsEmpty, has2 = !state2.IsEmpty;
        int count = TOps.Count;
        nuint last = (nuint)(w.Length - count);
        for (nuint i = 0; i <= last; i += (nuint)count)
        {
            TVec wv = TOps.Load(ref ws, i);
            TVec s1 = has1 ? TOps.Load(ref s1s, i) : default;
            TVec s2 = has2 ? TOps.Load(ref s2s, i) : default;
            step.Apply(ref wv, TOps.Load(ref gs, i), ref s1, ref s2);
            TOps.Store(wv, ref ws, i);
            if (has1) TOps.Store(s1, ref s1s, i);
            if (has2) TOps.Store(s2, ref s2s, i);
        }
        int rest = w.Length % count;
        if (rest != 0) Tail<TVec, TOps, TStep>(step, ref ws, ref gs, ref s1s, ref s2s, has1, has2, last, TOps.LanesFrom(count - rest));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Tail<TVec, TOps, TStep>(in TStep step, ref float ws, ref float gs, ref float s1s,
        ref float s2s, bool has1, bool has2, nuint i, TVec fresh)
        where TVec : struct where TOps : struct, IFloatVector<TVec> where TStep : struct, IParameterStep<TVec>
    {
        TVec w0 = TOps.Load(ref ws, i), wv = w0;
        TVec s10 = has1 ? TOps.Load(ref s1s, i) : default, s1 = s10;
        TVec s20 = has2 ? TOps.Load(ref s2s, i) : default, s2 = s20;
        step.Apply(ref wv, TOps.Load(ref gs, i), ref s1, ref s2);
        TOps.Store(TOps.Select(fresh, wv, w0), ref ws, i);
        if (has1) TOps.Store(TOps.Select(fresh, s1, s10), ref s1s, i);
        if (has2) TOps.Store(TOps.Select(fresh, s2, s20), ref s2s, i);
    }
}
