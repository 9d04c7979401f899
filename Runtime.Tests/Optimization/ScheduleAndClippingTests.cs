using Simd.Runtime.Optimization;

namespace Simd.Runtime.Tests.Optimization;

public sealed class ScheduleAndClippingTests
{
    [Fact]
    public void Constant() => Assert.Equal(0.1f, new ConstantLearningRate(0.1f).At(1000, 10));

    [Fact]
    public void StepDecay()
    {
        var s = new StepLearningRate(1f, stepSize: 10, gamma: 0.5f);
        Assert.Equal(1f, s.At(9, 100));
        Assert.Equal(0.5f, s.At(10, 100));
        Assert.Equal(0.25f, s.At(25, 100));
    }

    [Fact]
    public void CosineRunsFromRateTowardsMinimumLikeTorchCosineAnnealingLr()
    {
        // torch.optim.lr_scheduler.CosineAnnealingLR(T_max=10, eta_min=0.1) over an lr of 1: the rates of steps 0..9.
        var s = new CosineLearningRate(1f, 0.1f);
        Assert.Equal(1f, s.At(0, 10), 6);
        Assert.Equal(0.55f, s.At(5, 10), 6);
        Assert.Equal(0.1220246f, s.At(9, 10), 6);
        Assert.Equal(0.1f, s.At(10, 10), 6);

        // With no minimum, the last step of a run still trains.
        Assert.True(new CosineLearningRate(0.003f).At(1199, 1200) > 0f);
    }

    [Fact]
    public void LinearWarmup()
    {
        var s = new LinearWarmupLearningRate(new ConstantLearningRate(1f), 4);
        Assert.Equal([0.25f, 0.5f, 0.75f, 1f, 1f], Enumerable.Range(0, 5).Select(i => s.At(i, 100)).ToArray());
    }

    [Fact]
    public void ClipByGlobalNorm()
    {
        float[] g = [3f, 4f];
        float norm = GradientClipping.ClipByGlobalNorm(g, 1f);
        Assert.Equal(5f, norm);
        Assert.Equal(0.6, g[0], 1e-6);
        Assert.Equal(0.8, g[1], 1e-6);

        float[] small = [0.3f, 0.4f];
        GradientClipping.ClipByGlobalNorm(small, 1f);
        Assert.Equal([0.3f, 0.4f], small);
    }
}
