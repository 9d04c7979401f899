// Scalar stand-ins for kernels that are not on main yet; deleted once they land. Declared in Simd.Runtime so
// they shadow the Simd.Runtime.Intrinsics names imported by the layer files.
#pragma warning disable CS1591
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime;

internal static class Activations
{
    public static float DefaultAlpha(ActivationKind kind) => Simd.Runtime.Intrinsics.Activations.DefaultAlpha(kind);

    public static void Forward(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y) => Forward(kind, x, y, DefaultAlpha(kind));

    public static void Forward(ActivationKind kind, ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        for (int i = 0; i < x.Length; i++) y[i] = (float)F(kind, x[i], alpha);
    }

    public static void Backward(ActivationKind kind, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) =>
        Backward(kind, x, y, dy, dx, DefaultAlpha(kind));

    public static void Backward(ActivationKind kind, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float alpha)
    {
        for (int i = 0; i < dy.Length; i++) dx[i] = (float)(dy[i] * D(kind, x[i], alpha));
    }

    private static double Sig(double x) => 1 / (1 + Math.Exp(-x));
    private static double Sp(double x) => x > 20 ? x : Math.Log(1 + Math.Exp(x));
    private static double Erf(double x)
    {
        double t = 1 / (1 + 0.3275911 * Math.Abs(x));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return x >= 0 ? y : -y;
    }
    private const double SeluScale = 1.0507009873554805, SeluAlpha = 1.6732632423543772, K = 0.7978845608028654;

    private static double F(ActivationKind k, double x, double a) => k switch
    {
        ActivationKind.Identity => x,
        ActivationKind.Relu => x > 0 ? x : 0,
        ActivationKind.LeakyRelu => x > 0 ? x : a * x,
        ActivationKind.Elu => x > 0 ? x : a * (Math.Exp(x) - 1),
        ActivationKind.Selu => SeluScale * (x > 0 ? x : SeluAlpha * (Math.Exp(x) - 1)),
        ActivationKind.Sigmoid => Sig(x),
        ActivationKind.Tanh => Math.Tanh(x),
        ActivationKind.GeluErf => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        ActivationKind.GeluTanh => 0.5 * x * (1 + Math.Tanh(K * (x + 0.044715 * x * x * x))),
        ActivationKind.Silu => x * Sig(x),
        ActivationKind.Softplus => Sp(x),
        ActivationKind.Softsign => x / (1 + Math.Abs(x)),
        ActivationKind.HardSigmoid => Math.Clamp(x / 6 + 0.5, 0, 1),
        ActivationKind.HardSwish => x * Math.Clamp(x / 6 + 0.5, 0, 1),
        ActivationKind.Mish => x * Math.Tanh(Sp(x)),
        _ => throw new NotSupportedException(k.ToString()),
    };

    private static double D(ActivationKind k, double x, double a)
    {
        switch (k)
        {
            case ActivationKind.Identity: return 1;
            case ActivationKind.Relu: return x > 0 ? 1 : 0;
            case ActivationKind.LeakyRelu: return x > 0 ? 1 : a;
            case ActivationKind.Elu: return x > 0 ? 1 : a * Math.Exp(x);
            case ActivationKind.Selu: return SeluScale * (x > 0 ? 1 : SeluAlpha * Math.Exp(x));
            case ActivationKind.Sigmoid: { double s = Sig(x); return s * (1 - s); }
            case ActivationKind.Tanh: { double t = Math.Tanh(x); return 1 - t * t; }
            case ActivationKind.GeluErf: return 0.5 * (1 + Erf(x / Math.Sqrt(2))) + x * Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);
            case ActivationKind.GeluTanh:
                {
                    double t = Math.Tanh(K * (x + 0.044715 * x * x * x));
                    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * K * (1 + 3 * 0.044715 * x * x);
                }
            case ActivationKind.Silu: { double s = Sig(x); return s * (1 + x * (1 - s)); }
            case ActivationKind.Softplus: return Sig(x);
            case ActivationKind.Softsign: { double d = 1 + Math.Abs(x); return 1 / (d * d); }
            case ActivationKind.HardSigmoid: return x > -3 && x < 3 ? 1.0 / 6 : 0;
            case ActivationKind.HardSwish: return x < -3 ? 0 : x > 3 ? 1 : (2 * x + 3) / 6;
            case ActivationKind.Mish: { double t = Math.Tanh(Sp(x)); return t + x * Sig(x) * (1 - t * t); }
            default: throw new NotSupportedException(k.ToString());
        }
    }
}

