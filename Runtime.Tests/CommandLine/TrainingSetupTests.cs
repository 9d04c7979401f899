using Simd.Models.Training;
using Simd.Runtime.Data;
using Simd.Runtime.Ops;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;

namespace Simd.Runtime.Tests.CommandLine;

public sealed class TrainingSetupTests
{
    private static TrainingData Data(bool binary)
    {
        var features = new float[40 * 3];
        Dataset train = binary
            ? new Dataset("b", features, 3, Enumerable.Range(0, 40).Select(i => (float)(i % 2)).ToArray(), 1)
            : new Dataset("m", features, 3, Enumerable.Range(0, 40).Select(i => i % 4).ToArray(), 4);
        return new TrainingData(train.Name, train, null, train, FeatureScaler.Fit(train, FeatureScaling.None));
    }

    [Fact]
    public void HiddenLayersWithBatchNormActivationAndDropoutThenTheOutput()
    {
        var options = new TrainOptions { Layers = [8, 5], Dropout = 0.2f, BatchNorm = true };
        using Model model = TrainingSetup.BuildModel(options, Data(binary: false));

        Assert.Equal(
            [typeof(DenseOp), typeof(BatchNormOp), typeof(ActivationOp), typeof(DropoutOp),
             typeof(DenseOp), typeof(BatchNormOp), typeof(ActivationOp), typeof(DropoutOp), typeof(DenseOp)],
            model.Ops.Select(l => l.GetType()));
        Assert.Equal(3, model.InputSize);
        Assert.Equal(4, model.OutputSize);
    }

    [Fact]
    public void WithoutBatchNormTheActivationFoldsIntoDenseAndABinaryTargetHasOneOutput()
    {
        var options = new TrainOptions { Layers = [6], Dropout = 0, BatchNorm = false };
        using Model model = TrainingSetup.BuildModel(options, Data(binary: true));

        Assert.Equal([typeof(DenseOp), typeof(DenseOp)], model.Ops.Select(l => l.GetType()));
        Assert.Equal(1, model.OutputSize);
    }

    [Fact]
    public void LossFollowsTheDataUnlessChosen()
    {
        var auto = Assert.IsType<SoftmaxCrossEntropyLoss>(TrainingSetup.CreateLoss(LossChoice.Auto, null, binary: false, "d"));
        Assert.Equal(TrainChoices.DefaultLabelSmoothing, auto.LabelSmoothing);
        Assert.Equal(0f, Assert.IsType<SoftmaxCrossEntropyLoss>(TrainingSetup.CreateLoss(LossChoice.CrossEntropy, 0f, false, "d")).LabelSmoothing);
        Assert.IsType<SigmoidBinaryCrossEntropyLoss>(TrainingSetup.CreateLoss(LossChoice.Auto, null, binary: true, "d"));
        Assert.IsType<MultiClassHingeLoss>(TrainingSetup.CreateLoss(LossChoice.Hinge, null, false, "d"));
        Assert.IsType<HuberLoss>(TrainingSetup.CreateLoss(LossChoice.Huber, null, true, "d"));
    }

    [Fact]
    public void LossThatCannotTrainTheDataIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => TrainingSetup.CreateLoss(LossChoice.Hinge, null, binary: true, "cancer"));
        Assert.Contains("--loss bce", e.Message);
        Assert.Throws<ArgumentException>(() => TrainingSetup.CreateLoss(LossChoice.MeanSquaredError, 0.1f, false, "d"));
    }

    [Theory]
    [InlineData(OptimizerChoice.Sgd, typeof(Sgd))]
    [InlineData(OptimizerChoice.Momentum, typeof(Sgd))]
    [InlineData(OptimizerChoice.Nesterov, typeof(Sgd))]
    [InlineData(OptimizerChoice.Adam, typeof(Adam))]
    [InlineData(OptimizerChoice.AdamW, typeof(AdamW))]
    [InlineData(OptimizerChoice.RmsProp, typeof(RmsProp))]
    [InlineData(OptimizerChoice.Adagrad, typeof(Adagrad))]
    public void OptimizerChoices(OptimizerChoice choice, Type expected)
    {
        Optimizer optimizer = TrainingSetup.CreateOptimizer(new TrainOptions { Optimizer = choice, WeightDecay = 0.001f });
        Assert.IsType(expected, optimizer);
        if (optimizer is Sgd sgd)
        {
            Assert.Equal(choice == OptimizerChoice.Sgd ? 0f : 0.9f, sgd.Momentum);
            Assert.Equal(choice == OptimizerChoice.Nesterov, sgd.Nesterov);
            Assert.Equal(0.001f, sgd.WeightDecay);
        }
    }

    [Fact]
    public void AdamWHasItsOwnDefaultDecay()
    {
        Assert.Equal(0.01f, Assert.IsType<AdamW>(TrainingSetup.CreateOptimizer(new TrainOptions { Optimizer = OptimizerChoice.AdamW })).WeightDecay);
    }

    [Fact]
    public void SchedulesCountEpochsInSteps()
    {
        var step = Assert.IsType<StepLearningRate>(TrainingSetup.CreateSchedule(
            new TrainOptions { Schedule = ScheduleChoice.Step, StepEpochs = 3, Gamma = 0.5f, LearningRate = 0.2f }, batchesPerEpoch: 10));
        Assert.Equal(30, step.StepSize);
        Assert.Equal(0.1f, step.At(30, 100), 6);

        var byDefault = Assert.IsType<StepLearningRate>(TrainingSetup.CreateSchedule(
            new TrainOptions { Schedule = ScheduleChoice.Step, Epochs = 30 }, batchesPerEpoch: 4));
        Assert.Equal(40, byDefault.StepSize);

        var warmup = Assert.IsType<LinearWarmupLearningRate>(TrainingSetup.CreateSchedule(
            new TrainOptions { Schedule = ScheduleChoice.Warmup, WarmupEpochs = 2 }, batchesPerEpoch: 7));
        Assert.Equal(14, warmup.WarmupSteps);
        Assert.IsType<CosineLearningRate>(warmup.Inner);

        Assert.IsType<ConstantLearningRate>(TrainingSetup.CreateSchedule(new TrainOptions { Schedule = ScheduleChoice.Constant }, 5));
    }
}
