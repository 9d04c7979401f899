namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Batch normalisation of NCHW tensors over channels (PyTorch <c>BatchNorm2d</c>, ONNX <c>BatchNormalization</c> on
/// 4-D input): statistics per channel over the N·H·W values of that channel, with <see cref="BatchNorm"/>'s
/// conventions — mean and biased variance normalise, <c>invStd = 1/sqrt(var + epsilon)</c> is saved for the
/// backward pass, and the running statistics are updated by <see cref="BatchNorm.UpdateRunningStatistics"/> with
/// <c>rows</c> = N·H·W (unbiased variance there). Inference folds the running statistics with
/// <see cref="BatchNorm.FoldInference"/> and applies <see cref="ForwardInference(ReadOnlySpan{float}, int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>.
/// Each channel's planes are contiguous runs, so every pass streams them with vectors; the sums are shifted by the
/// channel's first value as in <see cref="BatchNorm"/>, so large means do not cancel the variance away. Training
/// forward and backward take two passes over each channel, the second right after the first.
/// </summary>
public static class BatchNorm2D
{
    /// <summary>
    /// y = gamma·(x − mean)·invStd + beta per channel, with the batch's statistics written to <paramref name="mean"/>
    /// and <paramref name="invStd"/>. x is [batch × channels × plane]; y may be x.
    /// </summary>
    public static void ForwardTraining(ReadOnlySpan<float> x, int batch, int channels, int plane, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, float epsilon, Span<float> y, Span<float> mean, Span<float> invStd) =>
        ForwardTraining(Isa.Width, x, batch, channels, plane, gamma, beta, epsilon, y, mean, invStd);

    internal static void ForwardTraining(SimdWidth width, ReadOnlySpan<float> x, int batch, int channels, int plane,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon, Span<float> y, Span<float> mean, Span<float> invStd)
    {
        Shape(batch, channels, plane, minimumBatch: 1);
        long n = (long)batch * channels * plane;
        Length("input", x.Length, n, "N·C·H·W");
        Length("output", y.Length, n, "N·C·H·W");
        foreach (var (what, length) in (ReadOnlySpan<(string, int)>)[("gamma", gamma.Length), ("beta", beta.Length), ("mean", mean.Length), ("invStd", invStd.Length)])
            Length(what, length, channels, "channels");
        SameOrDisjoint(x, y, "input", "output");
        float count = (float)batch * plane;
        // Channel by channel, the statistics and then the map: the second read of a channel's planes finds them
        // in cache (at batch 32, a 28×28 channel is 100 KB; the whole tensor is not).
        for (int c = 0; c < channels; c++)
        {
            float k = x[c * plane], sum = 0, squares = 0;
            for (int b = 0; b < batch; b++)
            {
                var (s, q) = PlaneMath.ShiftedSums(x.Slice((b * channels + c) * plane, plane), k, width);
                sum += s;
                squares += q;
            }
            float shifted = sum / count;
            // Rounding can leave a constant channel a hair below zero; MaxNumber would hide NaN, Max keeps it.
            float variance = MathF.Max(squares / count - shifted * shifted, 0);
            mean[c] = k + shifted;
            invStd[c] = 1 / MathF.Sqrt(variance + epsilon);
            float scale = gamma[c] * invStd[c];
            for (int b = 0; b < batch; b++)
            {
                int at = (b * channels + c) * plane;
                PlaneMath.Affine(x.Slice(at, plane), y.Slice(at, plane), mean[c], scale, beta[c], width);
            }
        }
    }

    /// <summary>y = x·scale + shift per channel (scale and shift from <see cref="BatchNorm.FoldInference"/>); y may be x.</summary>
    public static void ForwardInference(ReadOnlySpan<float> x, int batch, int channels, int plane, ReadOnlySpan<float> scale,
        ReadOnlySpan<float> shift, Span<float> y) =>
        ForwardInference(Isa.Width, x, batch, channels, plane, scale, shift, y);

    internal static void ForwardInference(SimdWidth width, ReadOnlySpan<float> x, int batch, int channels, int plane,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y)
    {
        Shape(batch, channels, plane, minimumBatch: 0);
        long n = (long)batch * channels * plane;
        Length("input", x.Length, n, "N·C·H·W");
        Length("output", y.Length, n, "N·C·H·W");
        Length("scale", scale.Length, channels, "channels");
        Length("shift", shift.Length, channels, "channels");
        SameOrDisjoint(x, y, "input", "output");
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
            {
                int at = (b * channels + c) * plane;
                PlaneMath.Affine(x.Slice(at, plane), y.Slice(at, plane), 0, scale[c], shift[c], width);
            }
    }

    /// <summary>
    /// Gradients of <see cref="ForwardTraining(ReadOnlySpan{float}, int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, float, Span{float}, Span{float}, Span{float})"/>
    /// from its input and saved statistics: dx, dGamma and dBeta are overwritten. dx may be dy.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int batch, int channels, int plane,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, Span<float> dx,
        Span<float> dGamma, Span<float> dBeta) =>
        Backward(Isa.Width, x, dy, batch, channels, plane, gamma, mean, invStd, dx, dGamma, dBeta);

    internal static void Backward(SimdWidth width, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int batch, int channels,
        int plane, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, Span<float> dx,
        Span<float> dGamma, Span<float> dBeta)
    {
        Shape(batch, channels, plane, minimumBatch: 1);
        long n = (long)batch * channels * plane;
        Length("input", x.Length, n, "N·C·H·W");
        Length("output gradient", dy.Length, n, "N·C·H·W");
        Length("input gradient", dx.Length, n, "N·C·H·W");
        foreach (var (what, length) in (ReadOnlySpan<(string, int)>)[("gamma", gamma.Length), ("mean", mean.Length), ("invStd", invStd.Length), ("dGamma", dGamma.Length), ("dBeta", dBeta.Length)])
            Length(what, length, channels, "channels");
        SameOrDisjoint(dy, dx, "output gradient", "input gradient");
        if (x.Overlaps(dx)) throw new ArgumentException("BatchNorm2D: the input gradient overlaps the input; expected separate buffers.");
        float count = (float)batch * plane;
        for (int c = 0; c < channels; c++)
        {
            float sum = 0, products = 0;
            for (int b = 0; b < batch; b++)
            {
                int at = (b * channels + c) * plane;
                var (s, p) = PlaneMath.GradientSums(x.Slice(at, plane), dy.Slice(at, plane), mean[c], width);
                sum += s;
                products += p;
            }
            dBeta[c] = sum;
            dGamma[c] = products * invStd[c];
            // dx = gamma·invStd·(dy − mean(dy) − (x − mean)·invStd·mean(dy·xhat)), BatchNorm's form, while the
            // channel's planes are still in cache.
            float a = gamma[c] * invStd[c], meanDy = dBeta[c] / count, c2 = invStd[c] * (dGamma[c] / count);
            for (int b = 0; b < batch; b++)
            {
                int at = (b * channels + c) * plane;
                PlaneMath.NormalizeGradient(x.Slice(at, plane), dy.Slice(at, plane), dx.Slice(at, plane), mean[c], a, meanDy, c2, width);
            }
        }
    }

    private static void Shape(int batch, int channels, int plane, int minimumBatch)
    {
        if (batch < minimumBatch) throw new ArgumentException($"BatchNorm2D: the batch must hold at least {minimumBatch} sample(s); got {batch}.");
        if (channels < 0) throw new ArgumentException($"BatchNorm2D: channels must not be negative; got {channels}.");
        if (plane < 1) throw new ArgumentException($"BatchNorm2D: a plane (H·W) must hold at least 1 element; got {plane}.");
        if ((long)batch * channels * plane > int.MaxValue)
            throw new ArgumentException($"BatchNorm2D: N·C·H·W = {(long)batch * channels * plane} exceeds a span's length.");
    }

    private static void Length(string what, int actual, long expected, string formula)
    {
        if (actual != expected) throw new ArgumentException($"BatchNorm2D: {what} has {actual} elements; expected {formula} = {expected}.");
    }

    private static void SameOrDisjoint(ReadOnlySpan<float> input, ReadOnlySpan<float> output, string inputName, string outputName)
    {
        if (input.Overlaps(output, out int offset) && offset != 0)
            throw new ArgumentException($"BatchNorm2D: the {outputName} overlaps the {inputName} at an offset of {offset} elements; expected the same buffer or separate ones.");
    }
}
