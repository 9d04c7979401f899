using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.Inference;

public class InferencePlanFoldingTests
{
    // Folding changes the order of float operations (BN scale multiplied into W before the dot product instead of
    // after it); with unit-scale values and at most ~24-term dot products the difference stays near 1e-6 relative.
    private const float Tolerance = 1e-5f;

    [Fact]
    public void MlpFoldsToThreeFusedDenseSteps()
    {
        var folded = InferencePlanFolding.Fold(InferencePlans.Mlp());
        Assert.Collection(folded.Steps,
            s => Assert.Equal(ActivationKind.Relu, Assert.IsType<DenseStep>(s).Activation),    // Dense·BN, then ReLU fused
            s => Assert.Equal(ActivationKind.Relu, Assert.IsType<DenseStep>(s).Activation),    // ReLU blocks the BN after it...
            s => Assert.Equal(ActivationKind.Identity, Assert.IsType<DenseStep>(s).Activation)); // ...which folds forward
    }

    [Fact]
    public void FoldedPlanComputesTheUnfoldedFunction()
    {
        var plan = InferencePlans.Mlp();
        var folded = InferencePlanFolding.Fold(plan);
        const int batch = 7;
        var input = InferencePlans.Uniform(new Random(3), batch * plan.InputSize, 2f);
        InferencePlans.AssertClose(InferencePlans.Reference(plan, input, batch), InferencePlans.Reference(folded, input, batch), Tolerance);
    }

    [Fact]
    public void FoldingLeavesTheSourcePlanUntouched()
    {
        var plan = InferencePlans.Mlp();
        var before = ((DenseStep)plan.Steps[0]).Weights.ToArray();
        var beforeNext = ((DenseStep)plan.Steps[^1]).Weights.ToArray();
        InferencePlanFolding.Fold(plan);
        Assert.Equal(before, ((DenseStep)plan.Steps[0]).Weights);
        Assert.Equal(beforeNext, ((DenseStep)plan.Steps[^1]).Weights);
    }

    [Fact]
    public void BatchNormWithNoDenseAroundStaysAnAffineStep()
    {
        var rng = new Random(5);
        var plan = new InferencePlan(6,
        [
            InferencePlans.Dense(rng, 6, 4, ActivationKind.Relu),
            InferencePlans.BatchNorm(rng, 4),
            InferencePlans.BatchNorm(rng, 4),
            new ActivationStep(ActivationKind.Relu, 0f),
        ]);
        var folded = InferencePlanFolding.Fold(plan);
        Assert.Collection(folded.Steps,
            s => Assert.IsType<DenseStep>(s),
            s => Assert.Equal(4, Assert.IsType<AffineStep>(s).Features),   // the two batch norms composed into one
            s => Assert.IsType<ActivationStep>(s));
        var input = InferencePlans.Uniform(rng, 3 * 6, 2f);
        var expected = InferencePlans.Reference(plan, input, 3);
        using var model = InferenceModel.Freeze(plan);
        var output = new float[3 * 4];
        model.Predict(input, 3, output);
        InferencePlans.AssertClose(expected, output, Tolerance);
    }

    [Fact]
    public void OnlyIdentitiesLeaveOneIdentityStep()
    {
        var folded = InferencePlanFolding.Fold(new InferencePlan(3, [new IdentityStep("Dropout(0.5)"), new IdentityStep("Flatten")]));
        Assert.IsType<ActivationStep>(Assert.Single(folded.Steps));
        using var model = InferenceModel.Freeze(new InferencePlan(3, [new IdentityStep("Flatten")]));
        var output = new float[3];
        model.Predict([1f, -2f, 3f], output);
        Assert.Equal([1f, -2f, 3f], output);
    }

    [Fact]
    public void MismatchedWidthsAreRejected()
    {
        var rng = new Random(1);
        var e = Assert.Throws<ArgumentException>(() => new InferencePlan(5, [InferencePlans.Dense(rng, 4, 3, ActivationKind.Identity)]));
        Assert.Contains("takes 4 features, but 5 arrive", e.Message);
    }
}
