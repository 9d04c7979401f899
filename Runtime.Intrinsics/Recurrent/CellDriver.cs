using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>Start addresses of the streams one cell kernel reads and writes along the hidden axis (gates, states, gradients).</summary>
[InlineArray(MaxStreams)]
internal struct CellStreams
{
    public const int MaxStreams = 12;
    private nint _first;
}

/// <summary>
/// One fused recurrent step over <c>hidden</c> lanes: every stream is read and written at the same lane offsets,
/// so a chunk of lanes is independent of the others and the driver may run it at any width.
/// </summary>
internal unsafe interface ICellKernel
{
    /// <summary>How many entries of <see cref="CellStreams"/> the kernel uses.</summary>
    static abstract int StreamCount { get; }

    /// <summary>Bit s set when stream s is written (the padded tail copies only these back).</summary>
    static abstract int OutputMask { get; }

    static abstract void Vector<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec>;

    /// <summary>The scalar reference for lane i, with <see cref="MathF"/>'s exp and tanh.</summary>
    static abstract void Scalar(in CellStreams s, nint i);
}

/// <summary>
/// A cell kernel whose vectors end in a chain that waits on the rest (an LSTM's tanh(c')): two vectors side by side
/// let those chains overlap. Each lane gets exactly the operations of <see cref="ICellKernel.Vector"/>.
/// </summary>
internal unsafe interface IPairedCellKernel : ICellKernel
{
    /// <summary>The vectors at lanes i and i + TOps.Count.</summary>
    static abstract void VectorPair<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec>;
}

/// <summary>
/// Runs a cell kernel over the hidden lanes at a width: whole vectors of the width, then of 256 and 128 bits, then
/// the last one to three lanes through a zero-padded 128-bit vector on the stack, so every lane goes through the
/// same vector sigmoid and tanh and the 128-, 256- and 512-bit results are bitwise equal. Scalar runs the reference.
/// </summary>
internal static unsafe class CellDriver
{
    public static void Run<TKernel>(in CellStreams s, int hidden, SimdWidth width) where TKernel : struct, ICellKernel
    {
        nint i = 0, n = hidden;
        if (width == SimdWidth.Scalar)
        {
            for (; i < n; i++) TKernel.Scalar(in s, i);
            return;
        }
        if (width >= SimdWidth.V512)
            for (; i + Vector512<float>.Count <= n; i += Vector512<float>.Count) TKernel.Vector<Vector512<float>, Gate512>(in s, i);
        if (width >= SimdWidth.V256)
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count) TKernel.Vector<Vector256<float>, Gate256>(in s, i);
        for (; i + Vector128<float>.Count <= n; i += Vector128<float>.Count) TKernel.Vector<Vector128<float>, Gate128>(in s, i);
        if (i < n) PaddedTail<TKernel>(in s, i, (int)(n - i));
    }

    /// <summary><see cref="Run"/>, with pairs of the widest vectors first.</summary>
    public static void RunPaired<TKernel>(in CellStreams s, int hidden, SimdWidth width) where TKernel : struct, IPairedCellKernel
    {
        nint i = 0, n = hidden;
        if (width >= SimdWidth.V512)
            for (; i + 2 * Vector512<float>.Count <= n; i += 2 * Vector512<float>.Count) TKernel.VectorPair<Vector512<float>, Gate512>(in s, i);
        else if (width == SimdWidth.V256)
            for (; i + 2 * Vector256<float>.Count <= n; i += 2 * Vector256<float>.Count) TKernel.VectorPair<Vector256<float>, Gate256>(in s, i);
        else if (width == SimdWidth.V128)
            for (; i + 2 * Vector128<float>.Count <= n; i += 2 * Vector128<float>.Count) TKernel.VectorPair<Vector128<float>, Gate128>(in s, i);
        if (i == n) return;
        CellStreams rest = default;
        for (int k = 0; k < TKernel.StreamCount; k++) rest[k] = (nint)((float*)s[k] + i);
        Run<TKernel>(in rest, (int)(n - i), width);
    }

    private static void PaddedTail<TKernel>(in CellStreams s, nint at, int left) where TKernel : struct, ICellKernel
    {
        const int lanes = 4;
        int count = TKernel.StreamCount;
        float* buffer = stackalloc float[CellStreams.MaxStreams * lanes];
        new Span<float>(buffer, CellStreams.MaxStreams * lanes).Clear();
        CellStreams padded = default;
        for (int k = 0; k < count; k++)
        {
            float* from = (float*)s[k] + at, to = buffer + k * lanes;
            for (int j = 0; j < left; j++) to[j] = from[j];
            padded[k] = (nint)to;
        }
        TKernel.Vector<Vector128<float>, Gate128>(in padded, 0);
        for (int k = 0; k < count; k++)
        {
            if ((TKernel.OutputMask & (1 << k)) == 0) continue;
            float* from = buffer + k * lanes, to = (float*)s[k] + at;
            for (int j = 0; j < left; j++) to[j] = from[j];
        }
    }
}
