using Simd.Runtime.Optimization;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Optimization;

/// <summary>
/// Two steps of each optimizer on two parameters, against values worked by hand from torch.optim's update rules
/// (in double; float32 results agree to ~1e-7 relative, so 1e-6 absolute on values of order 1).
/// </summary>
public sealed class OptimizerTests
{
    private const double Tolerance = 1e-6;

    private static ParameterBlock Block(float[] weights)
    {
        var block = new ParameterBlock();
        block.ReserveParameter(new TensorShape(weights.Length));
        block.Allocate();
        weights.CopyTo(block.Parameters);
        return block;
    }

    private static void Run(Optimizer optimizer, ParameterBlock block, float lr, params float[][] gradients)
    {
        foreach (var g in gradients)
        {
            g.CopyTo(block.Gradients);
            optimizer.Step(block, lr);
        }
    }

    [Fact]
    public void PlainSgd()
    {
        using var block = Block([1f, -2f]);
        Run(new Sgd(), block, 0.1f, [0.5f, -1f]);
        Assert.Equal(0.95, block.Parameters[0], Tolerance);
        Assert.Equal(-1.9, block.Parameters[1], Tolerance);
    }

    [Fact]
    public void SgdMomentumAndWeightDecay()
    {
        // w = 1, wd = 0.1, μ = 0.9, lr = 0.1; g₁ = 0.5 → d = 0.6, v = 0.6, w = 0.94;
        // g₂ = 0.5 → d = 0.5 + 0.094 = 0.594, v = 0.54 + 0.594 = 1.134, w = 0.94 − 0.1134 = 0.8266.
        using var block = Block([1f]);
        Run(new Sgd(momentum: 0.9f, weightDecay: 0.1f), block, 0.1f, [0.5f], [0.5f]);
        Assert.Equal(0.8266, block.Parameters[0], Tolerance);
    }

    [Fact]
    public void SgdNesterov()
    {
        // w = 1, μ = 0.9, lr = 0.1; g = 1: v = 1, step 1 + 0.9 = 1.9 → 0.81; g = 1: v = 1.9, step 1 + 1.71 = 2.71 → 0.539.
        using var block = Block([1f]);
        Run(new Sgd(momentum: 0.9f, nesterov: true), block, 0.1f, [1f], [1f]);
        Assert.Equal(0.539, block.Parameters[0], Tolerance);
    }

    [Fact]
    public void SgdDampening()
    {
        // First step ignores dampening (v = g = 1 → 0.9); second: v = 0.9 + 0.5·1 = 1.4 → 0.76.
        using var block = Block([1f]);
        Run(new Sgd(momentum: 0.9f, dampening: 0.5f), block, 0.1f, [1f], [1f]);
        Assert.Equal(0.76, block.Parameters[0], Tolerance);
    }

    private static double AdamByHand(double w, double[] g, double lr, double b1, double b2, double eps, double wd, bool decoupled)
    {
        double m = 0, v = 0;
        for (int t = 1; t <= g.Length; t++)
        {
            double d = g[t - 1];
            if (decoupled) w *= 1 - lr * wd; else d += wd * w;
            m = b1 * m + (1 - b1) * d;
            v = b2 * v + (1 - b2) * d * d;
            double mHat = m / (1 - Math.Pow(b1, t)), vHat = v / (1 - Math.Pow(b2, t));
            w -= lr * mHat / (Math.Sqrt(vHat) + eps);
        }
        return w;
    }

    [Fact]
    public void AdamFirstStepMovesByLearningRate()
    {
        // Bias correction makes the first step exactly lr·sign(g) (up to ε).
        using var block = Block([1f, 1f]);
        Run(new Adam(), block, 0.01f, [3f, -0.001f]);
        Assert.Equal(0.99, block.Parameters[0], Tolerance);
        Assert.Equal(1.01, block.Parameters[1], 1e-5);
    }

    [Fact]
    public void AdamWithL2()
    {
        using var block = Block([0.5f]);
        Run(new Adam(weightDecay: 0.1f), block, 0.01f, [0.2f], [-0.4f], [0.3f]);
        Assert.Equal(AdamByHand(0.5, [0.2, -0.4, 0.3], 0.01, 0.9, 0.999, 1e-8, 0.1, decoupled: false), block.Parameters[0], Tolerance);
    }

    [Fact]
    public void AdamWDecouplesDecay()
    {
        using var block = Block([0.5f]);
        Run(new AdamW(weightDecay: 0.1f), block, 0.01f, [0.2f], [-0.4f], [0.3f]);
        Assert.Equal(AdamByHand(0.5, [0.2, -0.4, 0.3], 0.01, 0.9, 0.999, 1e-8, 0.1, decoupled: true), block.Parameters[0], Tolerance);
        Assert.NotEqual(AdamByHand(0.5, [0.2, -0.4, 0.3], 0.01, 0.9, 0.999, 1e-8, 0.1, decoupled: false), block.Parameters[0], 1e-7);
    }

    [Fact]
    public void RmsProp()
    {
        // α = 0.9, lr = 0.01; g = 1: s = 0.1, w −= 0.01/√0.1 = 0.0316228; g = 1: s = 0.19, w −= 0.01/√0.19 = 0.0229416.
        using var block = Block([1f]);
        Run(new RmsProp(alpha: 0.9f), block, 0.01f, [1f], [1f]);
        Assert.Equal(1 - 0.01 / Math.Sqrt(0.1) - 0.01 / Math.Sqrt(0.19), block.Parameters[0], Tolerance);
    }

    [Fact]
    public void RmsPropMomentum()
    {
        // μ = 0.5: b₁ = 1/√0.1, b₂ = 0.5·b₁ + 1/√0.19.
        using var block = Block([1f]);
        Run(new RmsProp(alpha: 0.9f, momentum: 0.5f), block, 0.01f, [1f], [1f]);
        double b1 = 1 / Math.Sqrt(0.1), b2 = 0.5 * b1 + 1 / Math.Sqrt(0.19);
        Assert.Equal(1 - 0.01 * (b1 + b2), block.Parameters[0], Tolerance);
    }

    [Fact]
    public void Adagrad()
    {
        // lr = 0.1; g = 2: s = 4, w −= 0.1; g = 1 with lr decay 0.5 → lr 0.1/1.5, s = 5, w −= 0.0666667/√5.
        using var block = Block([1f]);
        Run(new Adagrad(learningRateDecay: 0.5f), block, 0.1f, [2f], [1f]);
        Assert.Equal(1 - 0.1 - 0.1 / 1.5 / Math.Sqrt(5), block.Parameters[0], Tolerance);
    }

    [Fact]
    public void StepCountAndReset()
    {
        using var block = Block([1f]);
        var adam = new Adam();
        Run(adam, block, 0.1f, [1f], [1f]);
        Assert.Equal(2, adam.StepCount);
        adam.Reset(block);
        Assert.Equal(0, adam.StepCount);
        Assert.All(block.AllOptimizerState.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void BadSettingsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(momentum: 1.5f));
        Assert.Throws<ArgumentException>(() => new Sgd(nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: 1f));
        using var block = Block([1f]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd().Step(block, float.NaN));
    }
}
