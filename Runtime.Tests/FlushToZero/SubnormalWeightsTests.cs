using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Optimization;
using Simd.Runtime.Tests.Inference;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.FlushToZero;

using Subnormals = Simd.Runtime.Intrinsics.Subnormals;

/// <summary>
/// Subnormal weights and statistics are read as +0 when a model is loaded, imported or frozen, and training with
/// vanishing gradients leaves none in the parameters or the optimizer state.
/// </summary>
public class SubnormalWeightsTests
{
    private const float Tiny = 3e-39f;   // subnormal: below 2⁻¹²⁶ ≈ 1.18e-38

    private static Model Build() =>
        new ModelBuilder(6).Dense(8).BatchNorm().Activation(ActivationKind.Relu).Dense(3).Build(seed: 4, maxBatch: 4);

    /// <summary>Puts subnormals into weights, a bias, gamma, beta and the running statistics; returns the model.</summary>
    private static Model WithSubnormals()
    {
        var model = Build();
        var dense = model.Ops.OfType<DenseOp>().ToArray();
        var bn = model.Ops.OfType<BatchNormOp>().Single();
        dense[0].Weights[0] = Tiny;
        dense[0].Weights[5] = -Tiny;
        dense[1].Bias[2] = -float.Epsilon;
        bn.Gamma[1] = Tiny;
        bn.Beta[3] = -Tiny;
        bn.RunningMean[4] = Tiny;
        bn.RunningVariance[5] = 1 + Tiny;   // normal: unchanged
        return model;
    }

    /// <summary>The same model with +0 where <see cref="WithSubnormals"/> put subnormals.</summary>
    private static Model WithZeros()
    {
        var model = Build();
        var dense = model.Ops.OfType<DenseOp>().ToArray();
        var bn = model.Ops.OfType<BatchNormOp>().Single();
        dense[0].Weights[0] = 0;
        dense[0].Weights[5] = 0;
        dense[1].Bias[2] = 0;
        bn.Gamma[1] = 0;
        bn.Beta[3] = 0;
        bn.RunningMean[4] = 0;
        bn.RunningVariance[5] = 1 + Tiny;
        return model;
    }

    private static void AssertSameState(Model expected, Model actual)
    {
        InferencePlans.AssertBitwise(expected.Parameters.Parameters.ToArray(), actual.Parameters.Parameters.ToArray(), "parameters");
        InferencePlans.AssertBitwise(expected.Parameters.Buffers.ToArray(), actual.Parameters.Buffers.ToArray(), "running statistics");
    }

