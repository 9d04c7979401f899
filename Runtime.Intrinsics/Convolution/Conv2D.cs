namespace Simd.Runtime.Intrinsics;

/// <summary>
/// 2-D convolution over NCHW float32 tensors (ONNX <c>Conv</c>, PyTorch <c>conv2d</c>): forward with a fused bias
/// and activation, and the three gradients. Samples follow one another: x is [batch × <see cref="Conv2DGeometry.InputLength"/>],
/// y and dy are [batch × <see cref="Conv2DGeometry.OutputLength"/>], weights [<see cref="Conv2DGeometry.WeightLength"/>].
/// Nothing is allocated: every method takes a workspace of at least <see cref="WorkspaceLength"/> floats, whose
/// contents on entry do not matter and on return are undefined.
/// </summary>
/// <remarks>
/// At stride width 1 the forward pass runs on a direct kernel of register tiles (<see cref="Conv2DDirect"/>) where its
/// tile fills, the weight gradient on a direct correlation (<see cref="Conv2DDirectWeights"/>) and, at stride 1, the
/// input gradient on the direct kernel as a forward convolution of dy (<see cref="Conv2DTransposed"/>); the rest goes
/// through GEMM over panels of the column matrix (<see cref="Conv2DPanel"/>, at most <see cref="MaxPanelElements"/>
/// floats, or 16 columns of it). <see cref="Choose(in Conv2DGeometry)"/> says which the forward pass takes, and the
/// README gives the measurements behind the rules. <c>threads</c> goes to GEMM; the direct kernels run on the caller.
/// </remarks>
public static unsafe class Conv2D
{
    /// <summary>Upper bound on a column-matrix panel (floats): 512 KiB, about what a core's L2 holds beside GEMM's packing.</summary>
    public const int MaxPanelElements = 1 << 17;

    /// <summary>The most weights per output channel the direct kernel takes (its tap offsets live on the stack).</summary>
    internal const int DirectMaxTaps = 1024;

    /// <summary>The direct kernel is chosen for any row when a group has fewer output channels than this (GEMM's tile has 8 rows at 512 bits).</summary>
    internal const int DirectFewOutputChannels = 8;

    /// <summary>Floats of workspace every method here needs for <paramref name="geometry"/>, whatever the batch.</summary>
    public static int WorkspaceLength(in Conv2DGeometry geometry)
    {
        long columns = Conv2DPanel.For(geometry).WorkspaceLength;
        long direct = DirectPossible(geometry) ? Conv2DDirect.ForwardWorkspaceLength(geometry) : 0;
        long weights = Conv2DDirectWeights.Possible(geometry) ? Conv2DDirectWeights.WorkspaceLengthOfEither(geometry) : 0;
        long data = Conv2DTransposed.Of(geometry) is Conv2DGeometry t && DirectPossible(t) ? Conv2DTransposed.WorkspaceLength(geometry, t) : 0;
        long length = Math.Max(Math.Max(columns, data), Math.Max(direct, weights));
        if (length > int.MaxValue)
            throw new ArgumentException($"Conv2D: the workspace for {geometry} would need {length} floats, more than a span holds.");
        return (int)length;
    }

    /// <summary>The algorithm <see cref="Forward(in Conv2DGeometry, int, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float}, ActivationKind, float, int)"/> uses at <see cref="Isa.Width"/>.</summary>
    public static Conv2DAlgorithm Choose(in Conv2DGeometry geometry) => Choose(Isa.Width, geometry);

    internal static Conv2DAlgorithm Choose(SimdWidth width, in Conv2DGeometry g) =>
        width == SimdWidth.Scalar ? Conv2DAlgorithm.Reference :
        DirectApplies(width, g) ? Conv2DAlgorithm.Direct : Conv2DAlgorithm.Columns;

