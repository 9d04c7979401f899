using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Max pooling over <c>planes</c> = N·C volumes of an NCDHW tensor, forward saving where each maximum came from
/// and backward scattering through those positions. Indices are flat into x (volume·D·H·W + (d·H + h)·W + w), ONNX's
/// <c>Indices</c> with storage order 0. NaN wins over numbers (the first NaN of a window), as in PyTorch; among
/// equal maxima the first in (depth, height, width) order: <see cref="MaxPool2D"/>'s rules.
/// <para>
/// At stride 1 along the width, the windows inside the input's width run as vectors along the output row over the
/// rows (depth, height) of the window that lie on the input (<see cref="Pool3DRows"/>), taking the taps in the
/// scalar loop's order with its rule per lane, so every width gives the scalar loop's values and indices bit for bit;
/// the other windows, and every window at other strides, run the scalar loop. Backward is a scatter of dy through
/// the indices, the same at every width.
/// </para>
/// </summary>
public static class MaxPool3D
{
    /// <summary>y = the window maxima; <paramref name="indices"/> (empty, or y's length) receives their positions.</summary>
    public static void Forward(in Pool3DGeometry g, int planes, ReadOnlySpan<float> x, Span<float> y, Span<int> indices) =>
        Forward(Isa.Width, g, planes, x, y, indices);

