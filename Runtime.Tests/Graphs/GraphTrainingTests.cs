using Simd.Runtime.GradientChecking;
using Simd.Runtime.Inference;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Tests.Training;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Graphs;

/// <summary>Networks that are no chain train, back-propagate exactly, freeze, save and load.</summary>
public sealed class GraphTrainingTests
{
    private const int Inputs = 8, Classes = 3;

    public static TheoryData<string> Networks() => new() { "residual", "two-branch", "three-consumers" };

    private static Model Create(string name, int maxBatch = 32) => name switch
    {
        "residual" => GraphNetworks.Residual(Inputs, 16, Classes, maxBatch: maxBatch),
        "two-branch" => GraphNetworks.TwoBranch(Inputs, Classes, maxBatch: maxBatch),
        _ => GraphNetworks.ThreeConsumers(Inputs, Classes, maxBatch: maxBatch),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void LossFalls(string network)
    {
        using var model = Create(network);
        var train = TestModels.Blobs(256, Inputs, Classes, seed: 11);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Epochs = 8, BatchSize = 32, Seed = 2, LearningRate = 0.01f });
        double before = trainer.Evaluate(train).Loss;
        trainer.Fit(train);
        double after = trainer.Evaluate(train).Loss;
        Assert.True(after < 0.5 * before, $"{network}: loss {before} before training, {after} after");
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void WholeNetworkGradientCheck(string network)
    {
        const int rows = 5;
        using var model = Create(network, maxBatch: rows);
        var x = TestModels.RandomArray(rows * Inputs, 3);
        var t = TestModels.RandomArray(rows * Classes, 4);
        // A smaller step than the default: batch norm over five rows bends sharply, and 1e-2 would measure the bend.
        var result = GradientChecker.CheckModel(model, new MeanSquaredErrorLoss(), x, rows, default, t, step: 3e-3);
        Assert.True(result.Passed, $"{network}: {result}");
        int[] labels = [0, 2, 1, 1, 0];
        result = GradientChecker.CheckModel(model, new SoftmaxCrossEntropyLoss(), x, rows, labels, default, step: 3e-3);
        Assert.True(result.Passed, $"{network} (cross-entropy): {result}");
    }

    /// <summary>
    /// A value read three times: the gradient arriving at it is the sum of three (the first writer overwrites, two
    /// add), checked against differences at the value itself through the input of the Dense that makes it.
    /// </summary>
    [Fact]
    public void AValueReadThreeTimesSumsItsGradients()
    {
        const int rows = 4;
        using var model = GraphNetworks.ThreeConsumers(Inputs, Classes, maxBatch: rows);
        var a = model.Graph.Nodes[0].Outputs[0];
        Assert.Equal(3, a.Consumers.Count);
        var x = TestModels.RandomArray(rows * Inputs, 7);
        var t = TestModels.RandomArray(rows * Classes, 8);
        var result = GradientChecker.CheckModel(model, new MeanSquaredErrorLoss(), x, rows, default, t, step: 1e-2, absoluteTolerance: 1e-4, relativeTolerance: 5e-3);
        Assert.True(result.Passed, result.ToString());
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void FrozenSavedAndLoadedPredictAlike(string network)
    {
        const int rows = 19;
        using var model = Create(network);
        var train = TestModels.Blobs(128, Inputs, Classes, seed: 12);
        new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 3 }).Fit(train);
        var x = TestModels.RandomArray(rows * Inputs, 9);
        var evaluation = new float[rows * Classes];
        model.Predict(x, evaluation);

        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = 32 });
        var served = new float[rows * Classes];
        frozen.Predict(x, rows, served);
        for (int i = 0; i < served.Length; i++)
            Assert.True(Math.Abs(served[i] - evaluation[i]) <= 1e-5 * (1 + Math.Abs(evaluation[i])), $"{network}: output {i} frozen {served[i]}, evaluated {evaluation[i]}");

        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "graph.model");
        model.Save(path);
        using var loaded = Model.Load(path);
        Assert.Equal(model.Graph.Nodes.Select(n => n.Op.ToString()), loaded.Graph.Nodes.Select(n => n.Op.ToString()));
        Assert.Equal(model.Parameters.Parameters.ToArray(), loaded.Parameters.Parameters.ToArray());
        Assert.Equal(model.Parameters.Buffers.ToArray(), loaded.Parameters.Buffers.ToArray());
        var reloaded = new float[rows * Classes];
        loaded.Predict(x, reloaded);
        Assert.Equal(evaluation, reloaded);
        using var frozenLoaded = InferenceModel.Load(path, new InferenceOptions { MaxBatch = 32 });
        var servedLoaded = new float[rows * Classes];
        frozenLoaded.Predict(x, rows, servedLoaded);
        Assert.Equal(served, servedLoaded);
    }
}
