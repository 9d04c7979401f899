using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Average pooling over <c>planes</c> = N·C volumes of an NCDHW tensor, forward and backward, with
/// <see cref="AvgPool2D"/>'s divisors: with <c>countIncludePad</c> the taps inside the padded input (a ceil-mode window
/// past the padding counts only what lies within it), without, the taps on the input (none gives 0). The divisor is
/// the product of the counts along the three axes.
/// <para>
/// Vectors along the output row as <see cref="MaxPool3D"/>'s (stride 1 along the width, the windows inside the
/// input's width): each adds its taps from +0 in the scalar loop's order and divides by the same count, so every
/// width gives the scalar sums bit for bit. Backward spreads each gradient over its taps, the vector rows in an order
/// that adds each input's shares as the scalar loop does.
/// </para>
/// </summary>
public static class AvgPool3D
{
    public static void Forward(in Pool3DGeometry g, int planes, ReadOnlySpan<float> x, Span<float> y, bool countIncludePad) =>
        Forward(Isa.Width, g, planes, x, y, countIncludePad);

    internal static void Forward(SimdWidth width, in Pool3DGeometry g, int planes, ReadOnlySpan<float> x, Span<float> y, bool countIncludePad)
    {
        Pool3DRows.Check(g, planes, x.Length, "input", g.InputVolume);
        Pool3DRows.Check(g, planes, y.Length, "output", g.OutputVolume);
        Pooling.Disjoint(x, y);
        var (rowWidth, lo, hi) = Pool3DRows.Columns(width, g);
        Span<int> rows = stackalloc int[Pool3DRows.MaxRows(g)];
        int ow = g.OutputWidth, kw = g.Width.Kernel, dw = g.Width.Dilation, padLeft = g.Width.PadBegin;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        for (int p = 0; p < planes; p++)
        {
            int xBase = p * g.InputVolume;
            for (int od = 0; od < g.OutputDepth; od++)
            {
                int depthTaps = g.Depth.Taps(od, g.InputDepth, countIncludePad);
                for (int oh = 0; oh < g.OutputHeight; oh++)
                {
                    int yRow = ((p * g.OutputDepth + od) * g.OutputHeight + oh) * ow, ox = 0;
                    int planeTaps = depthTaps * g.Height.Taps(oh, g.InputHeight, countIncludePad);
                    int count = rowWidth == SimdWidth.Scalar ? 0 : Pool3DRows.Collect(g, od, oh, rows);
                    if (count > 0)
                    {
                        for (; ox < lo; ox++) y[yRow + ox] = Clipped(g, x, xBase, od, oh, ox, planeTaps, countIncludePad);
                        ReadOnlySpan<int> on = rows[..count];
                        int first = xBase - padLeft, taps = planeTaps * kw; // inside the width every tap counts either way
                        ref float yr = ref Unsafe.Add(ref ys, yRow);
                        switch (rowWidth)
                        {
                            case SimdWidth.V512: Row<Vector512<float>, Pool512>(ref xs, first, on, kw, dw, lo, hi, taps, ref yr); break;
                            case SimdWidth.V256: Row<Vector256<float>, Pool256>(ref xs, first, on, kw, dw, lo, hi, taps, ref yr); break;
                            default: Row<Vector128<float>, Pool128>(ref xs, first, on, kw, dw, lo, hi, taps, ref yr); break;
                        }
                        ox = hi;
                    }
                    for (; ox < ow; ox++) y[yRow + ox] = Clipped(g, x, xBase, od, oh, ox, planeTaps, countIncludePad);
                }
            }
        }
    }

    /// <summary>Outputs [lo, hi) of one row, Count at a time (the last vector overlapping the one before).</summary>
    private static void Row<TVec, TOps>(ref float xs, int first, ReadOnlySpan<int> rows, int kernel, int dilation, int lo, int hi, int taps, ref float yr)
        where TVec : struct where TOps : struct, IPoolVector<TVec>
    {
        int count = TOps.Count;
        TVec divisor = TOps.Create(taps), zero = TOps.Create(0);
        for (int ox = lo; ; ox += count)
        {
            bool last = ox >= hi - count;
            if (last) ox = hi - count;
            int start = first + ox;
            TVec total = zero; // from +0, as the scalar sum starts: a window of −0s averages to +0
            foreach (int row in rows)
                for (int k = 0, at = start + row; k < kernel; k++, at += dilation) total = TOps.Add(total, TOps.Load(ref xs, (nuint)at));
            TOps.Store(TOps.Divide(total, divisor), ref yr, (nuint)ox);
            if (last) return;
        }
    }

