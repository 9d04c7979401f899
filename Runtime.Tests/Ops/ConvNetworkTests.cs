using Simd.Runtime.GradientChecking;
using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Optimization;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Graphs;
using Simd.Runtime.Tests.Training;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Ops;

/// <summary>Small convolutional networks through the whole runtime: gradients, training, freezing, model files.</summary>
internal static class ConvNetworks
{
    public const int Classes = 10;

    /// <summary>[1, 8, 8] → conv 1→4 3×3 pad 1 ReLU → max pool 2 → conv 4→6 3×3 → global average → flatten → dense 10.</summary>
    public static Model LeNet(int maxBatch, long seed = 5)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(1, 8, 8));
        var h = g.Single(new Conv2DOp(4, Window2D.Square(3, pad: 1), activation: ActivationKind.Relu), x);
        h = g.Single(new MaxPool2DOp(Window2D.Square(2, stride: 2)), h);
        h = g.Single(new Conv2DOp(6, Window2D.Square(3)), h);
        h = g.Single(new GlobalAveragePoolOp(), h);
        g.Output(g.Dense(g.Flatten(h), Classes));
        return g.Build(seed, maxBatch);
    }

    /// <summary>Every convolutional op once: strided auto-padded conv without bias, image batch norm, average pool, depthwise conv, global max.</summary>
    public static Model EveryOp(int maxBatch, long seed = 6)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(2, 9, 9));
        var h = g.Single(new Conv2DOp(4, new Window2D(3, 3, 2, 2, autoPad: AutoPad.SameUpper), bias: false), x);
        h = g.Activation(g.BatchNorm(h), ActivationKind.Tanh);   // smooth: the finite differences meet no kink but the max's
        h = g.Single(new AvgPool2DOp(Window2D.Square(2, stride: 2), countIncludePad: true, ceilMode: true), h);
        h = g.Single(new Conv2DOp(4, Window2D.Square(3, pad: 1), groups: 4, activation: ActivationKind.GeluErf), h);
        h = g.Single(new GlobalMaxPoolOp(), h);
        g.Output(g.Dense(g.Flatten(h), 3));
        return g.Build(seed, maxBatch);
    }
}

public sealed class ConvNetworkTests
{
    [Fact]
    public void LeNetBuildsWithTheShapesOfEachLayer()
    {
        using var model = ConvNetworks.LeNet(maxBatch: 4);
        Assert.Equal(["[4×8×8]", "[4×4×4]", "[6×2×2]", "[6×1×1]", "[6]", "[10]"],
            model.Graph.Nodes.Select(n => n.Outputs[0].SampleShape.ToString()));
        Assert.Equal(4 * 9 + 4 + 6 * 4 * 9 + 6 + 6 * 10 + 10, model.Graph.Nodes.Sum(n => n.Op.ParameterCount));
    }

    [Fact]
    public void LeNetGradientsMatchFiniteDifferences()
    {
        const int rows = 3;
        using var model = ConvNetworks.LeNet(maxBatch: rows);
        var x = TestModels.RandomArray(rows * 64, 21);
        int[] labels = [3, 0, 7];
        var result = GradientChecker.CheckModel(model, new SoftmaxCrossEntropyLoss(), x, rows, labels, default, step: 1e-3);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void EveryOpGradientsMatchFiniteDifferences()
    {
        const int rows = 4;
        using var model = ConvNetworks.EveryOp(maxBatch: rows);
        var x = TestModels.RandomArray(rows * 2 * 81, 22);
        var t = TestModels.RandomArray(rows * 3, 23);
        var result = GradientChecker.CheckModel(model, new MeanSquaredErrorLoss(), x, rows, default, t, step: 1e-3);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void LeNetTrainsOnRandomData()
    {
        using var model = ConvNetworks.LeNet(maxBatch: 16);
        var train = TestModels.Blobs(128, 64, ConvNetworks.Classes, seed: 31);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Epochs = 6, BatchSize = 16, Seed = 2, LearningRate = 0.01f });
        double before = trainer.Evaluate(train).Loss;
        trainer.Fit(train);
        double after = trainer.Evaluate(train).Loss;
        Assert.True(after < 0.7 * before, $"loss {before} before training, {after} after");
    }