    /// <summary>
    /// Where the direct kernel can run, it is chosen when a group has fewer than 8 output channels, or when its tile
    /// fills: an output row uses more than half the lanes of its vectors, and (below 512 bits, where a tile holds one
    /// output row) spans two vectors or more. See the README for the measurements.
    /// </summary>
    internal static bool DirectApplies(SimdWidth width, in Conv2DGeometry g)
    {
        if (width == SimdWidth.Scalar || !DirectPossible(g)) return false;
        if (g.OutputChannelsPerGroup < DirectFewOutputChannels) return true;
        int lanes = VectorWidth.Lanes(width);
        int vectors = (g.OutputWidth + lanes - 1) / lanes;
        return 2 * g.OutputWidth > vectors * lanes && (width == SimdWidth.V512 || vectors >= 2);
    }

    /// <summary>
    /// Whether the direct kernel can run <paramref name="g"/> (its workspace is then planned): stride width 1, at most
    /// <see cref="DirectMaxTaps"/> weights per output channel, and a zero-bordered copy within <see cref="MaxPanelElements"/>.
    /// </summary>
    internal static bool DirectPossible(in Conv2DGeometry g) =>
        g.StrideWidth == 1 && g.ColumnRows <= DirectMaxTaps && Conv2DDirect.WorkspaceLength(g) <= MaxPanelElements;

    /// <summary>
    /// y = activation(conv(x, weights) + bias) for <paramref name="batch"/> samples. <paramref name="bias"/> is empty
    /// or has one value per output channel; <paramref name="activationAlpha"/> NaN means the activation's default.
    /// </summary>
    public static void Forward(in Conv2DGeometry geometry, int batch, ReadOnlySpan<float> x, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> y, Span<float> workspace,
        ActivationKind activation = ActivationKind.Identity, float activationAlpha = float.NaN, int threads = 1) =>
        Forward(Isa.Width, Choose(Isa.Width, geometry), geometry, batch, x, weights, bias, y, workspace, activation, activationAlpha, threads);

    internal static void Forward(SimdWidth width, Conv2DAlgorithm algorithm, in Conv2DGeometry g, int batch,
        ReadOnlySpan<float> x, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y, Span<float> workspace,
        ActivationKind activation, float activationAlpha, int threads)
    {
        CheckBatch(batch);
        Length("input", x.Length, (long)batch * g.InputLength, "batch·C·H·W");
        Length("weights", weights.Length, g.WeightLength, "M·C/groups·kH·kW");
        if (!bias.IsEmpty) Length("bias", bias.Length, g.OutputChannels, "output channels");
        Length("output", y.Length, (long)batch * g.OutputLength, "batch·M·outH·outW");
        Workspace(workspace, g);
        Disjoint(x, y, "input", "output");
        Disjoint(workspace, x, "input", "workspace");
        Disjoint(workspace, weights, "weights", "workspace");
        Disjoint(workspace, y, "output", "workspace");
        float alpha = float.IsNaN(activationAlpha) ? Activations.DefaultAlpha(activation) : activationAlpha;
        if (batch == 0) return;
        switch (algorithm)
        {
            case Conv2DAlgorithm.Reference:
                Conv2DScalar.Forward(g, batch, x, weights, bias, y);
                if (activation != ActivationKind.Identity) Activations.Forward(activation, y, y, alpha, width);
                return;
            case Conv2DAlgorithm.Direct:
                if (width == SimdWidth.Scalar || !DirectPossible(g)) throw new ArgumentException($"Conv2D: the direct kernel does not apply to {g}.");
                fixed (float* px = x, pw = weights, pb = bias, py = y, pws = workspace)
                    Conv2DDirect.Forward(width, g, batch, px, pw, bias.IsEmpty ? null : pb, py, pws, activation, alpha);
                return;
            default:
                ForwardColumns(width, g, batch, x, weights, bias, y, workspace, activation, alpha, threads);
                return;
        }
    }

