namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Scalar reference for <see cref="LayerNorm"/>: each row's statistics in double by the exact two-pass formula (the
/// mean, then the squared deviations from it), which no float row can overflow; the outputs are then formed in float
/// from the rounded statistics, as the vector kernels form them. The vector kernels are tested against it; it is also
/// the path taken when no vector width is available or a row is shorter than a vector. Arguments are checked by
/// <see cref="LayerNorm"/>.
/// </summary>
internal static class LayerNormScalar
{
    public static void Forward(ReadOnlySpan<float> x, int rows, int length, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, float epsilon, Span<float> y, Span<float> mean, Span<float> rstd)
    {
        bool keep = !mean.IsEmpty;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * length, length);
            Span<float> yr = y.Slice(r * length, length);
            var (m, s) = Statistics(xr, epsilon);
            if (keep)
            {
                mean[r] = m;
                rstd[r] = s;
            }
            // Each value is read before it is written, so y may be x.
            for (int i = 0; i < length; i++)
            {
                float v = (xr[i] - m) * s;
                if (!gamma.IsEmpty) v *= gamma[i];
                if (!beta.IsEmpty) v += beta[i];
                yr[i] = v;
            }
        }
    }

    /// <summary>The row's mean and 1/sqrt(biased variance + epsilon), in double, rounded to float.</summary>
    public static (float Mean, float Rstd) Statistics(ReadOnlySpan<float> row, float epsilon)
    {
        if (row.IsEmpty) return (0f, (float)(1.0 / Math.Sqrt(epsilon)));
        double sum = 0;
        foreach (float v in row) sum += v;
        double mu = sum / row.Length;
        double squares = 0;
        foreach (float v in row)
        {
            double d = v - mu;
            squares += d * d;
        }
        return ((float)mu, (float)(1.0 / Math.Sqrt(squares / row.Length + epsilon)));
    }

    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int rows, int length,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx,
        Span<float> dGamma, Span<float> dBeta)
    {
        // The parameter gradients first, column by column with each sum in double (the reference for the vector
        // kernels' row-by-row float sums): they read x and dy, which dx may be.
        if (!dGamma.IsEmpty || !dBeta.IsEmpty)
        {
            for (int i = 0; i < length; i++)
            {
                double sumDyX = 0, sumDy = 0;
                for (int r = 0; r < rows; r++)
                {
                    int at = r * length + i;
                    sumDy += dy[at];
                    sumDyX += (double)dy[at] * ((x[at] - mean[r]) * rstd[r]);
                }
                if (!dGamma.IsEmpty) dGamma[i] = (float)(dGamma[i] + sumDyX);
                if (!dBeta.IsEmpty) dBeta[i] = (float)(dBeta[i] + sumDy);
            }
        }
        if (dx.IsEmpty) return;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * length, length), dyr = dy.Slice(r * length, length);
            Span<float> dxr = dx.Slice(r * length, length);
            float m = mean[r], s = rstd[r];
            // dx = rstd·(g − mean(g) − x̂·mean(g·x̂)), g = dy·gamma, x̂ = (x − mean)·rstd.
            double sumG = 0, sumGx = 0;
            for (int i = 0; i < length; i++)
            {
                double g = gamma.IsEmpty ? dyr[i] : (double)dyr[i] * gamma[i];
                sumG += g;
                sumGx += g * ((xr[i] - m) * s);
            }
            double meanG = sumG / length, meanGx = sumGx / length;
            // Each element's x and dy are read before its dx (maybe one of them) is written.
            for (int i = 0; i < length; i++)
            {
                double g = gamma.IsEmpty ? dyr[i] : (double)dyr[i] * gamma[i];
                double xhat = (xr[i] - m) * s;
                dxr[i] = (float)(s * (g - meanG - xhat * meanGx));
            }
        }
    }
}