    [Fact]
    public void LoadingAModelFileFlushesSubnormalWeightsAndStatistics()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "tiny.simd");
        using (var model = WithSubnormals())
        {
            Assert.True(Subnormals.Count(model.Parameters.Parameters) > 0);
            model.Save(path);
        }
        using var loaded = Model.Load(path);
        using var zeros = WithZeros();
        AssertSameState(zeros, loaded);
        Assert.Equal(0, Subnormals.Count(loaded.Parameters.Parameters));
        Assert.Equal(0, Subnormals.Count(loaded.Parameters.Buffers));
    }

    [Fact]
    public void FreezingFlushesSubnormalsWithoutChangingTheTrainingModel()
    {
        using var model = WithSubnormals();
        using var zeros = WithZeros();
        float[] before = model.Parameters.Parameters.ToArray();
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = 4 });
        using var frozenZeros = InferenceModel.Freeze(zeros, new InferenceOptions { MaxBatch = 4 });
        InferencePlans.AssertBitwise(before, model.Parameters.Parameters.ToArray(), "the training model after freezing");

        var input = InferencePlans.Uniform(new Random(3), 4 * 6, 2f);
        var a = new float[4 * 3];
        var b = new float[4 * 3];
        frozen.Predict(input, 4, a);
        frozenZeros.Predict(input, 4, b);
        InferencePlans.AssertBitwise(b, a, "frozen with subnormals against frozen with zeros");
    }

    [Fact]
    public void FreezingFlushesEveryFrozenTensorAndLeavesTheModelAlone()
    {
        using var model = new ModelBuilder(2).Dense(2).Build();
        var dense = (DenseOp)model.Nodes[0].Op;
        float[] weights = [1, Tiny, -Tiny, 2], bias = [float.Epsilon, 1];
        weights.CopyTo(dense.Weights);
        bias.CopyTo(dense.Bias);
        using var frozen = InferenceModel.Freeze(model);
        var op = (DenseOp)Assert.Single(frozen.Graph.Nodes).Op;
        Assert.Equal([1f, 0f, 0f, 2f], op.Weights.ToArray());
        Assert.Equal([0f, 1f], op.Bias.ToArray());
        Assert.Equal(weights, dense.Weights.ToArray());   // the trained model's own tensors are left alone
    }

    [Fact]
    public void OnnxImportFlushesSubnormalInitializers()
    {
        float[] w = [0.5f, Tiny, -1, 2, -Tiny, 0.25f], b = [float.Epsilon, 1], gamma = [1, Tiny], beta = [-Tiny, 0], mean = [Tiny, 0], variance = [1, 2];
        byte[] bytes = OnnxWriter.Model(
            [
                OnnxWriter.Node("Gemm", ["x", "w", "b"], ["h"]),
                OnnxWriter.Node("BatchNormalization", ["h", "gamma", "beta", "mean", "var"], ["y"]),
            ],
            [
                OnnxWriter.Tensor("w", [3, 2], w), OnnxWriter.Tensor("b", [2], b), OnnxWriter.Tensor("gamma", [2], gamma), OnnxWriter.Tensor("beta", [2], beta),
                OnnxWriter.Tensor("mean", [2], mean), OnnxWriter.Tensor("var", [2], variance),
            ],
            [OnnxWriter.Value("x", [null, 3])],
            [OnnxWriter.Value("y", [null, 2])]);
        using Model model = OnnxImporter.Import(bytes).Model;
        var dense = model.Ops.OfType<DenseOp>().Single();
        var bn = model.Ops.OfType<BatchNormOp>().Single();
        Assert.Equal([0.5f, 0f, -1f, 2f, 0f, 0.25f], dense.Weights.ToArray());
        Assert.Equal([0f, 1f], dense.Bias.ToArray());
        Assert.Equal([1f, 0f], bn.Gamma.ToArray());
        Assert.Equal([0f, 0f], bn.Beta.ToArray());
        Assert.Equal([0f, 0f], bn.RunningMean.ToArray());
        Assert.Equal([1f, 2f], bn.RunningVariance.ToArray());
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void TrainingOneBatchUntilItsGradientsVanishLeavesNoSubnormals(string optimizerName)
    {
        // The perf step's case, small: one batch fitted over and over. Its loss reaches 0, every gradient vanishes,
        // and momentum 0.9 (SGD's velocity, Adam's m) decays from order one through 2⁻¹²⁶ in about 830 steps, where,
        // unflushed, it would stick at the smallest subnormal for good.
        using var model = new ModelBuilder(20).Dense(32, ActivationKind.Relu).Dense(4).Build(seed: 2, maxBatch: 1);
        Optimizer optimizer = optimizerName == "sgd" ? new Sgd(momentum: 0.9f) : new Adam();
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), optimizer, new TrainerOptions { LearningRate = optimizerName == "sgd" ? 0.1f : 0.01f });
        var random = new Random(8);
        float[] input = Enumerable.Range(0, 20).Select(_ => (float)random.NextDouble()).ToArray();
        int[] label = [1];
        var block = model.Parameters;
        int zerosAfterFirstStep = 0;
        for (int step = 1; step <= 1200; step++)
        {
            trainer.TrainBatch(input, 1, label);
            if (step == 1) zerosAfterFirstStep = block.OptimizerState(0).ToArray().Count(x => x == 0);
            if (step % 100 != 0) continue;
            Assert.Equal(0, Subnormals.Count(block.Parameters));
            Assert.Equal(0, Subnormals.Count(block.OptimizerState(0)));
            Assert.Equal(0, Subnormals.Count(block.OptimizerState(1)));
        }
        // The run did reach the case: momenta that were not zero decayed to exactly zero, which unflushed they never
        // do (0.9 times the smallest subnormal rounds back to it).
        Assert.True(block.OptimizerState(0).ToArray().Count(x => x == 0) > zerosAfterFirstStep);
    }
}
