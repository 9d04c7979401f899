using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Max pooling over <c>planes</c> = N·C planes of an NCHW tensor, forward saving where each maximum came from and
/// backward scattering through those positions. Indices are flat into x (plane·H·W + row·W + column), ONNX's
/// <c>Indices</c> output with storage order 0. NaN wins over numbers (the first NaN of a window), as in PyTorch;
/// among equal maxima the first in row-major order. Scalar loops: the stride-2 windows of the usual networks do not
/// fill contiguous vectors, and a pass reads each input about once.
/// </summary>
public static class MaxPool2D
{
    /// <summary>y = the window maxima; <paramref name="indices"/> (empty, or y's length) receives their positions.</summary>
    public static void Forward(in Pool2DGeometry g, int planes, ReadOnlySpan<float> x, Span<float> y, Span<int> indices)
    {
        Pooling.Check(g, planes, x.Length, "input", g.InputPlane);
        Pooling.Check(g, planes, y.Length, "output", g.OutputPlane);
        if (!indices.IsEmpty) Pooling.Check(g, planes, indices.Length, "indices", g.OutputPlane);
        Pooling.Disjoint(x, y);
        int h = g.InputHeight, w = g.InputWidth, ow = g.OutputWidth, sh = g.StrideHeight, sw = g.StrideWidth;
        var (rowLo, rowHi) = PoolWindows.Inside(g.OutputHeight, h, g.KernelHeight, sh, g.PadTop, g.DilationHeight);
        var (colLo, colHi) = PoolWindows.Inside(ow, w, g.KernelWidth, sw, g.PadLeft, g.DilationWidth);
        int taps = g.KernelHeight * g.KernelWidth;
        Span<int> offsets = stackalloc int[Math.Min(taps, PoolWindows.MaxOffsets)];
        if (taps > PoolWindows.MaxOffsets) rowHi = rowLo; // a huge window: every window takes the clipped loop
        else PoolWindows.Offsets(g, offsets);
        ref float xs = ref MemoryMarshal.GetReference(x);
        for (int p = 0; p < planes; p++)
        {
            int xBase = p * g.InputPlane, yBase = p * g.OutputPlane;
            for (int oy = 0; oy < g.OutputHeight; oy++)
            {
                bool rowInside = oy >= rowLo && oy < rowHi;
                for (int ox = 0; ox < ow; ox++)
                {
                    var (best, at) = rowInside && ox >= colLo && ox < colHi
                        ? Inside(ref xs, xBase + (oy * sh - g.PadTop) * w + ox * sw - g.PadLeft, offsets)
                        : Clipped(g, x, xBase, oy, ox);
                    y[yBase + oy * ow + ox] = best;
                    if (!indices.IsEmpty) indices[yBase + oy * ow + ox] = at;
                }
            }
        }
    }

    /// <summary>A window wholly on the input: every tap at its fixed offset from the first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (float, int) Inside(ref float xs, int first, ReadOnlySpan<int> offsets)
    {
        int at = first;
        float best = Unsafe.Add(ref xs, first);
        for (int r = 1; r < offsets.Length; r++)
        {
            int i = first + offsets[r];
            float v = Unsafe.Add(ref xs, i);
            // Selected by masks, not branches: on real data which tap wins is unpredictable, and a mispredicted
            // branch per tap made this pass several times slower than the average pool.
            bool take = (v > best) | (float.IsNaN(v) & !float.IsNaN(best));
            int mask = -Unsafe.As<bool, byte>(ref take);
            at = (at & ~mask) | (i & mask);
            best = BitConverter.Int32BitsToSingle((BitConverter.SingleToInt32Bits(best) & ~mask) | (BitConverter.SingleToInt32Bits(v) & mask));
        }
        return (best, at);
    }

    /// <summary>A window at an edge: taps in the padding are skipped; none on the input gives (−∞, −1).</summary>
    private static (float, int) Clipped(in Pool2DGeometry g, ReadOnlySpan<float> x, int xBase, int oy, int ox)
    {
        float best = float.NegativeInfinity;
        int at = -1;
        for (int ky = 0; ky < g.KernelHeight; ky++)
        {
            int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
            if ((uint)iy >= (uint)g.InputHeight) continue;
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                if ((uint)ix >= (uint)g.InputWidth) continue;
                int i = xBase + iy * g.InputWidth + ix;
                float v = x[i];
                if (at < 0 || v > best || (float.IsNaN(v) && !float.IsNaN(best)))
                {
                    best = v;
                    at = i;
                }
            }
        }
        return (best, at);
    }

    /// <summary>
    /// dx[indices[i]] += dy[i] over a cleared dx (overwritten): overlapping windows that chose the same input add.
    /// A window that held no input (dilated taps all in the padding) has no index and passes nothing back.
    /// </summary>
    public static void Backward(in Pool2DGeometry g, int planes, ReadOnlySpan<float> dy, ReadOnlySpan<int> indices, Span<float> dx)
    {
        Pooling.Check(g, planes, dy.Length, "output gradient", g.OutputPlane);
        Pooling.Check(g, planes, indices.Length, "indices", g.OutputPlane);
        Pooling.Check(g, planes, dx.Length, "input gradient", g.InputPlane);
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