internal static class Elementwise
{
    public static void AddBias(Span<float> x, int rows, int cols, ReadOnlySpan<float> bias)
    {
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) x[r * cols + c] += bias[c];
    }
    public static void Scale(ReadOnlySpan<float> x, float a, Span<float> y) { for (int i = 0; i < x.Length; i++) y[i] = a * x[i]; }
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y) { for (int i = 0; i < x.Length; i++) y[i] += a * x[i]; }
}

internal static class Reductions
{
    public static void ColumnSums(ReadOnlySpan<float> x, int rows, int cols, Span<float> sums, bool accumulate = false)
    {
        if (!accumulate) sums.Slice(0, cols).Clear();
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) sums[c] += x[r * cols + c];
    }
    public static float Sum(ReadOnlySpan<float> x) { float s = 0; foreach (var v in x) s += v; return s; }
    public static float SumOfSquares(ReadOnlySpan<float> x) { float s = 0; foreach (var v in x) s += v * v; return s; }
    public static int ArgMax(ReadOnlySpan<float> x) { int b = 0; for (int i = 1; i < x.Length; i++) if (x[i] > x[b]) b = i; return b; }
    public static void RowArgMax(ReadOnlySpan<float> x, int rows, int cols, Span<int> result)
    {
        for (int r = 0; r < rows; r++) result[r] = ArgMax(x.Slice(r * cols, cols));
    }
}

internal static class Softmax
{
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        LogForward(x, y, rows, cols);
        for (int i = 0; i < rows * cols; i++) y[i] = MathF.Exp(y[i]);
    }
    public static void LogForward(ReadOnlySpan<float> x, Span<float> y, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * cols, cols); var yr = y.Slice(r * cols, cols);
            float max = float.NegativeInfinity; foreach (var v in xr) max = Math.Max(max, v);
            double s = 0; foreach (var v in xr) s += Math.Exp(v - max);
            float lse = max + (float)Math.Log(s);
            for (int c = 0; c < cols; c++) yr[c] = xr[c] - lse;
        }
    }
}

