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
        int h = g.InputHeight, w = g.InputWidth, ow = g.OutputWidth;
        for (int p = 0; p < planes; p++)
        {
            int xBase = p * g.InputPlane, yBase = p * g.OutputPlane;
            for (int oy = 0; oy < g.OutputHeight; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    float best = float.NegativeInfinity;
                    int at = -1;
                    for (int ky = 0; ky < g.KernelHeight; ky++)
                    {
                        int iy = oy * g.StrideHeight - g.PadTop + ky * g.DilationHeight;
                        if ((uint)iy >= (uint)h) continue;
                        for (int kx = 0; kx < g.KernelWidth; kx++)
                        {
                            int ix = ox * g.StrideWidth - g.PadLeft + kx * g.DilationWidth;
                            if ((uint)ix >= (uint)w) continue;
                            int i = xBase + iy * w + ix;
                            float v = x[i];
                            // Non-short-circuit and selects: on real data which tap wins is unpredictable, and a
                            // mispredicted branch per tap made this pass 6× slower than the average pool.
                            bool take = (at < 0) | (v > best) | (float.IsNaN(v) & !float.IsNaN(best));
                            best = take ? v : best;
                            at = take ? i : at;
                        }
                    }
                    y[yBase + oy * ow + ox] = best;
                    if (!indices.IsEmpty) indices[yBase + oy * ow + ox] = at;
                }
        }
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
