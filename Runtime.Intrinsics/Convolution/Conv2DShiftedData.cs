using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The input gradient at stride 1 by shifted sums, for narrow planes where the turned-kernel form
/// (<see cref="Conv2DTransposed"/>) spends most of its multiplications on dy's zero border: for every tap column kx and
/// input channel c, the plane Z(kx, c)[iy, ox] = Σ over m, ky of W[m, c, ky, kx] · dy[m, iy + padTop − ky·dilation, ox]
/// (dy zero outside its rows) is one flat correlation over dy with its rows as they are (the same row width as Z, so
/// nothing is copied but a zero band above and below each plane), and dx[c, iy, ix] is the sum over kx of
/// Z(kx, c)[iy, ix + padLeft − kx·dilation]. LeNet's second layer: 30 planes × 80 taps × 9 vectors of 16 instead of
/// 6 channels × 400 taps × 14 rows.
/// </summary>
internal static unsafe class Conv2DShiftedData
{
    /// <summary>Rows of zeros above and below each dy plane: the kernel's reach (kH − 1)·dilation.</summary>
    private static int Reach(in Conv2DGeometry g) => (g.KernelHeight - 1) * g.DilationHeight;

    /// <summary>Floats of one zero-banded dy plane.</summary>
    private static long BandedPlane(in Conv2DGeometry g) => (long)(g.OutputHeight + 2 * Reach(g)) * g.OutputWidth;

    /// <summary>Floats of one Z plane: the input's rows at the output's width.</summary>
    private static long ShiftedPlane(in Conv2DGeometry g) => (long)g.InputHeight * g.OutputWidth;

    /// <summary>Rearranged weights, the banded dy of a group (and a vector of slack), and the kW·C planes Z.</summary>
    public static long WorkspaceLength(in Conv2DGeometry g) =>
        (long)g.WeightLength / g.Groups + g.OutputChannelsPerGroup * BandedPlane(g) + 16 +
        (long)g.KernelWidth * g.InputChannelsPerGroup * ShiftedPlane(g);

    /// <summary>Stride 1, at most <see cref="Conv2D.DirectMaxTaps"/> taps (M·kH) per plane, and a workspace within a panel.</summary>
    public static bool Possible(in Conv2DGeometry g) =>
        g.StrideHeight == 1 && g.StrideWidth == 1 && g.OutputChannelsPerGroup * g.KernelHeight <= Conv2D.DirectMaxTaps &&
        WorkspaceLength(g) <= Conv2D.MaxPanelElements;

    /// <summary>
    /// Whether the shifted sums beat the turned kernel at <paramref name="lanes"/>, counted in vector multiply-adds:
    /// kW·C planes of M·kH taps over ⌈H·outW / lanes⌉ vectors, against the turned kernel's C outputs of M·kH·kW taps
    /// over its own layout's vectors; the shifted form must save a fifth to pay for its sums over kx.
    /// </summary>
    public static bool Preferred(in Conv2DGeometry g, in Conv2DGeometry turned, int lanes)
    {
        if (!Possible(g)) return false;
        long shifted = (long)g.KernelWidth * g.InputChannelsPerGroup * g.OutputChannelsPerGroup * g.KernelHeight *
            ((ShiftedPlane(g) + lanes - 1) / lanes);
        long vectors = Conv2DDirect.Flat(turned, lanes)
            ? (turned.OutputPlane + lanes - 1) / lanes
            : (long)turned.OutputHeight * ((turned.OutputWidth + lanes - 1) / lanes);
        long direct = (long)turned.OutputChannelsPerGroup * turned.ColumnRows * vectors;
        return 5 * shifted <= 4 * direct;
    }

