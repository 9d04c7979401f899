using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Average pooling over <c>planes</c> = N·C planes of an NCHW tensor, forward and backward. With
/// <c>countIncludePad</c> the divisor counts the window's taps inside the padded input (so a ceil-mode window
/// running past the padding counts only what lies within it, as PyTorch does); without, only the taps on the input
/// (a dilated window that misses the input altogether gives 0).
/// Scalar loops, as <see cref="MaxPool2D"/>.
/// </summary>
public static class AvgPool2D
{
    public static void Forward(in Pool2DGeometry g, int planes, ReadOnlySpan<float> x, Span<float> y, bool countIncludePad)
    {
        Pooling.Check(g, planes, x.Length, "input", g.InputPlane);
        Pooling.Check(g, planes, y.Length, "output", g.OutputPlane);
        Pooling.Disjoint(x, y);
        int h = g.InputHeight, w = g.InputWidth, ow = g.OutputWidth;
        var (rowLo, rowHi) = PoolWindows.Inside(g.OutputHeight, h, g.KernelHeight, g.StrideHeight, g.PadTop, g.DilationHeight);
        var (colLo, colHi) = PoolWindows.Inside(ow, w, g.KernelWidth, g.StrideWidth, g.PadLeft, g.DilationWidth);
        int taps = g.KernelHeight * g.KernelWidth;
        Span<int> offsets = stackalloc int[Math.Min(taps, PoolWindows.MaxOffsets)];
        if (taps > PoolWindows.MaxOffsets) rowHi = rowLo;
        else PoolWindows.Offsets(g, offsets);
        ref float xs = ref MemoryMarshal.GetReference(x);
        for (int p = 0; p < planes; p++)
        {
            int xBase = p * g.InputPlane, yBase = p * g.OutputPlane;
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                bool rowInside = oy >= rowLo && oy < rowHi;
                int rows = Taps(oy, g.StrideHeight, g.PadTop, g.DilationHeight, g.KernelHeight, h, g.PadBottom, countIncludePad);
                for (int ox = 0; ox < ow; ox++)
                {
                    if (rowInside && ox >= colLo && ox < colHi)
                    {
                        // Wholly on the input: every tap counts either way.
                        int first = xBase + (oy * g.StrideHeight - g.PadTop) * w + ox * g.StrideWidth - g.PadLeft;
                        float total = 0;
                        foreach (int offset in offsets) total += Unsafe.Add(ref xs, first + offset);
                        y[yBase + oy * ow + ox] = total / taps;
                        continue;
                    }
                    int columns = Taps(ox, g.StrideWidth, g.PadLeft, g.DilationWidth, g.KernelWidth, w, g.PadRight, countIncludePad);
                    float sum = 0;
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        if ((uint)iy >= (uint)h) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if ((uint)ix < (uint)w) sum += x[xBase + iy * w + ix];
                        }
                    }
                    // A dilated window can miss the input altogether; it averages nothing.
                    y[yBase + oy * ow + ox] = rows * columns == 0 ? 0 : sum / (rows * columns);
                }
            }
        }
    }

    /// <summary>dx = each dy spread evenly over its window's counted taps; dx is overwritten.</summary>
    public static void Backward(in Pool2DGeometry g, int planes, ReadOnlySpan<float> dy, Span<float> dx, bool countIncludePad)
    {
        Pooling.Check(g, planes, dy.Length, "output gradient", g.OutputPlane);
        Pooling.Check(g, planes, dx.Length, "input gradient", g.InputPlane);
        Pooling.Disjoint(dy, dx);
        dx.Clear();
        int h = g.InputHeight, w = g.InputWidth, ow = g.OutputWidth;
        for (int p = 0; p < planes; p++)
        {
            int xBase = p * g.InputPlane, yBase = p * g.OutputPlane;
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                int rows = Taps(oy, g.StrideHeight, g.PadTop, g.DilationHeight, g.KernelHeight, h, g.PadBottom, countIncludePad);
                for (int ox = 0; ox < ow; ox++)
                {
                    int columns = Taps(ox, g.StrideWidth, g.PadLeft, g.DilationWidth, g.KernelWidth, w, g.PadRight, countIncludePad);
                    float share = rows * columns == 0 ? 0 : dy[yBase + oy * ow + ox] / (rows * columns);
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        if ((uint)iy >= (uint)h) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if ((uint)ix < (uint)w) dx[xBase + iy * w + ix] += share;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Taps of a window along one axis that count: inside [−padBegin, input + padEnd), or inside [0, input).</summary>
    private static int Taps(int o, int stride, int padBegin, int dilation, int kernel, int input, int padEnd, bool includePad)
    {
        int low = includePad ? -padBegin : 0, high = includePad ? input + padEnd : input, count = 0;
        for (int k = 0, i = o * stride - padBegin; k < kernel; k++, i += dilation)
            if (i >= low && i < high) count++;
        return count;
    }
}
