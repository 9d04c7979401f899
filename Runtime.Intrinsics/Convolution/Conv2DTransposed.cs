namespace Simd.Runtime.Intrinsics;

/// <summary>
/// The input gradient at stride 1 as a forward convolution, so that it runs on the direct kernel instead of GEMM
/// and col2im: dx = conv(dy, W'), where W'[c, m, ky, kx] = W[m, c, kH−1−ky, kW−1−kx] within each group (output and
/// input channels swapped, the kernel turned by 180°) and dy is padded by dilation·(k−1) less the forward padding on
/// each side, which makes the output exactly H × W. Needs each forward padding ≤ dilation·(k−1).
/// </summary>
internal static unsafe class Conv2DTransposed
{
    /// <summary>The forward geometry of the input gradient, or null where it does not exist (a stride, or too much padding).</summary>
    public static Conv2DGeometry? Of(in Conv2DGeometry g)
    {
        if (g.StrideHeight != 1 || g.StrideWidth != 1) return null;
        int spanH = g.DilationHeight * (g.KernelHeight - 1), spanW = g.DilationWidth * (g.KernelWidth - 1);
        if (g.PadTop > spanH || g.PadBottom > spanH || g.PadLeft > spanW || g.PadRight > spanW) return null;
        return new Conv2DGeometry(g.OutputChannels, g.OutputHeight, g.OutputWidth, g.InputChannels, g.KernelHeight, g.KernelWidth,
            1, 1, spanH - g.PadTop, spanW - g.PadLeft, spanH - g.PadBottom, spanW - g.PadRight,
            g.DilationHeight, g.DilationWidth, g.Groups);
    }

    /// <summary>Whether the direct kernel can run the input gradient of <paramref name="g"/>.</summary>
    public static bool Possible(in Conv2DGeometry g) => Of(g) is Conv2DGeometry t && Conv2D.DirectPossible(t);

    /// <summary>The turned weights, then the direct kernel's zero-bordered copy of dy; or the shifted sums' workspace.</summary>
    public static long WorkspaceLength(in Conv2DGeometry g) => Of(g) is Conv2DGeometry t ? WorkspaceLength(g, t) : 0;

    /// <summary><see cref="WorkspaceLength(in Conv2DGeometry)"/> given the gradient's geometry <paramref name="t"/> (<see cref="Of"/>).</summary>
    public static long WorkspaceLength(in Conv2DGeometry g, in Conv2DGeometry t) =>
        Math.Max(g.WeightLength + Conv2DDirect.ForwardWorkspaceLength(t), Conv2DShiftedData.Possible(g) ? Conv2DShiftedData.WorkspaceLength(g) : 0);

    /// <summary>The input gradient by the form <see cref="Conv2DShiftedData.Preferred"/> picks at <paramref name="width"/>.</summary>
    public static void BackwardData(SimdWidth width, in Conv2DGeometry g, int batch, float* dy, float* w, float* dx, float* workspace) =>
        BackwardData(width, g, batch, dy, w, dx, workspace, Conv2DShiftedData.Preferred(g, Of(g)!.Value, VectorWidth.Lanes(width)));

    /// <summary>The input gradient by shifted sums (which need <see cref="Conv2DShiftedData.Possible"/>) or by the turned kernel.</summary>
    public static void BackwardData(SimdWidth width, in Conv2DGeometry g, int batch, float* dy, float* w, float* dx, float* workspace, bool shifted)
    {
        if (shifted)
        {
            if (!Conv2DShiftedData.Possible(g)) throw new ArgumentException($"Conv2D: the shifted input gradient does not apply to {g}.");
            Conv2DShiftedData.BackwardData(width, g, batch, dy, w, dx, workspace);
            return;
        }
        var t = Of(g)!.Value;
        int cout = g.OutputChannelsPerGroup, cin = g.InputChannelsPerGroup, kh = g.KernelHeight, kw = g.KernelWidth, taps = kh * kw;
        float* turned = workspace;
        for (int group = 0; group < g.Groups; group++)
            for (int m = 0; m < cout; m++)
                for (int c = 0; c < cin; c++)
                {
                    float* from = w + ((long)(group * cout + m) * cin + c) * taps;
                    float* to = turned + ((long)(group * cin + c) * cout + m) * taps;
                    for (int i = 0; i < taps; i++) to[i] = from[taps - 1 - i];
                }
        Conv2DDirect.Forward(width, t, batch, dy, turned, null, dx, workspace + g.WeightLength, ActivationKind.Identity, 0);
    }
}
