namespace Simd.Runtime.Intrinsics;

/// <summary>
/// 3-D transposed convolution over NCDHW through GEMM, as 2-D's runs through Conv2D's columns: per sample and group,
/// the columns [M/g·kD·kH·kW, D·H·W] = W_gᵀ·X_g (one product), scattered into the output (col2im: each column row is
/// one output channel and tap, each of its values lands at in·stride − padBegin + k·dilation, or nowhere); backward
/// gathers dY into the same columns (im2col), then dX_g = W_g·columns and dW_g += X_g·columnsᵀ. The products are
/// <see cref="Gemm"/>'s at the caller's width and thread count; the scatter and gather are plain loops, the same at
/// every width. The workspace holds one sample's columns of one group (<see cref="ConvTranspose3DGeometry.WorkspaceLength"/>).
/// </summary>
public static class ConvTranspose3D
{
    /// <summary>y = convTranspose(x, w) + bias (bias empty: none); y is overwritten.</summary>
    public static void Forward(in ConvTranspose3DGeometry g, int rows, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias,
        Span<float> y, Span<float> workspace, int threads = 1) =>
        Forward(Isa.Width, g, rows, x, w, bias, y, workspace, threads);

    internal static void Forward(SimdWidth width, in ConvTranspose3DGeometry g, int rows, ReadOnlySpan<float> x, ReadOnlySpan<float> w,
        ReadOnlySpan<float> bias, Span<float> y, Span<float> workspace, int threads = 1)
    {
        Check(g, rows, x.Length, w.Length, y.Length, workspace.Length);
        if (!bias.IsEmpty && bias.Length != g.OutputChannels)
            throw new ArgumentException($"ConvTranspose3D: the bias has {bias.Length} values; expected one per output channel ({g.OutputChannels}).");
        int cg = g.ChannelsPerGroup, mg = g.OutputsPerGroup, columnRows = g.ColumnRows, input = g.InputVolume, output = g.OutputVolume;
        Span<float> columns = workspace[..g.WorkspaceLength];
        for (int n = 0; n < rows; n++)
            for (int group = 0; group < g.Groups; group++)
            {
                Gemm.Multiply(width, MatrixOp.Transpose, MatrixOp.None, columnRows, input, cg,
                    1f, w.Slice(group * cg * columnRows, cg * columnRows), columnRows, x.Slice((n * g.Channels + group * cg) * input, cg * input), input,
                    0f, columns, input, threads: threads);
                Span<float> yg = y.Slice((n * g.OutputChannels + group * mg) * output, mg * output);
                for (int m = 0; m < mg; m++) yg.Slice(m * output, output).Fill(bias.IsEmpty ? 0f : bias[group * mg + m]);
                Scatter(g, columns, yg);
            }
    }

    /// <summary>
    /// The gradients: dw (overwritten) always, db (overwritten; empty: none) the sums of dy per output channel, dx
    /// (overwritten; empty: not asked for) the convolution of dy with the same window.
    /// </summary>
    public static void Backward(in ConvTranspose3DGeometry g, int rows, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dw, Span<float> db, Span<float> workspace, int threads = 1) =>
        Backward(Isa.Width, g, rows, x, w, dy, dx, dw, db, workspace, threads);

    internal static void Backward(SimdWidth width, in ConvTranspose3DGeometry g, int rows, ReadOnlySpan<float> x, ReadOnlySpan<float> w,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dw, Span<float> db, Span<float> workspace, int threads = 1)
    {
        Check(g, rows, x.Length, w.Length, dy.Length, workspace.Length);
        if (dw.Length != g.WeightLength) throw new ArgumentException($"ConvTranspose3D: the weight gradient has {dw.Length} elements; expected {g.WeightLength}.");
        if (!dx.IsEmpty && dx.Length != x.Length) throw new ArgumentException($"ConvTranspose3D: the input gradient has {dx.Length} elements; expected {x.Length}.");
        if (!db.IsEmpty && db.Length != g.OutputChannels) throw new ArgumentException($"ConvTranspose3D: the bias gradient has {db.Length} elements; expected {g.OutputChannels}.");
        int cg = g.ChannelsPerGroup, mg = g.OutputsPerGroup, columnRows = g.ColumnRows, input = g.InputVolume, output = g.OutputVolume;
        Span<float> columns = workspace[..g.WorkspaceLength];
        if (!db.IsEmpty)
        {
            db.Clear();
            for (int n = 0; n < rows; n++)
                for (int m = 0; m < g.OutputChannels; m++) db[m] += Reductions.Sum(dy.Slice((n * g.OutputChannels + m) * output, output), width);
        }
        if (rows == 0) dw.Clear();
        for (int n = 0; n < rows; n++)
            for (int group = 0; group < g.Groups; group++)
            {
                Gather(g, dy.Slice((n * g.OutputChannels + group * mg) * output, mg * output), columns);
                int xAt = (n * g.Channels + group * cg) * input;
                Span<float> dwg = dw.Slice(group * cg * columnRows, cg * columnRows);
                Gemm.Multiply(width, MatrixOp.None, MatrixOp.Transpose, cg, columnRows, input,
                    1f, x.Slice(xAt, cg * input), input, columns, input, n == 0 ? 0f : 1f, dwg, columnRows, threads: threads);
                if (!dx.IsEmpty)
                    Gemm.Multiply(width, MatrixOp.None, MatrixOp.None, cg, input, columnRows,
                        1f, w.Slice(group * cg * columnRows, cg * columnRows), columnRows, columns, input, 0f, dx.Slice(xAt, cg * input), input, threads: threads);
            }
    }

