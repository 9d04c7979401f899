using Simd.Runtime.Data;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests;

/// <summary>The library example of README.md, kept compiling and true.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void TrainsFreezesAndPredicts()
    {
        // --- README example begins
        DatasetSplit split = DatasetRegistry.Get("digits").LoadSplit(testFraction: 0.2, seed: 1);
        var scaler = FeatureScaler.Fit(split.Train, FeatureScaling.Standardize);
        scaler.Transform(split.Train);
        scaler.Transform(split.Test);

        using Model model = new ModelBuilder(split.Train.FeatureCount)
            .Dense(128, ActivationKind.Relu).BatchNorm().Dropout(0.1f)
            .Dense(split.Train.ClassCount)
            .Build(seed: 1, maxBatch: 32);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(),
            new TrainerOptions { Epochs = 20, BatchSize = 32, LearningRate = 0.003f });
        trainer.Fit(split.Train);
        double accuracy = trainer.Evaluate(split.Test).Accuracy;

        using InferenceModel frozen = InferenceModel.Freeze(model);
        int label = frozen.PredictClass(split.Test.Sample(0));
        // --- README example ends

        Assert.True(accuracy >= 0.95, $"accuracy {accuracy}");
        Assert.InRange(label, 0, 9);
    }
}
