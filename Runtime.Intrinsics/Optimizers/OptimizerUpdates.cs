namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Parameter updates of the torch.optim optimizers, each one fused pass over a whole parameter buffer
/// <c>w</c> with its gradient <c>g</c> and state buffers (all the same length). Every method has an internal
/// overload taking the <see cref="SimdWidth"/> so tests can run each width in one process.
/// <para>
/// Subnormals are flushed to zero, as with PyTorch's <c>torch.set_flush_denormal(True)</c> and TensorFlow's CPU
/// default: every value an update stores (the updated weights and each state buffer: SGD's velocity, Adam's m and v,
/// RMSprop's square average and momentum buffer, Adagrad's sum) becomes +0 where it would be subnormal. Without
/// this, a momentum or moment that decays towards zero (dead units, vanishing gradients) enters the subnormals and
/// stays there for good (0.9 times the smallest subnormal rounds back to it), and x86 cores without the FPU's
/// flush-to-zero mode, which .NET cannot set, compute with subnormals up to a hundred times slower. A flushed value
/// differs from the unflushed one by less than 2⁻¹²⁶, and a weight by at most that times the step's gain (learning
/// rate over epsilon for Adam's m), so values of any ordinary size are as before; NaN and infinities propagate
/// unchanged. Each flush is an exponent test and a select per vector inside the same pass
/// (<see cref="IFloatVector{TVec}.FlushSubnormal"/>).
/// </para>
/// </summary>
public static class OptimizerUpdates
{
    /// <summary>
    /// SGD as torch.optim.SGD: <c>g' = g + weightDecay·w</c>; when momentum ≠ 0,
    /// <c>velocity = firstStep ? g' : momentum·velocity + (1 − dampening)·g'</c> and the step is
    /// <c>nesterov ? g' + momentum·velocity : velocity</c>, else the step is <c>g'</c>; then <c>w −= learningRate·step</c>.
    /// <paramref name="velocity"/> may be empty when <paramref name="momentum"/> is 0.
    /// </summary>
    public static void Sgd(Span<float> w, ReadOnlySpan<float> g, Span<float> velocity, float learningRate,
        float momentum, float dampening, float weightDecay, bool nesterov, bool firstStep) =>
        Sgd(Isa.Width, w, g, velocity, learningRate, momentum, dampening, weightDecay, nesterov, firstStep);

    internal static void Sgd(SimdWidth width, Span<float> w, ReadOnlySpan<float> g, Span<float> velocity,
        float learningRate, float momentum, float dampening, float weightDecay, bool nesterov, bool firstStep)
    {
        CheckLength(g.Length, w.Length, nameof(g));
        if (momentum != 0) CheckLength(velocity.Length, w.Length, nameof(velocity));
        VectorWidth.Run(width, w.Length, new SgdKernel(w, g, velocity, learningRate, momentum, dampening, weightDecay, nesterov, firstStep));
    }

    /// <summary>
    /// Adam as torch.optim.Adam (<paramref name="decoupledWeightDecay"/> false: <c>g += weightDecay·w</c>) or
    /// torch.optim.AdamW (true: <c>w −= learningRate·weightDecay·w</c> first); then
    /// <c>m = beta1·m + (1 − beta1)·g</c>, <c>v = beta2·v + (1 − beta2)·g²</c> and
    /// <c>w −= learningRate/(1 − beta1^step) · m / (sqrt(v)/sqrt(1 − beta2^step) + epsilon)</c>.
    /// <paramref name="step"/> counts from 1 and includes this update.
    /// </summary>
    public static void Adam(Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v, float learningRate,
        float beta1, float beta2, float epsilon, float weightDecay, bool decoupledWeightDecay, long step) =>
        Adam(Isa.Width, w, g, m, v, learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay, step);

    internal static void Adam(SimdWidth width, Span<float> w, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float learningRate, float beta1, float beta2, float epsilon, float weightDecay, bool decoupledWeightDecay,
        long step)
    {
        CheckLength(g.Length, w.Length, nameof(g));
        CheckLength(m.Length, w.Length, nameof(m));
        CheckLength(v.Length, w.Length, nameof(v));
        CheckStep(step);
        VectorWidth.Run(width, w.Length, new AdamKernel(w, g, m, v, learningRate, beta1, beta2, epsilon, weightDecay, decoupledWeightDecay, step));
    }

    /// <summary>
    /// RMSprop as torch.optim.RMSprop with centered = false: <c>g' = g + weightDecay·w</c>,
    /// <c>squareAverage = alpha·squareAverage + (1 − alpha)·g'²</c>; when momentum &gt; 0,
    /// <c>momentumBuffer = momentum·momentumBuffer + g'/(sqrt(squareAverage) + epsilon)</c> and
    /// <c>w −= learningRate·momentumBuffer</c>, else <c>w −= learningRate·g'/(sqrt(squareAverage) + epsilon)</c>.
    /// <paramref name="momentumBuffer"/> may be empty when <paramref name="momentum"/> is 0.
    /// </summary>
    public static void RmsProp(Span<float> w, ReadOnlySpan<float> g, Span<float> squareAverage,
        Span<float> momentumBuffer, float learningRate, float alpha, float epsilon, float weightDecay, float momentum) =>
        RmsProp(Isa.Width, w, g, squareAverage, momentumBuffer, learningRate, alpha, epsilon, weightDecay, momentum);

    internal static void RmsProp(SimdWidth width, Span<float> w, ReadOnlySpan<float> g, Span<float> squareAverage,
        Span<float> momentumBuffer, float learningRate, float alpha, float epsilon, float weightDecay, float momentum)
    {
        CheckLength(g.Length, w.Length, nameof(g));
        CheckLength(squareAverage.Length, w.Length, nameof(squareAverage));
        if (momentum > 0) CheckLength(momentumBuffer.Length, w.Length, nameof(momentumBuffer));
        VectorWidth.Run(width, w.Length, new RmsPropKernel(w, g, squareAverage, momentumBuffer, learningRate, alpha, epsilon, weightDecay, momentum));
    }

    /// <summary>
    /// Adagrad as torch.optim.Adagrad: <c>g' = g + weightDecay·w</c>,
    /// <c>clr = learningRate/(1 + (step − 1)·learningRateDecay)</c>, <c>sum += g'²</c>,
    /// <c>w −= clr·g'/(sqrt(sum) + epsilon)</c>. <paramref name="step"/> counts from 1 and includes this update.
    /// </summary>
    public static void Adagrad(Span<float> w, ReadOnlySpan<float> g, Span<float> sum, float learningRate,
        float epsilon, float weightDecay, float learningRateDecay, long step) =>
        Adagrad(Isa.Width, w, g, sum, learningRate, epsilon, weightDecay, learningRateDecay, step);

    internal static void Adagrad(SimdWidth width, Span<float> w, ReadOnlySpan<float> g, Span<float> sum,
        float learningRate, float epsilon, float weightDecay, float learningRateDecay, long step)
    {
        CheckLength(g.Length, w.Length, nameof(g));
        CheckLength(sum.Length, w.Length, nameof(sum));
        CheckStep(step);
        VectorWidth.Run(width, w.Length, new AdagradKernel(w, g, sum, learningRate, epsilon, weightDecay, learningRateDecay, step));
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} has {actual} elements; expected w.Length = {expected}.", name);
    }

    private static void CheckStep(long step)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "expected a step count of at least 1.");
    }
}
