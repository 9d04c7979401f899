using Simd.Runtime.GradientChecking;
using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Training;

namespace Simd.Runtime.Tests.Graphs;

/// <summary>A residual convolutional block written with the builder's helpers, as a small ResNet stage is.</summary>
public sealed class ResidualConvBlockTests
{
    private static Model Block(int maxBatch)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(1, 6, 6));
        var stem = g.Conv2D(x, 4, kernel: 3, pad: 1, activation: ActivationKind.Tanh);
        var f = g.BatchNorm(g.Conv2D(g.Conv2D(stem, 4, kernel: 3, pad: 1, activation: ActivationKind.Tanh), 4, kernel: 3, pad: 1));
        var joined = g.Activation(g.Add(stem, f), ActivationKind.Tanh);
        var pooled = g.GlobalAveragePool(g.AvgPool(joined, kernel: 2));
        g.Output(g.Dense(g.Flatten(pooled), 3));
        return g.Build(seed: 5, maxBatch: maxBatch);
    }

    [Fact]
    public void TheBlockGradientChecksAndFreezesToItsEvaluation()
    {
        const int rows = 3;
        using var model = Block(rows);
        Assert.Equal(["[4×6×6]", "[4×6×6]", "[4×6×6]", "[4×6×6]", "[4×6×6]", "[4×6×6]", "[4×3×3]", "[4×1×1]", "[4]", "[3]"],
            model.Graph.Nodes.Select(n => n.Outputs[0].SampleShape.ToString()));
        var x = TestModels.RandomArray(rows * 36, 31);
        var result = GradientChecker.CheckModel(model, new SoftmaxCrossEntropyLoss(), x, rows, [2, 0, 1], default, step: 1e-3);
        Assert.True(result.Passed, result.ToString());

        var expected = new float[rows * 3];
        model.Predict(x, expected);
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = rows });
        var output = new float[rows * 3];
        frozen.Predict(x, rows, output);
        for (int i = 0; i < output.Length; i++) Assert.Equal(expected[i], output[i], 1e-5f);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ConvolutionBatchNormAndActivationFreezeToOneConvolution(bool bias)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(2, 5, 5));
        var h = g.Activation(g.BatchNorm(g.Conv2D(x, 3, kernel: 3, pad: 1, bias: bias)), ActivationKind.Relu);
        g.Output(g.Dense(g.Flatten(h), 4));
        using var model = g.Build(seed: 9, maxBatch: 4);
        var bn = model.Ops.OfType<BatchNormOp>().Single();
        var rng = new Random(9);
        for (int c = 0; c < 3; c++)
        {
            bn.Gamma[c] = 0.5f + (float)rng.NextDouble();
            bn.Beta[c] = (float)rng.NextDouble() - 0.5f;
            bn.RunningMean[c] = (float)rng.NextDouble() - 0.5f;
            bn.RunningVariance[c] = 0.3f + (float)rng.NextDouble();
        }
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = 4 });
        var conv = Assert.IsType<Conv2DOp>(frozen.Graph.Nodes[0].Op);
        Assert.Equal(ActivationKind.Relu, conv.Activation);
        Assert.DoesNotContain(frozen.Graph.Nodes, n => n.Op is BatchNormOp or ActivationOp);

        var input = TestModels.RandomArray(4 * 50, 10);
        var expected = new float[4 * 4];
        model.Predict(input, expected);
        var output = new float[4 * 4];
        frozen.Predict(input, 4, output);
        for (int i = 0; i < output.Length; i++) Assert.Equal(expected[i], output[i], 1e-5f);
    }
}