    public static TheoryData<string> Networks() => new() { "lenet", "every-op" };

    [Theory]
    [MemberData(nameof(Networks))]
    public void FrozenSavedAndLoadedPredictAlike(string network)
    {
        const int rows = 9;
        using var model = network == "lenet" ? ConvNetworks.LeNet(maxBatch: 16) : ConvNetworks.EveryOp(maxBatch: 16);
        int features = model.InputSize, classes = model.OutputSize;
        var train = TestModels.Blobs(64, features, classes, seed: 32);
        new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Epochs = 2, BatchSize = 16, Seed = 3 }).Fit(train);
        var x = TestModels.RandomArray(rows * features, 33);
        var evaluation = new float[rows * classes];
        model.Predict(x, evaluation);

        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = 16 });
        // The passes fold and fuse only around Dense: every convolution and pooling is still there.
        Assert.Equal(model.Graph.Nodes.Count(n => n.Op is Conv2DOp or MaxPool2DOp or AvgPool2DOp or GlobalAveragePoolOp or GlobalMaxPoolOp),
            frozen.Graph.Nodes.Count(n => n.Op is Conv2DOp or MaxPool2DOp or AvgPool2DOp or GlobalAveragePoolOp or GlobalMaxPoolOp));
        var served = new float[rows * classes];
        frozen.Predict(x, rows, served);
        for (int i = 0; i < served.Length; i++)
            Assert.True(Math.Abs(served[i] - evaluation[i]) <= 1e-5 * (1 + Math.Abs(evaluation[i])), $"{network}: output {i} frozen {served[i]}, evaluated {evaluation[i]}");

        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "conv.model");
        model.Save(path);
        using var loaded = Model.Load(path);
        Assert.Equal(model.Graph.Nodes.Select(n => n.Op.ToString()), loaded.Graph.Nodes.Select(n => n.Op.ToString()));
        Assert.Equal(model.Parameters.Parameters.ToArray(), loaded.Parameters.Parameters.ToArray());
        Assert.Equal(model.Parameters.Buffers.ToArray(), loaded.Parameters.Buffers.ToArray());
        var reloaded = new float[rows * classes];
        loaded.Predict(x, reloaded);
        Assert.Equal(evaluation, reloaded);
        using var frozenLoaded = InferenceModel.Load(path, new InferenceOptions { MaxBatch = 16 });
        var servedLoaded = new float[rows * classes];
        frozenLoaded.Predict(x, rows, servedLoaded);
        Assert.Equal(served, servedLoaded);
    }
}

/// <summary>Warm training steps of a convolutional network allocate nothing (run alone: the counters are process-wide).</summary>
[Collection(nameof(GraphAllocationTests))]
public sealed class ConvNetworkAllocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TrainingStepAllocatesNothing(int threads)
    {
        const int rows = 16;
        using var model = ConvNetworks.LeNet(maxBatch: rows);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Threads = threads });
        var x = TestModels.RandomArray(rows * 64, 41);
        var labels = Enumerable.Range(0, rows).Select(i => i % ConvNetworks.Classes).ToArray();
        void Steps()
        {
            for (int i = 0; i < 3; i++) trainer.TrainBatch(x, rows, labels);
            trainer.TrainBatch(x.AsSpan(0, 7 * 64), 7, labels.AsSpan(0, 7));
        }
        Assert.Equal(0, threads == 1 ? Allocations.OnThisThread(Steps) : Allocations.InProcess(Steps));
    }

    [Fact]
    public void InferenceCallAllocatesNothing()
    {
        const int rows = 16;
        using var model = ConvNetworks.EveryOp(maxBatch: rows);
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = rows });
        var x = TestModels.RandomArray(rows * model.InputSize, 42);
        var output = new float[rows * model.OutputSize];
        void Calls()
        {
            for (int i = 0; i < 5; i++) frozen.Predict(x, rows, output);
            frozen.Predict(x.AsSpan(0, model.InputSize), output.AsSpan(0, model.OutputSize));
        }
        Assert.Equal(0, Allocations.OnThisThread(Calls));
    }
}
