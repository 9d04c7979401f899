using Simd.Runtime.Inference;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Training;

/// <summary>Trained convolutional networks through a model file: the same graph, tensors and outputs, for training and serving.</summary>
public sealed class ConvNetworkModelFileTests
{
    private const int Rows = 4;

    public static TheoryData<string, int> NetworksAndSides() => new()
    {
        { "lenet", 8 }, { "lenet", 28 }, { "resnet", 8 }, { "resnet", 28 }, { "every-op", 9 },
    };

    [Theory]
    [MemberData(nameof(NetworksAndSides))]
    public void ATrainedNetworkSurvivesSaveAndLoad(string network, int side)
    {
        using var model = ConvNetworks.Create(network, Rows, side);
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam());
        for (int step = 0; step < 2; step++)
        {
            var (bx, bl) = ConvNetworks.Batch(model, Rows, seed: 70 + step);
            trainer.TrainBatch(bx, Rows, bl);
        }
        var (x, _) = ConvNetworks.Batch(model, Rows, seed: 72);
        var evaluation = new float[Rows * model.OutputSize];
        model.Predict(x, evaluation);

        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "conv.model");
        model.Save(path);
        using var loaded = Model.Load(path, maxBatch: Rows);
        Assert.Equal(model.InputShape, loaded.InputShape);
        Assert.Equal(model.Graph.Nodes.Select(n => n.Op.ToString()), loaded.Graph.Nodes.Select(n => n.Op.ToString()));
        Assert.Equal(model.Graph.Values.Select(v => v.SampleShape), loaded.Graph.Values.Select(v => v.SampleShape));
        Assert.Equal(model.Parameters.Parameters.ToArray(), loaded.Parameters.Parameters.ToArray());
        Assert.Equal(model.Parameters.Buffers.ToArray(), loaded.Parameters.Buffers.ToArray());
        var reloaded = new float[evaluation.Length];
        loaded.Predict(x, reloaded);
        Assert.Equal(evaluation, reloaded);

        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = Rows });
        using var frozenLoaded = InferenceModel.Load(path, new InferenceOptions { MaxBatch = Rows });
        var served = new float[evaluation.Length];
        var servedLoaded = new float[evaluation.Length];
        frozen.Predict(x, Rows, served);
        frozenLoaded.Predict(x, Rows, servedLoaded);
        Assert.Equal(served, servedLoaded);
    }
}