    internal static void Forward(SimdWidth width, in Pool3DGeometry g, int planes, ReadOnlySpan<float> x, Span<float> y, Span<int> indices)
    {
        Pool3DRows.Check(g, planes, x.Length, "input", g.InputVolume);
        Pool3DRows.Check(g, planes, y.Length, "output", g.OutputVolume);
        if (!indices.IsEmpty) Pool3DRows.Check(g, planes, indices.Length, "indices", g.OutputVolume);
        Pooling.Disjoint(x, y);
        var (rowWidth, lo, hi) = Pool3DRows.Columns(width, g);
        Span<int> rows = stackalloc int[Pool3DRows.MaxRows(g)];
        bool track = !indices.IsEmpty;
        int ow = g.OutputWidth, kw = g.Width.Kernel, dw = g.Width.Dilation, padLeft = g.Width.PadBegin;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref int ids = ref MemoryMarshal.GetReference(indices);
        for (int p = 0; p < planes; p++)
        {
            int xBase = p * g.InputVolume;
            for (int od = 0; od < g.OutputDepth; od++)
                for (int oh = 0; oh < g.OutputHeight; oh++)
                {
                    int yRow = ((p * g.OutputDepth + od) * g.OutputHeight + oh) * ow, ox = 0;
                    int count = rowWidth == SimdWidth.Scalar ? 0 : Pool3DRows.Collect(g, od, oh, rows);
                    if (count > 0)
                    {
                        for (; ox < lo; ox++) Write(y, indices, yRow + ox, Clipped(g, x, xBase, od, oh, ox));
                        ReadOnlySpan<int> on = rows[..count];
                        int first = xBase - padLeft;
                        ref float yr = ref Unsafe.Add(ref ys, yRow);
                        ref int ir = ref Unsafe.Add(ref ids, yRow);
                        switch (rowWidth)
                        {
                            case SimdWidth.V512: Row<Vector512<float>, Pool512>(ref xs, first, on, kw, dw, lo, hi, ref yr, ref ir, track); break;
                            case SimdWidth.V256: Row<Vector256<float>, Pool256>(ref xs, first, on, kw, dw, lo, hi, ref yr, ref ir, track); break;
                            default: Row<Vector128<float>, Pool128>(ref xs, first, on, kw, dw, lo, hi, ref yr, ref ir, track); break;
                        }
                        ox = hi;
                    }
                    for (; ox < ow; ox++) Write(y, indices, yRow + ox, Clipped(g, x, xBase, od, oh, ox));
                }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(Span<float> y, Span<int> indices, int o, (float Best, int At) window)
    {
        y[o] = window.Best;
        if (!indices.IsEmpty) indices[o] = window.At;
    }

    /// <summary>
    /// Outputs [lo, hi) of one row, Count at a time (the last vector overlapping the one before): window ox's taps are
    /// x[first + ox + row + k·dilation] over the rows on the input and k in [0, kernel).
    /// </summary>
    private static void Row<TVec, TOps>(ref float xs, int first, ReadOnlySpan<int> rows, int kernel, int dilation, int lo, int hi,
        ref float yr, ref int ir, bool track)
        where TVec : struct where TOps : struct, IPoolVector<TVec>
    {
        int count = TOps.Count;
        TVec ramp = TOps.Ramp(1);
        for (int ox = lo; ; ox += count)
        {
            bool last = ox >= hi - count;
            if (last) ox = hi - count;
            int start = first + ox;
            TVec best = TOps.Load(ref xs, (nuint)(start + rows[0])), winner = TOps.CreateInt(rows[0]);
            for (int r = 0; r < rows.Length; r++)
                for (int k = r == 0 ? 1 : 0; k < kernel; k++)
                {
                    int offset = rows[r] + k * dilation;
                    TVec v = TOps.Load(ref xs, (nuint)(start + offset));
                    TVec take = TOps.Takes(v, best);
                    best = TOps.Select(take, v, best);
                    if (track) winner = TOps.Select(take, TOps.CreateInt(offset), winner);
                }
            TOps.Store(best, ref yr, (nuint)ox);
            if (track) TOps.StoreInts(TOps.AddInts(TOps.AddInts(ramp, TOps.CreateInt(start)), winner), ref ir, (nuint)ox);
            if (last) return;
        }
    }

    /// <summary>The scalar loop: taps in the padding are skipped; a window with none on the input gives (−∞, −1).</summary>
    private static (float, int) Clipped(in Pool3DGeometry g, ReadOnlySpan<float> x, int xBase, int od, int oh, int ox)
    {
        var (d, h, w) = (g.Depth, g.Height, g.Width);
        float best = float.NegativeInfinity;
        int at = -1;
        for (int kd = 0; kd < d.Kernel; kd++)
        {
            int id = od * d.Stride - d.PadBegin + kd * d.Dilation;
            if ((uint)id >= (uint)g.InputDepth) continue;
            for (int kh = 0; kh < h.Kernel; kh++)
            {
                int ih = oh * h.Stride - h.PadBegin + kh * h.Dilation;
                if ((uint)ih >= (uint)g.InputHeight) continue;
                int row = xBase + (id * g.InputHeight + ih) * g.InputWidth;
                for (int kx = 0; kx < w.Kernel; kx++)
                {
                    int ix = ox * w.Stride - w.PadBegin + kx * w.Dilation;
                    if ((uint)ix >= (uint)g.InputWidth) continue;
                    float v = x[row + ix];
                    if (at < 0 || v > best || (float.IsNaN(v) && !float.IsNaN(best)))
                    {
                        best = v;
                        at = row + ix;
                    }
                }
            }
        }
        return (best, at);
    }

    /// <summary>
    /// dx[indices[i]] += dy[i] over a cleared dx (overwritten): overlapping windows that chose the same input add.
    /// A window that held no input (dilated taps all in the padding) has no index and passes nothing back.
    /// </summary>
    public static void Backward(in Pool3DGeometry g, int planes, ReadOnlySpan<float> dy, ReadOnlySpan<int> indices, Span<float> dx)
    {
        Pool3DRows.Check(g, planes, dy.Length, "output gradient", g.OutputVolume);
        Pool3DRows.Check(g, planes, indices.Length, "indices", g.OutputVolume);
        Pool3DRows.Check(g, planes, dx.Length, "input gradient", g.InputVolume);
        Pooling.Disjoint(dy, dx);
        dx.Clear();
        for (int i = 0; i < dy.Length; i++)
        {
            int at = indices[i];
            if (at < 0) continue;
            if (at >= dx.Length)
                throw new ArgumentException($"Pooling: index {at} at output {i} lies outside the {dx.Length} inputs; the indices are not this geometry's.");
            dx[at] += dy[i];
        }
    }
}