    private static void Check(in ConvTranspose3DGeometry g, int rows, int x, int w, int y, int workspace)
    {
        if (rows < 0) throw new ArgumentException($"ConvTranspose3D: the batch must not be negative; got {rows}.");
        if (x != (long)rows * g.Channels * g.InputVolume)
            throw new ArgumentException($"ConvTranspose3D: the input has {x} elements; expected {rows}·{g.Channels * g.InputVolume} for {g}.");
        if (w != g.WeightLength) throw new ArgumentException($"ConvTranspose3D: the weights have {w} elements; expected {g.WeightLength} for {g}.");
        if (y != (long)rows * g.OutputChannels * g.OutputVolume)
            throw new ArgumentException($"ConvTranspose3D: the output has {y} elements; expected {rows}·{g.OutputChannels * g.OutputVolume} for {g}.");
        if (workspace < g.WorkspaceLength) throw new ArgumentException($"ConvTranspose3D: the workspace has {workspace} floats; expected at least {g.WorkspaceLength}.");
    }

    /// <summary>[lo, hi) of the inputs i along an axis whose output i·stride − padBegin + k·dilation lies in [0, output).</summary>
    private static (int Lo, int Hi) Reach(WindowAxis axis, int k, int input, int output)
    {
        int shift = k * axis.Dilation - axis.PadBegin, lo = 0, hi = input;
        while (lo < hi && lo * axis.Stride + shift < 0) lo++;
        while (hi > lo && (hi - 1) * axis.Stride + shift >= output) hi--;
        return (lo, hi);
    }

    /// <summary>col2im: y[m, i·s − p + k·d] += columns[m·taps + tap, i] for every tap and input position that lands on y.</summary>
    private static void Scatter(in ConvTranspose3DGeometry g, ReadOnlySpan<float> columns, Span<float> y)
    {
        var (d, h, w) = (g.Depth, g.Height, g.Width);
        int inH = g.InputHeight, inW = g.InputWidth, outH = g.OutputHeight, outW = g.OutputWidth, input = g.InputVolume, output = g.OutputVolume;
        for (int m = 0, row = 0; m < g.OutputsPerGroup; m++)
            for (int kd = 0; kd < d.Kernel; kd++)
            {
                var (d0, d1) = Reach(d, kd, g.InputDepth, g.OutputDepth);
                for (int kh = 0; kh < h.Kernel; kh++)
                {
                    var (h0, h1) = Reach(h, kh, inH, outH);
                    for (int kw = 0; kw < w.Kernel; kw++, row++)
                    {
                        var (w0, w1) = Reach(w, kw, inW, outW);
                        ReadOnlySpan<float> source = columns.Slice(row * input, input);
                        for (int id = d0; id < d1; id++)
                        {
                            int od = id * d.Stride - d.PadBegin + kd * d.Dilation;
                            for (int ih = h0; ih < h1; ih++)
                            {
                                int oh = ih * h.Stride - h.PadBegin + kh * h.Dilation;
                                int from = (id * inH + ih) * inW, to = m * output + (od * outH + oh) * outW - w.PadBegin + kw * w.Dilation;
                                for (int iw = w0; iw < w1; iw++) y[to + iw * w.Stride] += source[from + iw];
                            }
                        }
                    }
                }
            }
    }

    /// <summary>im2col: columns[m·taps + tap, i] = dy[m, i·s − p + k·d], or 0 where that lies off dy.</summary>
    private static void Gather(in ConvTranspose3DGeometry g, ReadOnlySpan<float> dy, Span<float> columns)
    {
        var (d, h, w) = (g.Depth, g.Height, g.Width);
        int inH = g.InputHeight, inW = g.InputWidth, outH = g.OutputHeight, outW = g.OutputWidth, input = g.InputVolume, output = g.OutputVolume;
        for (int m = 0, row = 0; m < g.OutputsPerGroup; m++)
            for (int kd = 0; kd < d.Kernel; kd++)
            {
                var (d0, d1) = Reach(d, kd, g.InputDepth, g.OutputDepth);
                for (int kh = 0; kh < h.Kernel; kh++)
                {
                    var (h0, h1) = Reach(h, kh, inH, outH);
                    for (int kw = 0; kw < w.Kernel; kw++, row++)
                    {
                        var (w0, w1) = Reach(w, kw, inW, outW);
                        Span<float> target = columns.Slice(row * input, input);
                        if (d1 - d0 < g.InputDepth || h1 - h0 < inH || w1 - w0 < inW) target.Clear();
                        for (int id = d0; id < d1; id++)
                        {
                            int od = id * d.Stride - d.PadBegin + kd * d.Dilation;
                            for (int ih = h0; ih < h1; ih++)
                            {
                                int oh = ih * h.Stride - h.PadBegin + kh * h.Dilation;
                                int to = (id * inH + ih) * inW, from = m * output + (od * outH + oh) * outW - w.PadBegin + kw * w.Dilation;
                                for (int iw = w0; iw < w1; iw++) target[to + iw] = dy[from + iw * w.Stride];
                            }
                        }
                    }
                }
            }
    }
}