    /// <summary>The scalar loop: the taps on the input over the counted taps (none gives 0).</summary>
    private static float Clipped(in Pool3DGeometry g, ReadOnlySpan<float> x, int xBase, int od, int oh, int ox, int planeTaps, bool countIncludePad)
    {
        var (d, h, w) = (g.Depth, g.Height, g.Width);
        int taps = planeTaps * w.Taps(ox, g.InputWidth, countIncludePad);
        float sum = 0;
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
                    if ((uint)ix < (uint)g.InputWidth) sum += x[row + ix];
                }
            }
        }
        // A dilated window can miss the input altogether; it averages nothing.
        return taps == 0 ? 0 : sum / taps;
    }

    /// <summary>dx = each dy spread evenly over its window's counted taps; dx is overwritten.</summary>
    public static void Backward(in Pool3DGeometry g, int planes, ReadOnlySpan<float> dy, Span<float> dx, bool countIncludePad) =>
        Backward(Isa.Width, g, planes, dy, dx, countIncludePad);

    /// <summary>
    /// The scalar loop adds to each input the shares of its windows in output order; the vector rows keep that order
    /// for every input (the windows of one output row reach a given input through one row of taps, and within it
    /// later windows through earlier taps, so the taps run last to first over windows taken in ascending vectors),
    /// so every width gives the scalar sums bit for bit.
    /// </summary>
    internal static void Backward(SimdWidth width, in Pool3DGeometry g, int planes, ReadOnlySpan<float> dy, Span<float> dx, bool countIncludePad)
    {
        Pool3DRows.Check(g, planes, dy.Length, "output gradient", g.OutputVolume);
        Pool3DRows.Check(g, planes, dx.Length, "input gradient", g.InputVolume);
        Pooling.Disjoint(dy, dx);
        dx.Clear();
        var (rowWidth, lo, hi) = Pool3DRows.Columns(width, g);
        Span<int> rows = stackalloc int[Pool3DRows.MaxRows(g)];
        var (d, h) = (g.Depth, g.Height);
        int ow = g.OutputWidth, kw = g.Width.Kernel, dw = g.Width.Dilation, padLeft = g.Width.PadBegin;
        ref float gs = ref MemoryMarshal.GetReference(dy);
        ref float dxs = ref MemoryMarshal.GetReference(dx);
        for (int p = 0; p < planes; p++)
        {
            int xBase = p * g.InputVolume;
            for (int od = 0; od < g.OutputDepth; od++)
            {
                int depthTaps = d.Taps(od, g.InputDepth, countIncludePad);
                for (int oh = 0; oh < g.OutputHeight; oh++)
                {
                    int planeTaps = depthTaps * h.Taps(oh, g.InputHeight, countIncludePad);
                    int yRow = ((p * g.OutputDepth + od) * g.OutputHeight + oh) * ow, ox = 0;
                    int count = rowWidth == SimdWidth.Scalar ? 0 : Pool3DRows.Collect(g, od, oh, rows);
                    if (count > 0)
                    {
                        for (; ox < lo; ox++) Spread(g, dy, dx, xBase, yRow, od, oh, ox, planeTaps, countIncludePad);
                        ReadOnlySpan<int> on = rows[..count];
                        ref float gr = ref Unsafe.Add(ref gs, yRow);
                        int first = xBase - padLeft, taps = planeTaps * kw;
                        ox = rowWidth switch
                        {
                            SimdWidth.V512 => SpreadRow<Vector512<float>, Pool512>(ref gr, ref dxs, first, on, kw, dw, lo, hi, taps),
                            SimdWidth.V256 => SpreadRow<Vector256<float>, Pool256>(ref gr, ref dxs, first, on, kw, dw, lo, hi, taps),
                            _ => SpreadRow<Vector128<float>, Pool128>(ref gr, ref dxs, first, on, kw, dw, lo, hi, taps),
                        };
                    }
                    for (; ox < ow; ox++) Spread(g, dy, dx, xBase, yRow, od, oh, ox, planeTaps, countIncludePad);
                }
            }
        }
    }

    /// <summary>
    /// The inside windows from <paramref name="lo"/> in whole vectors (no overlap: the shares add); returns the first
    /// window left for the scalar loop. Each row of taps takes every vector of windows, each vector its taps last to first.
    /// </summary>
    private static int SpreadRow<TVec, TOps>(ref float dy, ref float dx, int first, ReadOnlySpan<int> rows, int kernel, int dilation, int lo, int hi, int taps)
        where TVec : struct where TOps : struct, IPoolVector<TVec>
    {
        int count = TOps.Count, end = lo + (hi - lo) / count * count;
        TVec divisor = TOps.Create(taps);
        foreach (int row in rows)
            for (int ox = lo; ox < end; ox += count)
            {
                TVec share = TOps.Divide(TOps.Load(ref dy, (nuint)ox), divisor);
                for (int k = kernel - 1; k >= 0; k--)
                {
                    nuint at = (nuint)(first + row + ox + k * dilation);
                    TOps.Store(TOps.Add(TOps.Load(ref dx, at), share), ref dx, at);
                }
            }
        return end;
    }

    /// <summary>The scalar loop for one window: its share to each of its taps on the input.</summary>
    private static void Spread(in Pool3DGeometry g, ReadOnlySpan<float> dy, Span<float> dx, int xBase, int yRow, int od, int oh, int ox, int planeTaps, bool countIncludePad)
    {
        var (d, h, w) = (g.Depth, g.Height, g.Width);
        int taps = planeTaps * w.Taps(ox, g.InputWidth, countIncludePad);
        if (taps == 0) return;
        float share = dy[yRow + ox] / taps;
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
                    if ((uint)ix < (uint)g.InputWidth) dx[row + ix] += share;
                }
            }
        }
    }
}