    private static void ForwardColumns(SimdWidth width, in Conv2DGeometry g, int batch, ReadOnlySpan<float> x,
        ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, Span<float> y, Span<float> workspace,
        ActivationKind activation, float alpha, int threads)
    {
        int cin = g.InputChannelsPerGroup, cout = g.OutputChannelsPerGroup, k = g.ColumnRows, plane = g.OutputPlane;
        var panel = Conv2DPanel.For(g);
        float beta = bias.IsEmpty ? 0 : 1;
        var epilogue = new GemmEpilogue(default, activation, alpha);
        fixed (float* px = x, py = y, pws = workspace, pb = bias)
            for (int group = 0; group < g.Groups; group++)
            {
                var wg = weights.Slice(group * cout * k, cout * k);
                float* bg = bias.IsEmpty ? null : pb + group * cout;
                if (panel.Samples > 1)
                {
                    // Whole samples side by side: one product over all their columns, into the workspace's product
                    // block, then bias and activation on the way to each sample's planes.
                    float* product = pws + panel.ColumnLength;
                    for (int n0 = 0; n0 < batch; n0 += panel.Samples)
                    {
                        int samples = Math.Min(panel.Samples, batch - n0), count = samples * plane;
                        Conv2DColumns.Gather(g, px + (long)n0 * g.InputLength + group * cin * g.InputPlane, 0, count, pws);
                        Gemm.Multiply(width, MatrixOp.None, MatrixOp.None, cout, count, k, 1, wg, k,
                            workspace.Slice(0, k * count), count, 0, new Span<float>(product, cout * count), count, default, threads);
                        Conv2DPanel.Unpack(product, count, py + (long)n0 * g.OutputLength + group * cout * plane,
                            g.OutputLength, plane, cout, samples, bg, activation, alpha, width);
                    }
                    continue;
                }
                for (int n = 0; n < batch; n++)
                {
                    int xOffset = n * g.InputLength + group * cin * g.InputPlane;
                    int yOffset = n * g.OutputLength + group * cout * plane;
                    var yg = y.Slice(yOffset, cout * plane);
                    // The bias goes in first and GEMM adds onto it (beta = 1): its own bias is per column, ours per row.
                    if (!bias.IsEmpty)
                        for (int m = 0; m < cout; m++) yg.Slice(m * plane, plane).Fill(bias[group * cout + m]);
                    if (g.IsPointwise)
                    {
                        Gemm.Multiply(width, MatrixOp.None, MatrixOp.None, cout, plane, k, 1, wg, k,
                            x.Slice(xOffset, cin * plane), plane, beta, yg, plane, epilogue, threads);
                        continue;
                    }
                    for (int p0 = 0; p0 < plane; p0 += panel.Columns)
                    {
                        int count = Math.Min(panel.Columns, plane - p0);
                        Conv2DColumns.Gather(g, px + xOffset, p0, count, pws);
                        Gemm.Multiply(width, MatrixOp.None, MatrixOp.None, cout, count, k, 1, wg, k,
                            workspace.Slice(0, k * count), count, beta, yg.Slice(p0), plane, epilogue, threads);
                    }
                }
            }
    }

    /// <summary>
    /// dx = the input gradient of the convolution given the output gradient <paramref name="dy"/> (before the
    /// activation's backward, which the caller applies). <paramref name="dx"/> is overwritten.
    /// </summary>
    public static void BackwardData(in Conv2DGeometry geometry, int batch, ReadOnlySpan<float> dy, ReadOnlySpan<float> weights,
        Span<float> dx, Span<float> workspace, int threads = 1) =>
        BackwardData(Isa.Width, geometry, batch, dy, weights, dx, workspace, threads);

    internal static void BackwardData(SimdWidth width, in Conv2DGeometry g, int batch, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> weights, Span<float> dx, Span<float> workspace, int threads) =>
        BackwardData(width, ChooseData(width, g), g, batch, dy, weights, dx, workspace, threads);

    /// <summary>
    /// The algorithm of the input gradient at <paramref name="width"/>: the direct kernel where the gradient's own
    /// forward convolution (<see cref="Conv2DTransposed"/>) would choose it, else GEMM and col2im. Below 512 bits, where
    /// a tile holds 8 sums, the gradient's forward must also have 8 output channels a group (the forward's input
    /// channels) to fill them, unless GEMM's depth (the forward's output channels a group) is under 8 as well.
    /// </summary>
    internal static Conv2DAlgorithm ChooseData(SimdWidth width, in Conv2DGeometry g) =>
        width == SimdWidth.Scalar ? Conv2DAlgorithm.Reference :
        Conv2DTransposed.Of(g) is Conv2DGeometry t && DirectApplies(width, t) &&
            (width == SimdWidth.V512 || t.OutputChannelsPerGroup >= DirectFewOutputChannels || g.OutputChannelsPerGroup < DirectFewOutputChannels)
            ? Conv2DAlgorithm.Direct : Conv2DAlgorithm.Columns;

