using Simd.Models.Experiments;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Experiments;

public sealed class ExperimentTrainingTests
{
    [Fact]
    public void ARunThatDivergesEndsItsCurvesInsteadOfTheExperiment()
    {
        ExperimentData data = ExperimentData.Load(quick: true);
        using var model = ExperimentTraining.Mlp(data, [32], ActivationKind.Relu, 8);
        var points = ExperimentTraining.Run(model, data, new Sgd(), new TrainerOptions { Epochs = 3, BatchSize = 8, LearningRate = 10f },
                                            watchValidation: false, CancellationToken.None, out int? diverged, out TrainingHistory? history);
        Assert.Equal(1, diverged);
        Assert.Empty(points);
        Assert.Null(history);
    }

    [Fact]
    public void EveryEpochIsMeasuredWithItsSamplesIterationsAndTime()
    {
        ExperimentData data = ExperimentData.Load(quick: true);
        using var model = ExperimentTraining.Mlp(data, [16], ActivationKind.Relu, 100);
        var points = ExperimentTraining.Run(model, data, new Sgd(), new TrainerOptions { Epochs = 2, BatchSize = 100, LearningRate = 0.05f },
                                            watchValidation: true, CancellationToken.None, out int? diverged, out TrainingHistory? history);
        Assert.Null(diverged);
        Assert.Equal(2, history!.Epochs.Count);
        Assert.Equal([1, 2], points.Select(p => p.Epoch));
        Assert.Equal(2L * data.Train.Count, points[1].Samples);
        Assert.Equal(2L * ((data.Train.Count + 99) / 100), points[1].Iterations);
        Assert.True(points[1].Seconds > points[0].Seconds);
        Assert.All(points, p => Assert.InRange(p.TestAccuracy, 0, 1));
        Assert.All(points, p => Assert.False(double.IsNaN(p.ValidationLoss)));
    }

    [Fact]
    public void ARunWithoutValidationWatchMeasuresTheValidationSplitOutsideTheClock()
    {
        ExperimentData data = ExperimentData.Load(quick: true);
        using var model = ExperimentTraining.Mlp(data, [16], ActivationKind.Relu, 100);
        var points = ExperimentTraining.Run(model, data, new Sgd(), new TrainerOptions { Epochs = 2, BatchSize = 100, LearningRate = 0.05f },
                                            watchValidation: false, CancellationToken.None, out _, out _);
        Assert.All(points, p => Assert.InRange(p.ValidationAccuracy, 0, 1));
    }

    [Fact]
    public void ATimeBudgetEndsTheRunAndMeasuresAtEachCheckpoint()
    {
        ExperimentData data = ExperimentData.Load(quick: true);
        using var model = ExperimentTraining.Mlp(data, [16], ActivationKind.Relu, 4);
        double[] checkpoints = [0.01, 0.02, 0.04];
        var points = ExperimentTraining.RunForTime(model, data, new Sgd(), new TrainerOptions { BatchSize = 4, LearningRate = 0.05f }, 0.04, checkpoints,
                                                   CancellationToken.None, out int? diverged);
        Assert.Null(diverged);
        Assert.InRange(points.Count, 1, checkpoints.Length);
        Assert.True(points[^1].Seconds >= 0.04, "the run trains until the budget is spent");
        Assert.True(points[^1].Seconds < 5, "and stops soon after");
        for (int i = 1; i < points.Count; i++)
        {
            Assert.True(points[i].Seconds > points[i - 1].Seconds);
            Assert.True(points[i].Samples > points[i - 1].Samples);
        }
        // Full batches of four, except each epoch's last (the training set is not a multiple of four).
        Assert.All(points, p => Assert.InRange(p.Samples, 3 * p.Iterations, 4 * p.Iterations));
        Assert.All(points, p => Assert.InRange(p.TestAccuracy, 0, 1));
    }

    [Fact]
    public void ATimeBudgetRunThatDivergesSaysInWhichEpoch()
    {
        ExperimentData data = ExperimentData.Load(quick: true);
        using var model = ExperimentTraining.Mlp(data, [32], ActivationKind.Relu, 8);
        ExperimentTraining.RunForTime(model, data, new Sgd(), new TrainerOptions { BatchSize = 8, LearningRate = 10f }, 60, [60], CancellationToken.None, out int? diverged);
        Assert.Equal(1, diverged);
    }
}