    public static void BackwardData(SimdWidth width, in Conv2DGeometry g, int batch, float* dy, float* w, float* dx, float* workspace)
    {
        int cin = g.InputChannelsPerGroup, cout = g.OutputChannelsPerGroup, kh = g.KernelHeight, kw = g.KernelWidth;
        int ow = g.OutputWidth, oh = g.OutputHeight, reach = Reach(g), taps = cout * kh;
        long banded = BandedPlane(g), zPlane = ShiftedPlane(g), groupWeights = (long)cout * cin * kh * kw;
        float* weights = workspace, band = weights + groupWeights, z = band + cout * banded + 16;
        // Tap (m, ky) of plane row iy reads banded row iy + padTop + reach − ky·dilation: the offset of row 0.
        Span<int> offsets = stackalloc int[taps]; // taps ≤ Conv2D.DirectMaxTaps
        for (int m = 0, r = 0; m < cout; m++)
            for (int ky = 0; ky < kh; ky++, r++)
                offsets[r] = (int)(m * banded + (long)(g.PadTop + reach - ky * g.DilationHeight) * ow);
        fixed (int* o = offsets)
            for (int group = 0; group < g.Groups; group++)
            {
                // W'[(kx, c), (m, ky)] = W[m, c, ky, kx]: plane (kx, c)'s weights, in its taps' order.
                float* wg = w + group * groupWeights;
                for (int kx = 0; kx < kw; kx++)
                    for (int c = 0; c < cin; c++)
                        for (int m = 0; m < cout; m++)
                            for (int ky = 0; ky < kh; ky++)
                                weights[((long)(kx * cin + c) * cout + m) * kh + ky] = wg[(((long)m * cin + c) * kh + ky) * kw + kx];
                for (int n = 0; n < batch; n++)
                {
                    float* dyg = dy + (long)n * g.OutputLength + (long)group * cout * g.OutputPlane;
                    for (int m = 0; m < cout; m++)
                    {
                        float* plane = band + m * banded;
                        // The bands are the same for every sample: cleared with the call's first copy.
                        if (n == 0 && group == 0)
                        {
                            Conv2DRuns.Clear(plane, reach * ow);
                            Conv2DRuns.Clear(plane + (long)(reach + oh) * ow, reach * ow);
                        }
                        Conv2DRuns.Copy(dyg + (long)m * g.OutputPlane, plane + (long)reach * ow, g.OutputPlane);
                    }
                    if (n == 0 && group == 0) Conv2DRuns.Clear(band + cout * banded, 16);
                    Conv2DDirect.Correlate(width, band, o, taps, weights, null, kw * cin, (int)zPlane, z, relu: false);
                    SumShifted(g, z, dx + (long)n * g.InputLength + (long)group * cin * g.InputPlane);
                }
            }
    }

    /// <summary>dx[c, iy, ix] = Σ over kx of Z(kx, c)[iy, ix + padLeft − kx·dilation], where that column is inside Z.</summary>
    private static void SumShifted(in Conv2DGeometry g, float* z, float* dx)
    {
        int cin = g.InputChannelsPerGroup, h = g.InputHeight, iw = g.InputWidth, ow = g.OutputWidth;
        long zPlane = ShiftedPlane(g);
        if (Avx512F.IsSupported && iw <= 16 && ow <= 16 && g.KernelWidth <= 16)
        {
            SumShiftedNarrow(g, z, dx);
            return;
        }
        for (int c = 0; c < cin; c++)
            for (int iy = 0; iy < h; iy++)
            {
                float* row = dx + ((long)c * h + iy) * iw;
                Conv2DRuns.Clear(row, iw);
                for (int kx = 0; kx < g.KernelWidth; kx++)
                {
                    // Z's column ox lands on input column ox + shift, inside the input for ox in [first, end).
                    var (shift, first, end) = Conv2DDirect.ShiftedColumns(g, kx);
                    if (end > first)
                        Conv2DRuns.Add(z + (kx * cin + c) * zPlane + (long)iy * ow + first, row + first + shift, end - first);
                }
            }
    }

    /// <summary>
    /// <see cref="SumShifted"/> for rows of at most 16 floats with AVX-512: a row of dx is one register, each kx's Z row
    /// a masked load moved to its columns by a lane permute; the same additions in the same order (from +0, kx rising).
    /// </summary>
    private static void SumShiftedNarrow(in Conv2DGeometry g, float* z, float* dx)
    {
        int cin = g.InputChannelsPerGroup, h = g.InputHeight, iw = g.InputWidth, ow = g.OutputWidth, kw = g.KernelWidth;
        long zPlane = ShiftedPlane(g);
        var indices = Vector512<int>.Indices;
        var rowMask = Vector512.LessThan(indices, Vector512.Create(iw)).AsSingle();
        var zMask = Vector512.LessThan(indices, Vector512.Create(ow)).AsSingle();
        // Per kx, worked out once: the lane permute to its columns and the columns it reaches (kW ≤ 16 here).
        var moves = stackalloc Vector512<int>[kw];
        var reaches = stackalloc Vector512<float>[kw];
        for (int kx = 0; kx < kw; kx++)
        {
            var (shift, first, end) = Conv2DDirect.ShiftedColumns(g, kx);
            moves[kx] = indices - Vector512.Create(shift);
            reaches[kx] = (Vector512.GreaterThanOrEqual(indices, Vector512.Create(first + shift)) & Vector512.LessThan(indices, Vector512.Create(end + shift))).AsSingle();
        }
        for (int c = 0; c < cin; c++)
            for (int iy = 0; iy < h; iy++)
            {
                var sum = Vector512<float>.Zero;
                float* zRow = z + c * zPlane + (long)iy * ow;
                for (int kx = 0; kx < kw; kx++, zRow += cin * zPlane)
                {
                    var moved = Avx512F.PermuteVar16x32(Avx512F.MaskLoad(zRow, zMask, Vector512<float>.Zero), moves[kx]);
                    sum += Vector512.ConditionalSelect(reaches[kx], moved, Vector512<float>.Zero);
                }
                Avx512F.MaskStore(dx + ((long)c * h + iy) * iw, rowMask, sum);
            }
    }
}