    internal static void BackwardData(SimdWidth width, Conv2DAlgorithm algorithm, in Conv2DGeometry g, int batch, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> weights, Span<float> dx, Span<float> workspace, int threads)
    {
        CheckBatch(batch);
        Length("output gradient", dy.Length, (long)batch * g.OutputLength, "batch·M·outH·outW");
        Length("weights", weights.Length, g.WeightLength, "M·C/groups·kH·kW");
        Length("input gradient", dx.Length, (long)batch * g.InputLength, "batch·C·H·W");
        Workspace(workspace, g);
        Disjoint(dy, dx, "output gradient", "input gradient");
        Disjoint(workspace, dy, "output gradient", "workspace");
        Disjoint(workspace, weights, "weights", "workspace");
        Disjoint(workspace, dx, "input gradient", "workspace");
        if (width == SimdWidth.Scalar || algorithm == Conv2DAlgorithm.Reference)
        {
            Conv2DScalar.BackwardData(g, batch, dy, weights, dx);
            return;
        }
        if (algorithm == Conv2DAlgorithm.Direct)
        {
            if (!Conv2DTransposed.Possible(g)) throw new ArgumentException($"Conv2D: the direct input gradient does not apply to {g}.");
            if (batch > 0)
                fixed (float* pdy = dy, pw = weights, pdx = dx, pws = workspace)
                    Conv2DTransposed.BackwardData(width, g, batch, pdy, pw, pdx, pws);
            return;
        }
        int cin = g.InputChannelsPerGroup, cout = g.OutputChannelsPerGroup, k = g.ColumnRows, plane = g.OutputPlane;
        var panel = Conv2DPanel.For(g);
        if (!g.IsPointwise) dx.Clear();
        fixed (float* pdx = dx, pdy = dy, pws = workspace)
            for (int group = 0; group < g.Groups; group++)
            {
                var wg = weights.Slice(group * cout * k, cout * k);
                if (panel.Samples > 1)
                {
                    float* gradients = pws + panel.ColumnLength;
                    for (int n0 = 0; n0 < batch; n0 += panel.Samples)
                    {
                        int samples = Math.Min(panel.Samples, batch - n0), count = samples * plane;
                        Conv2DPanel.Pack(pdy + (long)n0 * g.OutputLength + group * cout * plane, g.OutputLength, plane, cout, samples, gradients, count);
                        Gemm.Multiply(width, MatrixOp.Transpose, MatrixOp.None, k, count, cout, 1, wg, k,
                            new ReadOnlySpan<float>(gradients, cout * count), count, 0, workspace.Slice(0, k * count), count, default, threads);
                        Conv2DColumns.ScatterAdd(g, pws, 0, count, pdx + (long)n0 * g.InputLength + group * cin * g.InputPlane);
                    }
                    continue;
                }
                for (int n = 0; n < batch; n++)
                {
                    int xOffset = n * g.InputLength + group * cin * g.InputPlane;
                    var dyg = dy.Slice(n * g.OutputLength + group * cout * plane, cout * plane);
                    if (g.IsPointwise)
                    {
                        Gemm.Multiply(width, MatrixOp.Transpose, MatrixOp.None, cin, plane, cout, 1, wg, k, dyg, plane,
                            0, dx.Slice(xOffset, cin * plane), plane, default, threads);
                        continue;
                    }
                    for (int p0 = 0; p0 < plane; p0 += panel.Columns)
                    {
                        int count = Math.Min(panel.Columns, plane - p0);
                        Gemm.Multiply(width, MatrixOp.Transpose, MatrixOp.None, k, count, cout, 1, wg, k, dyg.Slice(p0), plane,
                            0, workspace.Slice(0, k * count), count, default, threads);
                        Conv2DColumns.ScatterAdd(g, pws, p0, count, pdx + xOffset);
                    }
                }
            }
    }

