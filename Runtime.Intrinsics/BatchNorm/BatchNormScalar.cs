namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Scalar reference for <see cref="BatchNorm"/>: per-feature statistics accumulated in double with the exact
/// two-pass formula, column by column. The vector kernels are tested against it; it is also the path taken when
/// no vector width is available. Arguments are checked by <see cref="BatchNorm"/>.
/// </summary>
internal static class BatchNormScalar
{
    public static void ForwardTraining(ReadOnlySpan<float> x, int rows, int features, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, float epsilon, Span<float> y, Span<float> mean, Span<float> invStd)
    {
        for (int f = 0; f < features; f++)
        {
            double sum = 0;
            for (int r = 0; r < rows; r++) sum += x[r * features + f];
            double mu = sum / rows;
            double squares = 0;
            for (int r = 0; r < rows; r++)
            {
                double d = x[r * features + f] - mu;
                squares += d * d;
            }
            float m = (float)mu;
            float s = (float)(1.0 / Math.Sqrt(squares / rows + epsilon));
            mean[f] = m;
            invStd[f] = s;
            // Written after both statistics so that y may alias x.
            for (int r = 0; r < rows; r++)
            {
                int i = r * features + f;
                y[i] = gamma[f] * ((x[i] - m) * s) + beta[f];
            }
        }
    }

    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int rows, int features,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, Span<float> dx,
        Span<float> dGamma, Span<float> dBeta)
    {
        for (int f = 0; f < features; f++)
        {
            double sumDy = 0, sumDyCentered = 0;
            float m = mean[f];
            for (int r = 0; r < rows; r++)
            {
                int i = r * features + f;
                sumDy += dy[i];
                sumDyCentered += (double)dy[i] * (x[i] - m);
            }
            double s = invStd[f];
            double gradGamma = sumDyCentered * s;
            dBeta[f] = (float)sumDy;
            dGamma[f] = (float)gradGamma;
            // dx = gamma·invStd·(dy − mean(dy) − xhat·mean(dy·xhat)), xhat = (x − mean)·invStd.
            double k = gamma[f] * s;
            double meanDy = sumDy / rows;
            double slope = gradGamma * s / rows;
            for (int r = 0; r < rows; r++)
            {
                int i = r * features + f;
                dx[i] = (float)(k * (dy[i] - meanDy - (x[i] - m) * slope));
            }
        }
    }

    public static void UpdateRunningStatistics(Span<float> runningMean, Span<float> runningVariance,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, float epsilon, float momentum, int rows)
    {
        double keep = 1.0 - momentum;
        double unbias = rows > 1 ? (double)rows / (rows - 1) : 0;
        for (int f = 0; f < mean.Length; f++)
        {
            // Flushed: the statistics of a unit that is dead for whole batches (batch norm after a ReLU) decay
            // geometrically and would stick in the subnormal range, slowing every later step on x86.
            runningMean[f] = Subnormals.Flush((float)(keep * runningMean[f] + (double)momentum * mean[f]));
            if (rows > 1)
            {
                double s = invStd[f];
                // Recovered from the saved invStd; where var ≪ epsilon rounding can dip below zero.
                double variance = Math.Max(1.0 / (s * s) - epsilon, 0);
                runningVariance[f] = Subnormals.Flush((float)(keep * runningVariance[f] + momentum * variance * unbias));
            }
        }
    }

    public static void FoldInference(ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance, float epsilon, Span<float> scale,
        Span<float> shift)
    {
        for (int f = 0; f < gamma.Length; f++)
        {
            float s = gamma[f] / MathF.Sqrt(runningVariance[f] + epsilon);
            scale[f] = s;
            shift[f] = beta[f] - runningMean[f] * s;
        }
    }

    public static void ForwardInference(ReadOnlySpan<float> x, int rows, int features, ReadOnlySpan<float> scale,
        ReadOnlySpan<float> shift, Span<float> y)
    {
        for (int r = 0; r < rows; r++)
        {
            int row = r * features;
            for (int f = 0; f < features; f++) y[row + f] = x[row + f] * scale[f] + shift[f];
        }
    }
}
