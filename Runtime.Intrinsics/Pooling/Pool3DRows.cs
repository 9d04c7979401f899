namespace Simd.Runtime.Intrinsics;

/// <summary>
/// What the 3-D pools share: argument checks, and the rows (depth, height) of one output row's windows that lie on
/// the input. Along those rows the windows wholly inside the input's width read every tap at a fixed offset, so at
/// stride 1 a vector of consecutive windows is one load per tap; the taps are taken in the scalar loop's order.
/// </summary>
internal static class Pool3DRows
{
    public static void Check(in Pool3DGeometry g, int planes, int actual, string what, int volume)
    {
        if (planes < 0) throw new ArgumentException($"Pooling: the number of volumes (batch·channels) must not be negative; got {planes}.");
        long expected = (long)planes * volume;
        if (actual != expected)
            throw new ArgumentException($"Pooling: the {what} has {actual} elements; expected volumes·{volume} = {expected} for {g}.");
    }

    /// <summary>
    /// The width the inside columns of the rows run at: stride 1, windows whose rows fit on the stack, and a vector
    /// that fits in the inside columns; else scalar (every window by the scalar loop).
    /// </summary>
    public static (SimdWidth Width, int Lo, int Hi) Columns(SimdWidth width, in Pool3DGeometry g)
    {
        var w = g.Width;
        var (lo, hi) = PoolWindows.Inside(g.OutputWidth, g.InputWidth, w.Kernel, w.Stride, w.PadBegin, w.Dilation);
        bool fits = w.Stride == 1 && (long)g.Depth.Kernel * g.Height.Kernel <= PoolWindows.MaxOffsets;
        return (fits ? VectorWidth.Fit(width, hi - lo) : SimdWidth.Scalar, lo, hi);
    }

    /// <summary>Rows one window of <paramref name="g"/> can hold (the stack space for <see cref="Collect"/>).</summary>
    public static int MaxRows(in Pool3DGeometry g) => (int)Math.Min((long)g.Depth.Kernel * g.Height.Kernel, PoolWindows.MaxOffsets);

    /// <summary>
    /// Offsets (id·H + ih)·W of the rows of output (od, oh)'s windows on the input, depth-major as the scalar loop
    /// visits them, into <paramref name="rows"/>; returns how many.
    /// </summary>
    public static int Collect(in Pool3DGeometry g, int od, int oh, Span<int> rows)
    {
        int count = 0;
        var (d, h) = (g.Depth, g.Height);
        for (int kd = 0; kd < d.Kernel; kd++)
        {
            int id = od * d.Stride - d.PadBegin + kd * d.Dilation;
            if ((uint)id >= (uint)g.InputDepth) continue;
            for (int kh = 0; kh < h.Kernel; kh++)
            {
                int ih = oh * h.Stride - h.PadBegin + kh * h.Dilation;
                if ((uint)ih < (uint)g.InputHeight) rows[count++] = (id * g.InputHeight + ih) * g.InputWidth;
            }
        }
        return count;
    }
}