    /// <summary>
    /// dWeights = Σ over the batch of dy·columns(x)ᵀ. <paramref name="dWeights"/> is overwritten (zero for an empty
    /// batch); callers accumulating over micro-batches add it themselves.
    /// </summary>
    public static void BackwardWeights(in Conv2DGeometry geometry, int batch, ReadOnlySpan<float> x, ReadOnlySpan<float> dy,
        Span<float> dWeights, Span<float> workspace, int threads = 1) =>
        BackwardWeights(Isa.Width, geometry, batch, x, dy, dWeights, workspace, threads);

    internal static void BackwardWeights(SimdWidth width, in Conv2DGeometry g, int batch, ReadOnlySpan<float> x,
        ReadOnlySpan<float> dy, Span<float> dWeights, Span<float> workspace, int threads) =>
        BackwardWeights(width, ChooseWeights(width, g), g, batch, x, dy, dWeights, workspace, threads);

    /// <summary>The algorithm of the weight gradient at <paramref name="width"/>: see the README for the measurements.</summary>
    internal static Conv2DAlgorithm ChooseWeights(SimdWidth width, in Conv2DGeometry g) =>
        width == SimdWidth.Scalar ? Conv2DAlgorithm.Reference :
        Conv2DDirectWeights.Possible(g) ? Conv2DAlgorithm.Direct : Conv2DAlgorithm.Columns;

    internal static void BackwardWeights(SimdWidth width, Conv2DAlgorithm algorithm, in Conv2DGeometry g, int batch, ReadOnlySpan<float> x,
        ReadOnlySpan<float> dy, Span<float> dWeights, Span<float> workspace, int threads)
    {
        CheckBatch(batch);
        Length("input", x.Length, (long)batch * g.InputLength, "batch·C·H·W");
        Length("output gradient", dy.Length, (long)batch * g.OutputLength, "batch·M·outH·outW");
        Length("weight gradient", dWeights.Length, g.WeightLength, "M·C/groups·kH·kW");
        Workspace(workspace, g);
        Disjoint(x, dWeights, "input", "weight gradient");
        Disjoint(dy, dWeights, "output gradient", "weight gradient");
        Disjoint(workspace, x, "input", "workspace");
        Disjoint(workspace, dy, "output gradient", "workspace");
        Disjoint(workspace, dWeights, "weight gradient", "workspace");
        if (width == SimdWidth.Scalar || algorithm == Conv2DAlgorithm.Reference)
        {
            Conv2DScalar.BackwardWeights(g, batch, x, dy, dWeights);
            return;
        }
        if (algorithm == Conv2DAlgorithm.Direct)
        {
            if (!Conv2DDirectWeights.Possible(g)) throw new ArgumentException($"Conv2D: the direct weight gradient does not apply to {g}.");
            if (batch == 0) dWeights.Clear();
            else
                fixed (float* px = x, pdy = dy, pdw = dWeights, pws = workspace)
                    Conv2DDirectWeights.Run(width, g, batch, px, pdy, pdw, pws);
            return;
        }
        int cin = g.InputChannelsPerGroup, cout = g.OutputChannelsPerGroup, k = g.ColumnRows, plane = g.OutputPlane;
        var panel = Conv2DPanel.For(g);
        if (batch == 0) dWeights.Clear();
        fixed (float* px = x, pdy = dy, pws = workspace)
            for (int group = 0; group < g.Groups; group++)
            {
                var dwg = dWeights.Slice(group * cout * k, cout * k);
                if (panel.Samples > 1)
                {
                    // The product's depth runs over every column of the panel's samples: one pass over dW per panel.
                    float* gradients = pws + panel.ColumnLength;
                    for (int n0 = 0; n0 < batch; n0 += panel.Samples)
                    {
                        int samples = Math.Min(panel.Samples, batch - n0), count = samples * plane;
                        Conv2DColumns.Gather(g, px + (long)n0 * g.InputLength + group * cin * g.InputPlane, 0, count, pws);
                        Conv2DPanel.Pack(pdy + (long)n0 * g.OutputLength + group * cout * plane, g.OutputLength, plane, cout, samples, gradients, count);
                        Gemm.Multiply(width, MatrixOp.None, MatrixOp.Transpose, cout, k, count, 1, new ReadOnlySpan<float>(gradients, cout * count), count,
                            workspace.Slice(0, k * count), count, n0 == 0 ? 0 : 1, dwg, k, default, threads);
                    }
                    continue;
                }
                for (int n = 0; n < batch; n++)
                {
                    int xOffset = n * g.InputLength + group * cin * g.InputPlane;
                    var dyg = dy.Slice(n * g.OutputLength + group * cout * plane, cout * plane);
                    if (g.IsPointwise)
                    {
                        Gemm.Multiply(width, MatrixOp.None, MatrixOp.Transpose, cout, cin, plane, 1, dyg, plane,
                            x.Slice(xOffset, cin * plane), plane, n == 0 ? 0 : 1, dwg, k, default, threads);
                        continue;
                    }
                    for (int p0 = 0; p0 < plane; p0 += panel.Columns)
                    {
                        int count = Math.Min(panel.Columns, plane - p0);
                        Conv2DColumns.Gather(g, px + xOffset, p0, count, pws);
                        Gemm.Multiply(width, MatrixOp.None, MatrixOp.Transpose, cout, k, count, 1, dyg.Slice(p0), plane,
                            workspace.Slice(0, k * count), count, n == 0 && p0 == 0 ? 0 : 1, dwg, k, default, threads);
                    }
                }
            }
    }

