using Simd.Runtime.GradientChecking;
using Simd.Runtime.Losses;
using Simd.Runtime.Tests.Training;

namespace Simd.Runtime.Tests.Losses;

/// <summary>
/// Each loss against values worked by hand, and its fused gradient against central differences (the loss is
/// summed in double, but softmax runs in float: ~1e-7 relative noise in L over h = 1e-2 leaves ~1e-6 in the gradient,
/// and the O(h²) truncation term is of the same order, hence 1e-5 absolute + 1e-3 relative).
/// </summary>
public sealed class LossTests
{
    private const int Rows = 3, Cols = 4;

    private static readonly float[] Logits = TestModels.RandomArray(Rows * Cols, 21, 2.0);
    private static readonly int[] Labels = [2, 0, 3];
    private static readonly float[] Targets = TestModels.RandomArray(Rows * Cols, 22);
    private static readonly float[] BinaryTargets = [1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0];

    public static TheoryData<string> LossNames() => new() { "ce", "ce-smooth", "bce", "bce-labels", "hinge", "mse", "mse-labels", "l1", "huber", "huber-small" };

    private static (Loss Loss, int[] Labels, float[] Targets) Case(string name) => name switch
    {
        "ce" => (new SoftmaxCrossEntropyLoss(), Labels, []),
        "ce-smooth" => (new SoftmaxCrossEntropyLoss(0.1f), Labels, []),
        "bce" => (new SigmoidBinaryCrossEntropyLoss(), [], BinaryTargets),
        "bce-labels" => (new SigmoidBinaryCrossEntropyLoss(), Labels, []),
        "hinge" => (new MultiClassHingeLoss(), Labels, []),
        "mse" => (new MeanSquaredErrorLoss(), [], Targets),
        "mse-labels" => (new MeanSquaredErrorLoss(), Labels, []),
        "l1" => (new L1Loss(), [], Targets),
        "huber" => (new HuberLoss(), [], Targets),
        "huber-small" => (new HuberLoss(0.3f), [], Targets),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(LossNames))]
    public void GradientMatchesFiniteDifferences(string name)
    {
        var (loss, labels, targets) = Case(name);
        var result = GradientChecker.CheckLoss(loss, Logits, Rows, Cols, labels, targets);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void CrossEntropyByHand()
    {
        float[] x = [1f, 2f, 3f];
        var g = new float[3];
        double loss = new SoftmaxCrossEntropyLoss().Compute(x, 1, 3, [2], default, g);
        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal(-Math.Log(Math.Exp(3) / z), loss, 1e-6);
        Assert.Equal(Math.Exp(1) / z, g[0], 1e-6);
        Assert.Equal(Math.Exp(3) / z - 1, g[2], 1e-6);

        // Smoothing ε = 0.3 over 3 classes: q = (0.1, 0.1, 0.8).
        double smoothed = new SoftmaxCrossEntropyLoss(0.3f).Compute(x, 1, 3, [2], default, g);
        double expected = -(0.1 * Math.Log(Math.Exp(1) / z) + 0.1 * Math.Log(Math.Exp(2) / z) + 0.8 * Math.Log(Math.Exp(3) / z));
        Assert.Equal(expected, smoothed, 1e-6);
        Assert.Equal(Math.Exp(3) / z - 0.8, g[2], 1e-6);
    }

    [Fact]
    public void CrossEntropyStaysFiniteForHugeLogits()
    {
        float[] x = [1e30f, -1e30f, 0f];
        var g = new float[3];
        double loss = new SoftmaxCrossEntropyLoss().Compute(x, 1, 3, [1], default, g);
        Assert.True(double.IsFinite(loss) && loss > 1e29, loss.ToString());
        Assert.All(g, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void HingeMatchesMultiMarginLoss()
    {
        // x = (0.1, 0.2, 0.4, 0.8), y = 3: Σ_{j≠3} max(0, 1 − 0.8 + x_j) / 4 = (0.3 + 0.4 + 0.6) / 4 = 0.325 (PyTorch's documented example).
        float[] x = [0.1f, 0.2f, 0.4f, 0.8f];
        var g = new float[4];
        double loss = new MultiClassHingeLoss().Compute(x, 1, 4, [3], default, g);
        Assert.Equal(0.325, loss, 1e-6);
        Assert.Equal([0.25f, 0.25f, 0.25f, -0.75f], g);
    }

    [Fact]
    public void BinaryCrossEntropyByHand()
    {
        float[] x = [0f, 2f];
        float[] t = [1f, 0f];
        double loss = new SigmoidBinaryCrossEntropyLoss().Compute(x, 1, 2, default, t, default);
        Assert.Equal((Math.Log(2) + Math.Log(1 + Math.Exp(2))) / 2, loss, 1e-6);
        double extreme = new SigmoidBinaryCrossEntropyLoss().Compute([100f, -100f], 1, 2, default, [0f, 1f], default);
        Assert.Equal(100.0, extreme, 1e-4);
    }

    [Fact]
    public void RegressionLossesByHand()
    {
        float[] o = [1f, -2f, 0.5f, 3f];
        float[] t = [0f, 0f, 0f, 0f];
        Assert.Equal((1 + 4 + 0.25 + 9) / 4.0, new MeanSquaredErrorLoss().Compute(o, 2, 2, default, t, default), 1e-6);
        Assert.Equal((1 + 2 + 0.5 + 3) / 4.0, new L1Loss().Compute(o, 2, 2, default, t, default), 1e-6);
        // δ = 1: |1| → 0.5 (boundary belongs to the linear part, same value), 2 → 1.5, 0.5 → 0.125, 3 → 2.5.
        Assert.Equal((0.5 + 1.5 + 0.125 + 2.5) / 4.0, new HuberLoss().Compute(o, 2, 2, default, t, default), 1e-6);
    }

    [Fact]
    public void LabelOutOfRangeNamesClasses()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SoftmaxCrossEntropyLoss().Compute(new float[6], 2, 3, [1, 3], default, default));
        Assert.Contains("label 3", e.Message);
        Assert.Contains("[0, 2]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiClassHingeLoss().Compute(new float[3], 1, 3, [-1], default, default));
    }

    [Fact]
    public void ShapeMismatchNamesExpectedAndActual()
    {
        var e = Assert.Throws<ArgumentException>(() => new MeanSquaredErrorLoss().Compute(new float[6], 2, 3, default, new float[5], default));
        Assert.Contains("5", e.Message);
        Assert.Contains("6", e.Message);
        Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropyLoss().Compute(new float[6], 2, 3, [1], default, default));
        Assert.Throws<ArgumentException>(() => new SoftmaxCrossEntropyLoss().Compute(new float[6], 2, 3, default, new float[6], default));
    }
}
