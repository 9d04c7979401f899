namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Scalar reference for <see cref="OptimizerUpdates"/>, written as torch.optim's single-tensor code reads, one
/// element at a time. The vector kernels are tested against it; it is also the path taken when no vector width is
/// available. Arguments are checked by <see cref="OptimizerUpdates"/>. Subnormals are flushed where the vector
/// kernels flush them, with <see cref="Subnormals.Flush"/>.
/// </summary>
internal static class OptimizerUpdatesScalar
{
    public static void Sgd(Span<float> w, ReadOnlySpan<float> g, Span<float> velocity, float learningRate,
        float momentum, float dampening, float weightDecay, bool nesterov, bool firstStep)
    {
        float keep = 1 - dampening;
        for (int i = 0; i < w.Length; i++)
        {
            float grad = weightDecay != 0 ? g[i] + weightDecay * w[i] : g[i];
            if (momentum != 0)
            {
                float buffer = Subnormals.Flush(firstStep ? grad : momentum * velocity[i] + keep * grad);
                velocity[i] = buffer;
                grad = nesterov ? grad + momentum * buffer : buffer;
            }
            w[i] = Subnormals.Flush(w[i] - learningRate * grad);
        }
    }

    public static void Adam(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float learningRate,
        float beta1, float beta2, float epsilon, float weightDecay, bool decoupledWeightDecay, long step)
    {
        var (stepSize, inverseSqrtCorrection2) = AdamCorrections(learningRate, beta1, beta2, step);
        float decay = decoupledWeightDecay ? 1 - learningRate * weightDecay : 1;
        float l2 = decoupledWeightDecay ? 0 : weightDecay;
        for (int i = 0; i < w.Length; i++)
        {
            float weight = decoupledWeightDecay ? w[i] * decay : w[i];
            float grad = l2 != 0 ? g[i] + l2 * weight : g[i];
            float first = Subnormals.Flush(m[i] + (1 - beta1) * (grad - m[i]));
            float second = Subnormals.Flush(beta2 * v[i] + (1 - beta2) * grad * grad);
            m[i] = first;
            v[i] = second;
            w[i] = Subnormals.Flush(weight - stepSize * first / (MathF.Sqrt(second) * inverseSqrtCorrection2 + epsilon));
        }
    }

    /// <summary>
    /// Adam's bias corrections, computed once per call in double: the step size <c>lr/(1 − beta1^step)</c> and
    /// <c>1/sqrt(1 − beta2^step)</c>, which multiplies sqrt(v) before epsilon is added, as PyTorch orders it.
    /// </summary>
    public static (float StepSize, float InverseSqrtCorrection2) AdamCorrections(float learningRate, float beta1,
        float beta2, long step)
    {
        double correction1 = 1 - Math.Pow(beta1, step);
        double correction2 = 1 - Math.Pow(beta2, step);
        return ((float)(learningRate / correction1), (float)(1 / Math.Sqrt(correction2)));
    }

    public static void RmsProp(Span<float> w, ReadOnlySpan<float> g, Span<float> squareAverage,
        Span<float> momentumBuffer, float learningRate, float alpha, float epsilon, float weightDecay, float momentum)
    {
        for (int i = 0; i < w.Length; i++)
        {
            float grad = weightDecay != 0 ? g[i] + weightDecay * w[i] : g[i];
            float average = Subnormals.Flush(alpha * squareAverage[i] + (1 - alpha) * grad * grad);
            squareAverage[i] = average;
            float scaled = grad / (MathF.Sqrt(average) + epsilon);
            if (momentum > 0)
            {
                scaled = Subnormals.Flush(momentum * momentumBuffer[i] + scaled);
                momentumBuffer[i] = scaled;
            }
            w[i] = Subnormals.Flush(w[i] - learningRate * scaled);
        }
    }

    public static void Adagrad(Span<float> w, ReadOnlySpan<float> g, Span<float> sum, float learningRate,
        float epsilon, float weightDecay, float learningRateDecay, long step)
    {
        float clr = AdagradLearningRate(learningRate, learningRateDecay, step);
        for (int i = 0; i < w.Length; i++)
        {
            float grad = weightDecay != 0 ? g[i] + weightDecay * w[i] : g[i];
            float total = Subnormals.Flush(sum[i] + grad * grad);
            sum[i] = total;
            w[i] = Subnormals.Flush(w[i] - clr * grad / (MathF.Sqrt(total) + epsilon));
        }
    }

    /// <summary>Adagrad's decayed learning rate <c>lr/(1 + (step − 1)·lrDecay)</c>, computed once per call in double.</summary>
    public static float AdagradLearningRate(float learningRate, float learningRateDecay, long step) =>
        (float)(learningRate / (1 + (step - 1) * (double)learningRateDecay));
}
