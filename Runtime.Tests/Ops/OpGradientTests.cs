using Simd.Runtime.GradientChecking;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Tests.Training;

namespace Simd.Runtime.Tests.Ops;

/// <summary>
/// Finite-difference checks of every op and activation through whole (small) models. The forward pass runs in
/// float, so with step h the numeric gradient carries about ε_float·|L|/h ≈ 1e-5 of rounding noise: the tolerance is
/// 1e-4 absolute plus 1e-2 relative. Kinked activations (ReLU family, hard sigmoid/swish) would see a kink inside
/// ±h now and then, so their inputs are drawn away from the kinks' neighbourhood by the seed, and h is smaller.
/// </summary>
public sealed class OpGradientTests
{
    private const int Rows = 4;

    public static TheoryData<ActivationKind> AllActivations()
    {
        var data = new TheoryData<ActivationKind>();
        foreach (var kind in Enum.GetValues<ActivationKind>()) data.Add(kind);
        return data;
    }

    private static double StepFor(ActivationKind kind) => kind switch
    {
        ActivationKind.Relu or ActivationKind.LeakyRelu or ActivationKind.HardSigmoid or ActivationKind.HardSwish => 1e-3,
        _ => 1e-2,
    };

    private static void AssertPasses(Model model, Loss loss, int inputs, int outputs, double step = 1e-2, int seed = 3)
    {
        var x = TestModels.RandomArray(Rows * inputs, seed);
        var t = TestModels.RandomArray(Rows * outputs, seed + 1);
        var result = GradientChecker.CheckModel(model, loss, x, Rows, default, t, step);
        Assert.True(result.Passed, result.ToString());
    }

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void DenseWithFusedActivation(ActivationKind kind)
    {
        using var model = new ModelBuilder(5).Dense(6, kind).Dense(3).Build(seed: 11, maxBatch: Rows);
        Assert.Equal(kind, ((DenseOp)model.Nodes[0].Op).Activation);
        AssertPasses(model, new MeanSquaredErrorLoss(), 5, 3, StepFor(kind));
    }

    [Theory]
    [MemberData(nameof(AllActivations))]
    public void StandaloneActivationOp(ActivationKind kind)
    {
        // Flatten in front keeps the activation from folding into a Dense layer.
        using var model = new ModelBuilder(5).Flatten().Activation(kind).Dense(3).Build(seed: 12, maxBatch: Rows);
        Assert.IsType<ActivationOp>(model.Nodes[1].Op);
        AssertPasses(model, new MeanSquaredErrorLoss(), 5, 3, StepFor(kind));
    }

    [Fact]
    public void BuilderFoldsActivationAfterDense()
    {
        using var model = new ModelBuilder(4).Dense(3).Activation(ActivationKind.Tanh).Dense(2).Build();
        Assert.Equal(2, model.Nodes.Count);
        Assert.Equal(ActivationKind.Tanh, ((DenseOp)model.Nodes[0].Op).Activation);
    }

    [Fact]
    public void LeakyReluWithCustomSlope()
    {
        using var model = new ModelBuilder(5).Dense(6, ActivationKind.LeakyRelu, 0.2f).Dense(3).Build(seed: 13, maxBatch: Rows);
        AssertPasses(model, new MeanSquaredErrorLoss(), 5, 3, 1e-3);
    }

    [Fact]
    public void BatchNorm()
    {
        using var model = new ModelBuilder(5).Dense(6).BatchNorm().Dense(3, ActivationKind.Tanh).Build(seed: 14, maxBatch: Rows);
        AssertPasses(model, new MeanSquaredErrorLoss(), 5, 3);
    }

    [Fact]
    public void BatchNormFirst()
    {
        using var model = new ModelBuilder(5).BatchNorm().Dense(3).Build(seed: 15, maxBatch: Rows);
        AssertPasses(model, new MeanSquaredErrorLoss(), 5, 3);
    }

    [Fact]
    public void Dropout()
    {
        using var model = new ModelBuilder(5).Dense(8, ActivationKind.Tanh).Dropout(0.4f).Dense(3).Build(seed: 16, maxBatch: Rows);
        AssertPasses(model, new MeanSquaredErrorLoss(), 5, 3);
    }

    [Fact]
    public void FullMlpWithCrossEntropy()
    {
        using var model = new ModelBuilder(6).Dense(8, ActivationKind.GeluTanh).BatchNorm().Dropout(0.25f).Dense(4).Build(seed: 17, maxBatch: Rows);
        var x = TestModels.RandomArray(Rows * 6, 5);
        int[] labels = [0, 3, 1, 2];
        var result = GradientChecker.CheckModel(model, new SoftmaxCrossEntropyLoss(), x, Rows, labels, default);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void DetectsAWrongGradient()
    {
        using var model = new ModelBuilder(3).Dense(2).Build(seed: 18, maxBatch: Rows);
        var x = TestModels.RandomArray(Rows * 3, 6);
        var t = TestModels.RandomArray(Rows * 2, 7);
        // A loss whose gradient is off by a factor of two must fail.
        var result = GradientChecker.CheckModel(model, new ScaledGradientLoss(), x, Rows, default, t);
        Assert.False(result.Passed, result.ToString());
    }

    private sealed class ScaledGradientLoss : Loss
    {
        public override string Name => "wrong";

        protected override double ComputeCore(ReadOnlySpan<float> output, int rows, int cols, ReadOnlySpan<int> labels,
            ReadOnlySpan<float> targets, Span<float> gradient)
        {
            double value = new MeanSquaredErrorLoss().Compute(output, rows, cols, labels, targets, gradient);
            for (int i = 0; i < gradient.Length; i++) gradient[i] *= 2;
            return value;
        }
    }
}