internal static class BatchNorm
{
    public static void ForwardTraining(ReadOnlySpan<float> x, int rows, int features, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float eps,
        Span<float> y, Span<float> mean, Span<float> invStd)
    {
        for (int f = 0; f < features; f++)
        {
            double s = 0; for (int r = 0; r < rows; r++) s += x[r * features + f];
            double m = s / rows, v = 0;
            for (int r = 0; r < rows; r++) { double d = x[r * features + f] - m; v += d * d; }
            v /= rows;
            mean[f] = (float)m; invStd[f] = (float)(1 / Math.Sqrt(v + eps));
            for (int r = 0; r < rows; r++) y[r * features + f] = gamma[f] * (x[r * features + f] - mean[f]) * invStd[f] + beta[f];
        }
    }
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int rows, int features, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, Span<float> dx, Span<float> dGamma, Span<float> dBeta)
    {
        for (int f = 0; f < features; f++)
        {
            double db = 0, dg = 0;
            for (int r = 0; r < rows; r++) { double xh = (x[r * features + f] - mean[f]) * invStd[f]; db += dy[r * features + f]; dg += dy[r * features + f] * xh; }
            dGamma[f] = (float)dg; dBeta[f] = (float)db;
            for (int r = 0; r < rows; r++)
            {
                double xh = (x[r * features + f] - mean[f]) * invStd[f];
                dx[r * features + f] = (float)(gamma[f] * invStd[f] / rows * (rows * dy[r * features + f] - db - xh * dg));
            }
        }
    }
    public static void UpdateRunningStatistics(Span<float> runningMean, Span<float> runningVariance, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd,
        float eps, float momentum, int rows)
    {
        for (int f = 0; f < mean.Length; f++)
        {
            double v = 1.0 / ((double)invStd[f] * invStd[f]) - eps;
            double unbiased = v * rows / (rows - 1);
            runningMean[f] = (1 - momentum) * runningMean[f] + momentum * mean[f];
            runningVariance[f] = (float)((1 - momentum) * runningVariance[f] + momentum * unbiased);
        }
    }
    public static void FoldInference(ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance,
        float eps, Span<float> scale, Span<float> shift)
    {
        for (int f = 0; f < gamma.Length; f++)
        {
            scale[f] = gamma[f] / MathF.Sqrt(runningVariance[f] + eps);
            shift[f] = beta[f] - runningMean[f] * scale[f];
        }
    }
    public static void ForwardInference(ReadOnlySpan<float> x, int rows, int features, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y)
    {
        for (int r = 0; r < rows; r++) for (int f = 0; f < features; f++) y[r * features + f] = x[r * features + f] * scale[f] + shift[f];
    }
}

internal static class OptimizerUpdates
{
    public static void Sgd(Span<float> w, ReadOnlySpan<float> g, Span<float> velocity, float lr, float momentum, float dampening, float weightDecay, bool nesterov, bool firstStep)
    {
        for (int i = 0; i < w.Length; i++)
        {
            float d = g[i] + weightDecay * w[i];
            if (momentum != 0)
            {
                velocity[i] = firstStep ? d : momentum * velocity[i] + (1 - dampening) * d;
                d = nesterov ? d + momentum * velocity[i] : velocity[i];
            }
            w[i] -= lr * d;
        }
    }
    public static void Adam(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float lr, float beta1, float beta2, float eps, float weightDecay, bool decoupledWeightDecay, long step)
    {
        double bc1 = 1 - Math.Pow(beta1, step), bc2 = 1 - Math.Pow(beta2, step);
        for (int i = 0; i < w.Length; i++)
        {
            float d = g[i];
            if (decoupledWeightDecay) w[i] *= 1 - lr * weightDecay; else d += weightDecay * w[i];
            m[i] = beta1 * m[i] + (1 - beta1) * d;
            v[i] = beta2 * v[i] + (1 - beta2) * d * d;
            float denom = (float)(Math.Sqrt(v[i]) / Math.Sqrt(bc2)) + eps;
            w[i] -= (float)(lr / bc1) * m[i] / denom;
        }
    }
    public static void RmsProp(Span<float> w, ReadOnlySpan<float> g, Span<float> squareAverage, Span<float> momentumBuffer, float lr, float alpha, float eps, float weightDecay, float momentum)
    {
        for (int i = 0; i < w.Length; i++)
        {
            float d = g[i] + weightDecay * w[i];
            squareAverage[i] = alpha * squareAverage[i] + (1 - alpha) * d * d;
            float avg = MathF.Sqrt(squareAverage[i]) + eps;
            if (momentum > 0) { momentumBuffer[i] = momentum * momentumBuffer[i] + d / avg; w[i] -= lr * momentumBuffer[i]; }
            else w[i] -= lr * d / avg;
        }
    }
    public static void Adagrad(Span<float> w, ReadOnlySpan<float> g, Span<float> sum, float lr, float eps, float weightDecay, float lrDecay, long step)
    {
        float clr = lr / (1 + (step - 1) * lrDecay);
        for (int i = 0; i < w.Length; i++)
        {
            float d = g[i] + weightDecay * w[i];
            sum[i] += d * d;
            w[i] -= clr * d / (MathF.Sqrt(sum[i]) + eps);
        }
    }
}
