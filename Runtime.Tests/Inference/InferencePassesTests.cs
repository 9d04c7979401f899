using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Inference;

public class InferencePassesTests
{
    // Folding changes the order of float operations (BN scale multiplied into W before the dot product instead of
    // after it); with unit-scale values and at most ~24-term dot products the difference stays near 1e-6 relative.
    private const float Tolerance = 1e-5f;

    [Fact]
    public void MlpFoldsToThreeFusedDenseNodes()
    {
        using var model = InferencePlans.Mlp();
        using var frozen = InferenceModel.Freeze(model);
        Assert.Collection(frozen.Graph.Nodes,
            n => Assert.Equal(ActivationKind.Relu, Assert.IsType<DenseOp>(n.Op).Activation),    // Dense·BN, then ReLU fused
            n => Assert.Equal(ActivationKind.Relu, Assert.IsType<DenseOp>(n.Op).Activation),    // ReLU blocks the BN after it...
            n => Assert.Equal(ActivationKind.Identity, Assert.IsType<DenseOp>(n.Op).Activation)); // ...which folds forward
    }

    [Fact]
    public void FrozenGraphComputesTheUnfoldedFunction()
    {
        using var model = InferencePlans.Mlp();
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = 8 });
        const int batch = 7;
        var input = InferencePlans.Uniform(new Random(3), batch * model.InputSize, 2f);
        var output = new float[batch * frozen.OutputSize];
        frozen.Predict(input, batch, output);
        InferencePlans.AssertClose(InferencePlans.Reference(model, input, batch), output, Tolerance);
    }

    [Fact]
    public void FreezingLeavesTheTrainedModelUntouched()
    {
        using var model = InferencePlans.Mlp();
        var before = model.Parameters.Parameters.ToArray();
        var buffers = model.Parameters.Buffers.ToArray();
        using (InferenceModel.Freeze(model)) { }
        Assert.Equal(before, model.Parameters.Parameters.ToArray());
        Assert.Equal(buffers, model.Parameters.Buffers.ToArray());
    }

    [Fact]
    public void BatchNormWithNoDenseAroundStaysABatchNormNode()
    {
        using var model = new ModelBuilder(6).Dense(4, ActivationKind.Relu).BatchNorm().BatchNorm().Activation(ActivationKind.Relu).Build(5);
        InferencePlans.Randomize(model, 5);
        using var frozen = InferenceModel.Freeze(model);
        Assert.Collection(frozen.Graph.Nodes,
            n => Assert.IsType<DenseOp>(n.Op),
            n => Assert.IsType<BatchNormOp>(n.Op),
            n => Assert.IsType<BatchNormOp>(n.Op),
            n => Assert.IsType<ActivationOp>(n.Op));
        var input = InferencePlans.Uniform(new Random(5), 3 * 6, 2f);
        var output = new float[3 * 4];
        frozen.Predict(input, 3, output);
        InferencePlans.AssertClose(InferencePlans.Reference(model, input, 3), output, Tolerance);
    }

    [Fact]
    public void OnlyIdentitiesLeaveOneIdentityNode()
    {
        using var model = new ModelBuilder(3).Dropout(0.5f).Flatten().Build();
        using var frozen = InferenceModel.Freeze(model);
        Assert.Equal(ActivationKind.Identity, Assert.IsType<ActivationOp>(Assert.Single(frozen.Graph.Nodes).Op).Activation);
        var output = new float[3];
        frozen.Predict([1f, -2f, 3f], output);
        Assert.Equal([1f, -2f, 3f], output);
    }

    [Fact]
    public void ABatchNormFoldsBackIntoItsDenseEvenWhenItFeedsTwoNodes()
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(5));
        var bn = g.BatchNorm(g.Dense(x, 4));
        g.Output(g.Add(g.Dense(bn, 4), bn));
        using var model = g.Build(seed: 2);
        InferencePlans.Randomize(model, 2);
        using var frozen = InferenceModel.Freeze(model);
        Assert.DoesNotContain(frozen.Graph.Nodes, n => n.Op is BatchNormOp);
        var input = InferencePlans.Uniform(new Random(2), 2 * 5, 1f);
        var expected = new float[2 * 4];
        model.Predict(input, expected);
        var output = new float[2 * 4];
        frozen.Predict(input, 2, output);
        InferencePlans.AssertClose(expected, output, Tolerance);
    }

    [Fact]
    public void AFlattenOfTheCallersInputIsAViewThatNeverWritesIt()
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(2, 3, 4));
        g.Output(g.Dense(g.Flatten(x), 5));
        using var model = g.Build(seed: 3);
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = 4 });
        Assert.IsType<FlattenOp>(frozen.Graph.Nodes[0].Op);
        var input = InferencePlans.Uniform(new Random(3), 4 * 24, 1f);
        var copy = input.ToArray();
        var expected = new float[4 * 5];
        model.Predict(input, expected);
        var output = new float[4 * 5];
        frozen.Predict(input, 4, output);
        Assert.Equal(copy, input);
        InferencePlans.AssertClose(expected, output, Tolerance);
    }

    [Fact]
    public void AReshapeThatIsTheGraphsOutputCopiesIntoTheCallersBuffer()
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(6));
        g.Output(g.Reshape(g.Dense(x, 6, ActivationKind.Relu), 2, -1));
        using var model = g.Build(seed: 4);
        using var frozen = InferenceModel.Freeze(model);
        var input = InferencePlans.Uniform(new Random(4), 6, 1f);
        var expected = new float[6];
        model.Predict(input, expected);
        var output = new float[6];
        frozen.Predict(input, output);
        Assert.Equal(expected, output);
    }
}
