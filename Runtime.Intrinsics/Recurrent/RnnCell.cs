using System.Runtime.CompilerServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The fused step of a plain (Elman) RNN: h' = act(·) of the pre-activation (input projection, recurrent product
/// and both biases), act tanh or ReLU. The pre-activation is overwritten with h' (what backward reads) and h' is
/// also written to the state.
/// </summary>
public static unsafe class RnnCell
{
    /// <summary>One step: pre [rows × hidden] in place, and h'.</summary>
    public static void Forward(bool relu, int rows, int hidden, Span<float> pre, int preStride, Span<float> h, int hStride) =>
        Forward(relu, rows, hidden, pre, preStride, h, hStride, Isa.Width);

    /// <summary>The step's backward: pre (holding h') becomes the pre-activation gradient act'(·)⊙dh.</summary>
    public static void Backward(bool relu, int rows, int hidden, Span<float> pre, int preStride, ReadOnlySpan<float> dh, int dhStride) =>
        Backward(relu, rows, hidden, pre, preStride, dh, dhStride, Isa.Width);

    internal static void Forward(bool relu, int rows, int hidden, Span<float> pre, int preStride, Span<float> h, int hStride, SimdWidth width)
    {
        if (relu) Run<RnnReluForwardKernel>(rows, hidden, pre, preStride, h, hStride, width);
        else Run<RnnTanhForwardKernel>(rows, hidden, pre, preStride, h, hStride, width);
    }

    internal static void Backward(bool relu, int rows, int hidden, Span<float> pre, int preStride, ReadOnlySpan<float> dh, int dhStride, SimdWidth width)
    {
        if (relu) Run<RnnReluBackwardKernel>(rows, hidden, pre, preStride, dh, dhStride, width);
        else Run<RnnTanhBackwardKernel>(rows, hidden, pre, preStride, dh, dhStride, width);
    }

    private static void Run<TKernel>(int rows, int hidden, Span<float> pre, int preStride, ReadOnlySpan<float> other, int otherStride, SimdWidth width)
        where TKernel : struct, ICellKernel
    {
        CellRows.Sizes(rows, hidden);
        CellRows.Check(pre.Length, rows, preStride, hidden, nameof(pre));
        CellRows.Check(other.Length, rows, otherStride, hidden, "the state");
        if (rows == 0 || hidden == 0) return;
        fixed (float* pp = pre, po = other)
        {
            for (int r = 0; r < rows; r++)
            {
                CellStreams s = default;
                s[0] = (nint)(pp + (nint)r * preStride);
                s[1] = (nint)(po + (nint)r * otherStride);
                CellDriver.Run<TKernel>(in s, hidden, width);
            }
        }
    }
}

internal readonly unsafe struct RnnTanhForwardKernel : ICellKernel
{
    public static int StreamCount => 2;

    public static int OutputMask => 0b11;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Vector<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec>
    {
        TVec h = TOps.Tanh(TOps.Load((float*)s[0] + i));
        TOps.Store(h, (float*)s[0] + i);
        TOps.Store(h, (float*)s[1] + i);
    }

    public static void Scalar(in CellStreams s, nint i) => ((float*)s[1])[i] = ((float*)s[0])[i] = MathF.Tanh(((float*)s[0])[i]);
}

internal readonly unsafe struct RnnReluForwardKernel : ICellKernel
{
    public static int StreamCount => 2;

    public static int OutputMask => 0b11;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Vector<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec>
    {
        TVec h = TOps.Relu(TOps.Load((float*)s[0] + i));
        TOps.Store(h, (float*)s[0] + i);
        TOps.Store(h, (float*)s[1] + i);
    }

    public static void Scalar(in CellStreams s, nint i)
    {
        float x = ((float*)s[0])[i];
        ((float*)s[1])[i] = ((float*)s[0])[i] = x < 0 ? 0 : x;
    }
}

internal readonly unsafe struct RnnTanhBackwardKernel : ICellKernel
{
    public static int StreamCount => 2;

    public static int OutputMask => 0b01;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Vector<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec>
    {
        TVec h = TOps.Load((float*)s[0] + i);
        TOps.Store(TOps.Multiply(TOps.Load((float*)s[1] + i), TOps.Multiply(TOps.Subtract(TOps.One, h), TOps.Add(TOps.One, h))), (float*)s[0] + i);
    }

    public static void Scalar(in CellStreams s, nint i)
    {
        float h = ((float*)s[0])[i];
        ((float*)s[0])[i] = ((float*)s[1])[i] * ((1 - h) * (1 + h));
    }
}

internal readonly unsafe struct RnnReluBackwardKernel : ICellKernel
{
    public static int StreamCount => 2;

    public static int OutputMask => 0b01;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Vector<TVec, TOps>(in CellStreams s, nint i) where TVec : struct where TOps : struct, IGateVector<TVec> =>
        TOps.Store(TOps.WherePositive(TOps.Load((float*)s[0] + i), TOps.Load((float*)s[1] + i)), (float*)s[0] + i);

    public static void Scalar(in CellStreams s, nint i) => ((float*)s[0])[i] = ((float*)s[0])[i] > 0 ? ((float*)s[1])[i] : 0;
}
