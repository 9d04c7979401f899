using Simd.Runtime.Data;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Training;

/// <summary>A NaN during training names where in the run it happened, at which rate, and what to try.</summary>
public class DivergenceTests
{
    /// <summary>20 samples, the seventh poisoned: in batches of 4 without shuffling it is in step 2 of epoch 1.</summary>
    private static Dataset Poisoned()
    {
        Dataset clean = TestModels.Blobs(20, 8, 3, seed: 2);
        float[] x = clean.Features.ToArray();
        x[6 * 8 + 3] = float.NaN;
        return new Dataset("poisoned", x, 8, clean.Labels!, 3);
    }

    private static Trainer NewTrainer(Model model, bool checkFinite) =>
        new(model, new SoftmaxCrossEntropyLoss(), new Sgd(),
            new TrainerOptions { Epochs = 2, BatchSize = 4, Shuffle = false, LearningRate = 0.05f, CheckFinite = checkFinite });

    [Fact]
    public void ANonFiniteLossNamesTheEpochTheStepAndTheLearningRate()
    {
        using var model = new ModelBuilder(8).Dense(16, ActivationKind.Relu).Dense(3).Build(seed: 1);

        var e = Assert.Throws<NonFiniteValueException>(() => NewTrainer(model, checkFinite: false).Fit(Poisoned()));

        Assert.Equal("loss", e.Where);
        Assert.Equal(1, e.Epoch);
        Assert.Equal(2, e.Step);
        Assert.Equal(5, e.StepsPerEpoch);
        Assert.Equal(0.05f, e.LearningRate);
        Assert.False(e.IsInInput);
        Assert.StartsWith("Training diverged in epoch 1, step 2 of 5 (learning rate 0.05): the loss is NaN.", e.Message);
        Assert.Contains("lower learning rate", e.Message);
        Assert.DoesNotContain("row 0 column 0", e.Message);
    }

    [Fact]
    public void ANonFiniteInputIsBlamedOnTheData()
    {
        using var model = new ModelBuilder(8).Dense(16, ActivationKind.Relu).Dense(3).Build(seed: 1);

        var e = Assert.Throws<NonFiniteValueException>(() => NewTrainer(model, checkFinite: true).Fit(Poisoned()));

        Assert.True(e.IsInInput);
        Assert.Equal((1, 2, 2, 3), (e.Epoch, e.Step, e.Row, e.Column));
        Assert.StartsWith("The training data holds NaN (batch row 2, feature 3) in epoch 1, step 2 of 5", e.Message);
    }

    [Fact]
    public void AStepOutsideFitSaysWhatItKnows()
    {
        using var model = new ModelBuilder(2).Dense(2).Build(seed: 1);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd(), new TrainerOptions { LearningRate = 0.1f });

        var e = Assert.Throws<NonFiniteValueException>(() => trainer.TrainBatch([float.NaN, 1f], 1, [0]));

        Assert.Equal(0, e.Epoch);
        Assert.Equal(0.1f, e.LearningRate);
        Assert.StartsWith("Training diverged in a step at learning rate 0.1: the loss is NaN.", e.Message);
    }
}