    /// <summary>dBias[m] = Σ over the batch and the output plane of dy[n, m]; overwritten.</summary>
    public static void BackwardBias(in Conv2DGeometry geometry, int batch, ReadOnlySpan<float> dy, Span<float> dBias) =>
        BackwardBias(Isa.Width, geometry, batch, dy, dBias);

    internal static void BackwardBias(SimdWidth width, in Conv2DGeometry g, int batch, ReadOnlySpan<float> dy, Span<float> dBias)
    {
        CheckBatch(batch);
        Length("output gradient", dy.Length, (long)batch * g.OutputLength, "batch·M·outH·outW");
        Length("bias gradient", dBias.Length, g.OutputChannels, "output channels");
        ChannelSums(width, dy, batch, g.OutputChannels, g.OutputPlane, dBias);
    }

    /// <summary>sums[c] = Σ_n Σ_p x[n, c, p] over [batch × channels × plane].</summary>
    internal static void ChannelSums(SimdWidth width, ReadOnlySpan<float> x, int batch, int channels, int plane, Span<float> sums)
    {
        for (int c = 0; c < channels; c++)
        {
            float sum = 0;
            for (int n = 0; n < batch; n++) sum += Reductions.Sum(x.Slice((n * channels + c) * plane, plane), width);
            sums[c] = sum;
        }
    }

    private static void CheckBatch(int batch)
    {
        if (batch < 0) throw new ArgumentException($"Conv2D: batch must not be negative; got {batch}.");
    }

    internal static void Length(string what, int actual, long expected, string formula)
    {
        if (actual != expected)
            throw new ArgumentException($"Conv2D: the {what} has {actual} elements; expected {formula} = {expected}.");
    }

    private static void Workspace(ReadOnlySpan<float> workspace, in Conv2DGeometry g)
    {
        int need = WorkspaceLength(g);
        if (workspace.Length < need)
            throw new ArgumentException($"Conv2D: the workspace has {workspace.Length} elements; {g} needs at least {need} (Conv2D.WorkspaceLength).");
    }

    private static void Disjoint(ReadOnlySpan<float> input, ReadOnlySpan<float> output, string inputName, string outputName)
    {
        if (input.Overlaps(output))
            throw new ArgumentException($"Conv2D: the {outputName} overlaps the {inputName}; expected separate buffers.");
    }
}
